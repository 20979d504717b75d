"""Reading the TOML configuration files of nodes, brokers and auditors.

Shared by :mod:`node.config` and :mod:`broker.config`; it sits in the base
layer because both need it and neither may import the other. Every error
names the file and the key, never a secret.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from liaison.core.errors import ConfigError

ENV_PREFIX = "LIAISON_"
#: Agency codes and other certificate names: letters, digits, ``_.-``.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True, slots=True)
class TlsPaths:
    """The federation CA and this party's certificate and private key."""

    ca: Path
    cert: Path
    key: Path
    #: ``key`` is sealed under the master key (``[tls] sealed_key``), not PEM.
    sealed: bool = False


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file.

    Raises:
        ConfigError: the file is missing, unreadable or not TOML.
    """
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such configuration file") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Section:
    """One table of a config file, with typed getters and env overrides.

    ``LIAISON_<SECTION>_<KEY>`` in the environment overrides ``[section] key``
    (so containers and tests can change a port or a database URL without
    editing the file). The section remembers which keys its loader read:
    :meth:`reject_unknown` then refuses any other key, in the file or the
    environment, naming the nearest valid one.
    """

    path: Path
    name: str
    values: Mapping[str, Any]
    environ: Mapping[str, str]
    read: set[str] = field(default_factory=set, compare=False)

    def _env_key(self, key: str) -> str:
        return f"{ENV_PREFIX}{self.name}_{key}".upper().replace(".", "_")

    def _where(self, key: str) -> str:
        env_key = self._env_key(key)
        if env_key in self.environ:
            return f"{env_key} (environment, overriding [{self.name}] {key} of {self.path})"
        return f"{self.path}: [{self.name}] {key}"

    def _raw(self, key: str) -> Any:
        self.read.add(key)
        env_key = self._env_key(key)
        if env_key in self.environ:
            return self.environ[env_key]
        return self.values.get(key)

    def _missing(self, key: str) -> ConfigError:
        unknown = [name for name in self.values if name not in self.read]
        near = difflib.get_close_matches(key, unknown, n=1)
        hint = f" (is {near[0]!r} a misspelling of it?)" if near else ""
        return ConfigError(f"{self._where(key)}: missing{hint}")

    def reject_unknown(self) -> None:
        """Refuse every key the loader did not read, in the file or the environment.

        Call it after reading the whole section.

        Raises:
            ConfigError: an unknown key; the message names the nearest valid one.
        """
        for key in self.values:
            if key not in self.read:
                raise ConfigError(
                    f"{self.path}: [{self.name}] {key}: unknown key{_nearest(key, self.read)}"
                )
        prefix = self._env_key("")
        for env_key in self.environ:
            suffix = env_key[len(prefix) :].lower()
            if env_key.startswith(prefix) and suffix not in self.read:
                valid = {self._env_key(key) for key in self.read}
                raise ConfigError(
                    f"{env_key} (environment): not a key of [{self.name}] of {self.path}"
                    f"{_nearest(env_key, valid)}"
                )

    def has(self, key: str) -> bool:
        """Return whether the key is set (in the file or the environment)."""
        return self._raw(key) is not None

    def text(self, key: str, default: str | None = None) -> str:
        """Return a non-empty string value.

        Raises:
            ConfigError: missing without default, or not a string.
        """
        value = self._raw(key)
        if value is None:
            if default is None:
                raise self._missing(key)
            return default
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{self._where(key)}: must be a non-empty string")
        return value.strip()

    def number(self, key: str, default: float, *, minimum: float = 0) -> float:
        """Return a number no smaller than ``minimum``.

        Raises:
            ConfigError: not a number, or too small.
        """
        value = self._raw(key)
        if value is None:
            return default
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{self._where(key)}: must be a number") from exc
        if isinstance(value, bool) or number < minimum:
            raise ConfigError(f"{self._where(key)}: must be a number >= {minimum:g}")
        return number

    def integer(self, key: str, default: int, *, minimum: int = 0) -> int:
        """Return an integer no smaller than ``minimum``.

        Raises:
            ConfigError: not an integer, or too small.
        """
        value = self._raw(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ConfigError(f"{self._where(key)}: must be an integer")
        try:
            number = int(value)
        except ValueError as exc:
            raise ConfigError(f"{self._where(key)}: must be an integer") from exc
        if number < minimum:
            raise ConfigError(f"{self._where(key)}: must be an integer >= {minimum}")
        return number

    def strings(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """Return a list of non-empty strings (an env override is comma-separated).

        Raises:
            ConfigError: not a list of strings.
        """
        value = self._raw(key)
        if value is None:
            return default
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            raise ConfigError(f"{self._where(key)}: must be a list of non-empty strings")
        return tuple(item.strip() for item in value)

    def file(self, key: str, default: str | None = None) -> Path:
        """Return a path, relative paths taken from the config file's folder.

        Raises:
            ConfigError: missing without default.
        """
        return resolve(self.path, self.text(key, default))

    def key_file(self, plain: str, sealed: str, default: str | None = None) -> tuple[Path, bool]:
        """Return the private key file the section names, and whether it is sealed.

        ``sealed`` names a key sealed under the master key, ``plain`` a PEM
        file (deployments set up before keys were sealed); one of them.

        Raises:
            ConfigError: both are set, or neither (without default).
        """
        if self.has(sealed):
            if self.has(plain):
                raise ConfigError(f"{self._where(plain)}: set {plain} or {sealed}, not both")
            return self.file(sealed), True
        return self.file(plain, default), False

    def address(self, key: str, default: str | None = None, *, loopback: bool = False) -> str:
        """Return a ``host:port`` address, optionally required to be loopback.

        Raises:
            ConfigError: malformed, or not loopback when required.
        """
        value = self.text(key, default)
        try:
            host, port = split_address(value)
        except ValueError as exc:
            raise ConfigError(f"{self._where(key)}: {exc}") from exc
        if loopback and not is_loopback(host):
            raise ConfigError(f"{self._where(key)}: must be a loopback address")
        return f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"


def section(path: Path, document: Mapping[str, Any], name: str) -> Section:
    """Return the table ``name`` of a parsed document (empty if absent).

    Raises:
        ConfigError: ``name`` is present but not a table.
    """
    values = document.get(name, {})
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return Section(path, name, values, os.environ)


def reject_unknown(
    path: Path,
    document: Mapping[str, Any],
    sections: Sequence[Section],
    *,
    tables: Iterable[str] = (),
) -> None:
    """Refuse a section of ``document`` that is neither read nor listed, then unknown keys.

    ``tables`` names further valid top-level entries (``[[participants]]``,
    checked by their own reader).

    Raises:
        ConfigError: an unknown section or key; the message names the nearest valid one.
    """
    known = {section.name for section in sections} | set(tables)
    for name in document:
        if name not in known:
            raise ConfigError(f"{path}: [{name}]: unknown section{_nearest(name, known)}")
    for section in sections:
        section.reject_unknown()


def _nearest(word: str, candidates: Iterable[str]) -> str:
    """Return "; did you mean X?" for the closest candidate, else the valid ones."""
    valid = sorted(candidates)
    near = difflib.get_close_matches(word, valid, n=1)
    if near:
        return f"; did you mean {near[0]!r}?"
    return f" (valid: {', '.join(valid)})" if valid else ""


def resolve(config_path: Path, value: str) -> Path:
    """Resolve ``value`` against the folder of ``config_path`` unless absolute."""
    candidate = Path(value).expanduser()
    return candidate if candidate.is_absolute() else (config_path.parent / candidate).resolve()


def split_address(value: str) -> tuple[str, int]:
    """Split ``host:port`` (IPv6 in brackets) into its parts.

    Raises:
        ValueError: no port, or the port is out of range.
    """
    host, sep, port_text = value.rpartition(":")
    if not sep or not host or not port_text.isdigit():
        raise ValueError("must be host:port")
    port = int(port_text)
    if not 0 <= port <= 65535:
        raise ValueError("port out of range")
    return host.strip("[]"), port


def is_loopback(host: str) -> bool:
    """Return whether ``host`` names the loopback interface."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def sqlite_url(path: Path) -> str:
    """Return the SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{path}"

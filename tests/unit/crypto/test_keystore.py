"""Sealing PSI server keys and private key files at rest under a master key."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from liaison.core.errors import ConfigError
from liaison.crypto.keystore import (
    MASTER_KEY_ENV,
    MASTER_KEY_FILE_ENV,
    MasterKey,
    create_master_key,
    master_key_from_environment,
    read_sealed,
    sealed_key_context,
    write_sealed,
)


@pytest.fixture
def master(tmp_path: Path) -> MasterKey:
    create_master_key(tmp_path / "master.key")
    return MasterKey.load(tmp_path / "master.key")


def test_sealed_secret_opens_with_the_same_context(master: MasterKey) -> None:
    sealed = master.seal(b"secret-bytes", context=b"dataset-a")
    assert b"secret-bytes" not in sealed
    assert master.unseal(sealed, context=b"dataset-a") == b"secret-bytes"


def test_sealed_secret_moved_to_another_dataset_does_not_open(master: MasterKey) -> None:
    sealed = master.seal(b"secret", context=b"dataset-a")
    with pytest.raises(ConfigError):
        master.unseal(sealed, context=b"dataset-b")


def test_another_master_key_does_not_open(master: MasterKey, tmp_path: Path) -> None:
    create_master_key(tmp_path / "other.key")
    sealed = master.seal(b"secret", context=b"c")
    with pytest.raises(ConfigError):
        MasterKey.load(tmp_path / "other.key").unseal(sealed, context=b"c")


@pytest.mark.parametrize("position", [0, 5, 20, -1])
def test_any_flipped_byte_is_detected(master: MasterKey, position: int) -> None:
    sealed = bytearray(master.seal(b"secret", context=b"c"))
    sealed[position] ^= 0x01
    with pytest.raises(ConfigError):
        master.unseal(bytes(sealed), context=b"c")


def test_master_key_file_is_private_and_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    create_master_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="exists already"):
        create_master_key(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"not base64!!", b"c2hvcnQ=\n"])
def test_malformed_master_key_file_is_a_config_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "master.key"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match="master key"):
        MasterKey.load(path)


def test_missing_master_key_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.key"):
        MasterKey.load(tmp_path / "nope.key")


def test_the_master_key_comes_from_the_environment_first(tmp_path: Path) -> None:
    configured, other = tmp_path / "master.key", tmp_path / "other.key"
    create_master_key(configured)
    create_master_key(other)
    sealed = MasterKey.load(other).seal(b"secret", context=b"d")
    inline = other.read_text().strip()
    for environ in ({MASTER_KEY_ENV: inline}, {MASTER_KEY_FILE_ENV: str(other)}):
        chosen = MasterKey.from_environment(configured, environ)
        assert chosen.unseal(sealed, context=b"d") == b"secret"
    with pytest.raises(ConfigError):
        MasterKey.from_environment(configured, {}).unseal(sealed, context=b"d")
    assert master_key_from_environment({MASTER_KEY_FILE_ENV: str(other)}) == MASTER_KEY_FILE_ENV
    assert master_key_from_environment({}) is None


def test_a_malformed_master_key_in_the_environment_is_named_not_shown(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        MasterKey.from_environment(tmp_path / "absent", {MASTER_KEY_ENV: "bm90LTMyLWJ5dGVz"})
    assert MASTER_KEY_ENV in str(raised.value) and "bm90" not in str(raised.value)
    with pytest.raises(ConfigError):
        MasterKey.from_environment(tmp_path / "absent", {MASTER_KEY_FILE_ENV: str(tmp_path / "x")})


# -- sealed key files -------------------------------------------------------------

PEM = b"-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEG\n-----END PRIVATE KEY-----\n"
CONTEXT = sealed_key_context("agency-key", "FR")


def test_a_sealed_file_is_private_holds_no_pem_and_opens(master: MasterKey, tmp_path: Path) -> None:
    path = tmp_path / "agency.key.sealed"
    write_sealed(path, PEM, master, context=CONTEXT)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"BEGIN" not in path.read_bytes() and b"MIGHAgEA" not in path.read_bytes()
    assert read_sealed(path, master, context=CONTEXT) == PEM
    with pytest.raises(ConfigError, match="exists"):
        write_sealed(path, b"other", master, context=CONTEXT)
    assert read_sealed(path, master, context=CONTEXT) == PEM


def test_contexts_name_purpose_and_holder() -> None:
    contexts = {
        sealed_key_context("agency-key", "FR"),
        sealed_key_context("agency-key", "NL"),
        sealed_key_context("broker-audit-key"),
    }
    assert len(contexts) == 3


def _sealed(master: MasterKey, tmp_path: Path) -> Path:
    path = tmp_path / "agency.key.sealed"
    write_sealed(path, PEM, master, context=CONTEXT)
    return path


def _refusal(path: Path, master: MasterKey, context: bytes = CONTEXT) -> str:
    with pytest.raises(ConfigError) as raised:
        read_sealed(path, master, context=context)
    message = str(raised.value)
    assert str(path) in message and "MIGHAgEA" not in message
    return message


def test_another_master_key_or_purpose_is_refused_naming_the_file(
    master: MasterKey, tmp_path: Path
) -> None:
    path = _sealed(master, tmp_path)
    create_master_key(tmp_path / "other.key")
    other = MasterKey.load(tmp_path / "other.key")
    assert "does not open with this master key" in _refusal(path, other)
    assert "does not open" in _refusal(path, master, sealed_key_context("agency-key", "NL"))


@pytest.mark.parametrize("length", [0, 3, 20, 32, 40])
def test_a_truncated_file_is_refused_naming_the_file(
    master: MasterKey, tmp_path: Path, length: int
) -> None:
    path = _sealed(master, tmp_path)
    path.write_bytes(path.read_bytes()[:length])
    message = _refusal(path, master)
    assert "truncated" in message or "altered" in message


@pytest.mark.parametrize("position", [0, 4, 16, 30, 50, -1])
def test_a_tampered_file_is_refused_naming_the_file(
    master: MasterKey, tmp_path: Path, position: int
) -> None:
    path = _sealed(master, tmp_path)
    data = bytearray(path.read_bytes())
    data[position] ^= 0x01
    path.write_bytes(bytes(data))
    _refusal(path, master)


def test_a_missing_sealed_file_is_refused_naming_the_file(
    master: MasterKey, tmp_path: Path
) -> None:
    assert "cannot read" in _refusal(tmp_path / "absent.sealed", master)

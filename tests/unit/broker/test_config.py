"""Broker configuration and the directory that follows its edits."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from liaison.broker.config import edit_broker_config, load_broker_config, render_broker_config
from liaison.broker.directory import Directory
from liaison.core.errors import ConfigError


def write_config(tmp_path: Path, participants: list[tuple[str, str]]) -> Path:
    path = tmp_path / "broker.toml"
    path.write_text(
        render_broker_config(
            federation="eu",
            listen="127.0.0.1:7000",
            ca="ca.pem",
            cert="broker.pem",
            key="broker.key",
            participants=participants,
        )
    )
    return path


def test_rendered_config_loads(tmp_path: Path) -> None:
    config = load_broker_config(write_config(tmp_path, [("FR", "10.0.0.1:7001")]))
    assert config.federation == "eu"
    assert config.participant("FR") is not None
    assert config.participant("NL") is None
    assert config.database.endswith("broker.db")


def test_duplicate_participant_is_refused(tmp_path: Path) -> None:
    path = write_config(tmp_path, [("FR", "h:1"), ("FR", "h:2")])
    with pytest.raises(ConfigError, match="listed twice"):
        load_broker_config(path)


def test_participant_without_port_is_refused(tmp_path: Path) -> None:
    path = write_config(tmp_path, [("FR", "hostonly")])
    with pytest.raises(ConfigError, match="endpoint: must be host:port"):
        load_broker_config(path)


def test_removed_participant_disappears_without_restart(tmp_path: Path) -> None:
    path = write_config(tmp_path, [("FR", "h:1"), ("NL", "h:2")])
    clock = [0.0]
    directory = Directory(load_broker_config(path), reload_every=1.0, monotonic=lambda: clock[0])
    assert directory.get("NL") is not None
    path.unlink()
    write_config(tmp_path, [("FR", "h:1")])
    os.utime(path, (1, 1))  # a different mtime, whatever the file system's resolution
    clock[0] = 2.0
    assert directory.get("NL") is None
    assert [p.agency for p in directory.participants()] == ["FR"]


def test_broken_edit_keeps_the_last_good_directory(tmp_path: Path) -> None:
    path = write_config(tmp_path, [("FR", "h:1")])
    clock = [0.0]
    directory = Directory(load_broker_config(path), reload_every=1.0, monotonic=lambda: clock[0])
    path.write_text("[broker\n")
    os.utime(path, (1, 1))
    clock[0] = 2.0
    assert directory.get("FR") is not None


def test_an_edit_is_written_only_if_the_result_loads(tmp_path: Path) -> None:
    path = write_config(tmp_path, [("FR", "h:1")])
    path.chmod(0o600)
    before = path.read_text()

    def break_it(document: dict[str, object]) -> None:
        document["participants"] = [{"agency": "F R", "endpoint": "h:2"}]

    with pytest.raises(ConfigError, match="not a valid agency code"):
        edit_broker_config(path, break_it)
    assert path.read_text() == before
    assert not list(tmp_path.glob(".broker.toml.*"))

    def add_purpose(document: dict[str, Any]) -> None:
        document["broker"]["purposes"] = ["fraud"]

    assert edit_broker_config(path, add_purpose).purposes == ("fraud",)
    assert load_broker_config(path).participant("FR") is not None
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_new_broker_config_accepts_no_purpose(tmp_path: Path) -> None:
    assert load_broker_config(write_config(tmp_path, [])).purposes == ()


def test_a_new_config_names_a_sealed_audit_key_and_a_master_key(tmp_path: Path) -> None:
    config = load_broker_config(write_config(tmp_path, []))
    assert config.audit_key_sealed
    assert config.audit_key == tmp_path.resolve() / "audit.key.sealed"
    assert config.master_key == tmp_path.resolve() / "master.key"


def test_an_older_config_with_a_plain_audit_key_still_loads(tmp_path: Path) -> None:
    path = write_config(tmp_path, [])
    text = path.read_text().replace('sealed_audit_key = "audit.key.sealed"', 'audit_key = "a.key"')
    path.write_text(text)
    config = load_broker_config(path)
    assert not config.audit_key_sealed and config.audit_key == tmp_path.resolve() / "a.key"
    path.write_text(text.replace('master_key = "master.key"\n', ""))
    assert load_broker_config(path).audit_key == tmp_path.resolve() / "a.key"
    path.write_text(text.replace('audit_key = "a.key"\n', ""))
    assert load_broker_config(path).audit_key == tmp_path.resolve() / "audit.key"


def test_audit_key_and_sealed_audit_key_together_are_refused(tmp_path: Path) -> None:
    path = write_config(tmp_path, [])
    text = path.read_text().replace(
        'sealed_audit_key = "audit.key.sealed"', 'sealed_audit_key = "s"\naudit_key = "p"'
    )
    path.write_text(text)
    with pytest.raises(ConfigError, match="not both"):
        load_broker_config(path)


def edit(path: Path, change: Any) -> None:
    document = tomllib.loads(path.read_text())
    change(document)
    path.write_text(tomli_w.dumps(document))


def test_a_misspelled_participant_key_is_refused_naming_the_nearest(tmp_path: Path) -> None:
    path = write_config(tmp_path, [("FR", "h:1"), ("NL", "h:2")])
    edit(path, lambda d: d["participants"][1].update(contcat="ops@nl"))
    with pytest.raises(ConfigError, match=r"\[participants #2\] contcat: .*did you mean 'contact'"):
        load_broker_config(path)


def test_an_edit_with_a_typo_keeps_the_directory_then_the_fix_applies(tmp_path: Path) -> None:
    path = write_config(tmp_path, [("FR", "h:1")])
    clock = [0.0]
    directory = Directory(load_broker_config(path), reload_every=1.0, monotonic=lambda: clock[0])
    edit(path, lambda d: d["broker"].update(purpose=["fraud"]))
    os.utime(path, (1, 1))
    clock[0] = 2.0
    assert directory.policy_context().purposes == ()  # the misspelled file is not taken

    def fix(document: dict[str, Any]) -> None:
        document["broker"]["purposes"] = document["broker"].pop("purpose")
        document["participants"].append({"agency": "NL", "endpoint": "h:2"})

    edit(path, fix)
    os.utime(path, (3, 3))
    clock[0] = 4.0
    context = directory.policy_context()
    assert context.purposes == ("fraud",) and context.admitted == {"FR", "NL"}

"""Issue 8, item 2: private keys at rest sealed with the master key.

Before, the agency's certificate key and the broker's audit key were plain
PEM files protected only by their 0600 mode: whoever copied the node's or
the broker's folder had them. ``node init`` now seals the handed-over
``AGENCY.key`` into ``agency.key.sealed`` and ``broker init`` writes
``audit.key.sealed``, each under its host's master key; servers unseal them
in memory at start, and refuse to start, naming the file, when a sealed file
or the master key is wrong.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from liaison.broker.config import load_broker_config
from liaison.broker.server import build_broker
from liaison.cli.main import main
from liaison.core.errors import ConfigError
from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.crypto.keystore import MASTER_KEY_ENV, MASTER_KEY_FILE_ENV, create_master_key
from liaison.crypto.tree_head import generate_audit_key, load_audit_public_key, verify_tree_head
from liaison.node.codec import match_request_to_proto, match_result_from_proto
from liaison.node.config import load_node_config
from liaison.node.model import MatchRequest
from liaison.node.server import build_node
from tests.conftest import DbUrlFactory
from tests.integration.harness import start_federation


def liaison(*argv: str) -> None:
    assert main(list(argv)) == 0, argv


def make_pki(base: Path) -> Path:
    pki = base / "pki"
    liaison("pki", "init", "--dir", str(pki), "--federation", "t")
    for name, role in (("FR", "node"), ("NL", "node"), ("broker", "broker")):
        liaison("pki", "issue", "--dir", str(pki), "--name", name, "--role", role)
    return pki


def node_init(base: Path, pki: Path, *extra: str) -> Path:
    liaison("node", "init", "--agency", "FR", "--dir", str(base / "fr"), "--pki", str(pki),
            "--federation-listen", "127.0.0.1:0", "--local-listen", "127.0.0.1:0",
            *extra)  # fmt: skip
    return base / "fr" / "node.toml"


def broker_init(base: Path, pki: Path) -> Path:
    liaison("broker", "init", "--dir", str(base / "broker"), "--federation", "t",
            "--listen", "127.0.0.1:0", "--pki", str(pki))  # fmt: skip
    return base / "broker" / "broker.toml"


def fresh_master_key(path: Path) -> str:
    create_master_key(path)
    return path.read_text().strip()


def flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:30])


#: What each damage makes the server say (besides the file's name).
REASONS = {
    "tampered": "does not open with this master key",
    "truncated": "not a sealed key file (truncated or damaged)",
    "missing": "cannot read",
    "another master key": "does not open with this master key",
    "no master key": "cannot read the master key",
}


def assert_refused_naming(
    build: Callable[[], object], named: Path, *secrets: bytes, reason: str = ""
) -> None:
    with pytest.raises(ConfigError) as raised:
        build()
    message = str(raised.value)
    assert str(named) in message and reason in message
    for secret in secrets:
        for line in secret.decode().splitlines():
            if line and not line.startswith("-----"):
                assert line not in message


# -- the node ---------------------------------------------------------------------


def test_nodes_serve_and_match_with_their_plain_keys_deleted(
    tmp_path: Path, make_db_url: DbUrlFactory
) -> None:
    running = start_federation(
        tmp_path / "fed", {a: make_db_url(a) for a in ("FR", "NL")}, agencies=("FR", "NL")
    )
    try:
        for agency in ("FR", "NL"):
            running.nodes.pop(agency).stop(0)
            running.pki.nodes[agency].private_key.unlink()  # the handed-over plain copy
            sealed = running.node_configs[agency].tls.key
            assert sealed.name == "agency.key.sealed" and b"-----BEGIN" not in sealed.read_bytes()
            running.start_node(agency)
        running.restart_broker()  # its audit key was never written in clear
        shared = Record(ref="S-1", full_name="Ahmed Ali", emails=("a.ali@example.org",))
        running.import_rows("NL", "w", [shared])
        request = MatchRequest(Justification("C-1", "counter-terrorism", "art. 1", ""), (shared,))
        reply = running.local("FR").Match(match_request_to_proto(request), timeout=60)
    finally:
        running.stop()
    [answer] = match_result_from_proto(reply).results
    assert answer.status.value == "ok" and [hit.row for hit in answer.hits] == [0]


@pytest.mark.parametrize(
    "damage", ["tampered", "truncated", "missing", "another master key", "no master key"]
)
def test_a_node_refuses_to_start_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    pki = make_pki(tmp_path)
    config = load_node_config(node_init(tmp_path, pki))
    sealed, master = config.tls.key, config.master_key
    secrets = (pki.joinpath("FR.key").read_bytes(), master.read_bytes())
    named = sealed
    if damage == "tampered":
        flip_last_byte(sealed)
    elif damage == "truncated":
        truncate(sealed)
    elif damage == "missing":
        sealed.unlink()
    elif damage == "another master key":
        monkeypatch.setenv(MASTER_KEY_ENV, fresh_master_key(tmp_path / "other.key"))
    else:
        master.unlink()
        named = master
    assert_refused_naming(lambda: build_node(config), named, *secrets, reason=REASONS[damage])


def test_node_init_can_delete_the_plain_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = make_pki(tmp_path)
    config = load_node_config(node_init(tmp_path, pki, "--delete-plain-key"))
    assert not (pki / "FR.key").exists()
    assert "deleted the plain copy" in capsys.readouterr().out
    build_node(config).stop(0)


def test_node_init_tells_the_operator_to_delete_the_plain_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = make_pki(tmp_path)
    node_init(tmp_path, pki)
    out = capsys.readouterr().out
    assert f"the plain copy {pki / 'FR.key'} is no longer read: delete it" in out
    assert (pki / "FR.key").exists()


def test_node_init_refuses_a_key_that_is_not_the_agencys_and_writes_nothing(
    tmp_path: Path,
) -> None:
    pki = make_pki(tmp_path)
    (pki / "FR.key").write_bytes((pki / "NL.key").read_bytes())
    code = main(["node", "init", "--agency", "FR", "--dir", str(tmp_path / "fr"),
                 "--pki", str(pki)])  # fmt: skip
    assert code == 1
    assert not (tmp_path / "fr").exists() or not any((tmp_path / "fr").iterdir())


def test_the_environment_master_key_file_works_for_the_node(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pki = make_pki(tmp_path)
    fresh_master_key(tmp_path / "mounted.key")
    monkeypatch.setenv(MASTER_KEY_FILE_ENV, str(tmp_path / "mounted.key"))
    config = load_node_config(node_init(tmp_path, pki))
    assert not config.master_key.exists()
    build_node(config).stop(0)
    monkeypatch.delenv(MASTER_KEY_FILE_ENV)
    assert_refused_naming(lambda: build_node(config), config.master_key, reason="master key")


def test_an_older_node_with_a_plain_key_serves_with_a_warning_and_migrates(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = make_pki(tmp_path)
    path = node_init(tmp_path, pki)
    (tmp_path / "fr" / "agency.key.sealed").unlink()
    sealed_line = 'sealed_key = "agency.key.sealed"'
    path.write_text(path.read_text().replace(sealed_line, 'key = "../pki/FR.key"'))
    with caplog.at_level(logging.WARNING):
        build_node(load_node_config(path)).stop(0)
    assert any("not sealed" in record.getMessage() for record in caplog.records)
    capsys.readouterr()
    liaison("node", "seal-key", "--config", str(path), "--delete-plain-key")
    assert sealed_line in capsys.readouterr().out
    path.write_text(path.read_text().replace('key = "../pki/FR.key"', sealed_line))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        build_node(load_node_config(path)).stop(0)
    assert not (pki / "FR.key").exists()
    assert not any("not sealed" in record.getMessage() for record in caplog.records)


# -- the broker -------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage", ["tampered", "truncated", "missing", "another master key", "no master key"]
)
def test_a_broker_refuses_to_start_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    config = load_broker_config(broker_init(tmp_path, make_pki(tmp_path)))
    sealed, master = config.audit_key, config.master_key
    assert sealed.name == "audit.key.sealed" and b"-----BEGIN" not in sealed.read_bytes()
    named = sealed
    if damage == "tampered":
        flip_last_byte(sealed)
    elif damage == "truncated":
        truncate(sealed)
    elif damage == "missing":
        sealed.unlink()
    elif damage == "another master key":
        monkeypatch.setenv(MASTER_KEY_ENV, fresh_master_key(tmp_path / "other.key"))
    else:
        master.unlink()
        named = master
    secret = master.read_bytes() if master.exists() else b""
    assert_refused_naming(lambda: build_broker(config), named, secret, reason=REASONS[damage])


def test_the_environment_master_key_works_for_the_broker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inline = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv(MASTER_KEY_ENV, inline)
    config = load_broker_config(broker_init(tmp_path, make_pki(tmp_path)))
    assert not config.master_key.exists()  # init used the environment's key
    broker = build_broker(config)
    try:
        head = broker.audit_log.tree_head()
    finally:
        broker.stop(0)
    verify_tree_head(head, load_audit_public_key(tmp_path / "broker" / "audit.pub"))
    monkeypatch.delenv(MASTER_KEY_ENV)
    assert_refused_naming(lambda: build_broker(config), config.master_key, reason="master key")


def test_an_older_broker_with_a_plain_audit_key_serves_with_a_warning_and_migrates(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    path = broker_init(tmp_path, make_pki(tmp_path))
    folder = path.parent
    for name in ("audit.key.sealed", "audit.pub", "master.key"):
        (folder / name).unlink()
    generate_audit_key(folder / "audit.key", folder / "audit.pub")  # as brokers used to
    sealed_line = 'sealed_audit_key = "audit.key.sealed"'
    legacy = path.read_text().replace(sealed_line, 'audit_key = "audit.key"')
    path.write_text(legacy.replace('master_key = "master.key"\n', ""))
    with caplog.at_level(logging.WARNING):
        build_broker(load_broker_config(path)).stop(0)
    assert any("not sealed" in record.getMessage() for record in caplog.records)
    public = (folder / "audit.pub").read_bytes()
    capsys.readouterr()
    liaison("broker", "seal-key", "--config", str(path), "--delete-plain-key")
    assert sealed_line in capsys.readouterr().out
    assert (folder / "master.key").exists() and not (folder / "audit.key").exists()
    path.write_text(path.read_text().replace('audit_key = "audit.key"', sealed_line))
    broker = build_broker(load_broker_config(path))
    try:
        head = broker.audit_log.tree_head()
    finally:
        broker.stop(0)
    assert (folder / "audit.pub").read_bytes() == public  # nodes and auditors keep theirs
    verify_tree_head(head, load_audit_public_key(folder / "audit.pub"))

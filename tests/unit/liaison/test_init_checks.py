"""The inits (node, broker, audit) check what they name before writing anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison.cli.main import main


@pytest.fixture
def pki(tmp_path: Path) -> Path:
    folder = tmp_path / "pki"
    assert main(["pki", "init", "--dir", str(folder), "--federation", "t"]) == 0
    for name, role in (("FR", "node"), ("broker", "broker"), ("auditor", "auditor")):
        assert main(["pki", "issue", "--dir", str(folder), "--name", name, "--role", role]) == 0
    return folder


def node_init(pki: Path, folder: Path, *extra: str, agency: str = "FR") -> int:
    return main(
        ["node", "init", "--agency", agency, "--dir", str(folder), "--pki", str(pki), *extra]
    )


def broker_init(pki: Path, folder: Path, *extra: str) -> int:
    return main(
        ["broker", "init", "--dir", str(folder), "--federation", "t", "--pki", str(pki), *extra]
    )


def test_a_missing_broker_audit_key_is_refused_before_anything_is_written(
    pki: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "audit.pub"
    assert node_init(pki, tmp_path / "fr", "--broker-audit-key", str(missing)) == 1
    assert f"--broker-audit-key {missing}: no such file" in capsys.readouterr().err
    assert not (tmp_path / "fr").exists()
    # The folder stays usable: the corrected command works at once.
    assert broker_init(pki, tmp_path / "broker") == 0
    audit_pub = str(tmp_path / "broker" / "audit.pub")
    assert node_init(pki, tmp_path / "fr", "--broker-audit-key", audit_pub) == 0


def test_a_file_that_is_not_the_audit_key_is_refused(
    pki: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert node_init(pki, tmp_path / "fr", "--broker-audit-key", str(pki / "ca.pem")) == 1
    assert "not a PEM public key" in capsys.readouterr().err
    assert not (tmp_path / "fr").exists()


def test_an_agency_without_a_certificate_is_refused_saying_how_to_get_one(
    pki: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert node_init(pki, tmp_path / "nl", agency="NL") == 1
    err = capsys.readouterr().err
    assert f"{pki / 'NL.pem'}: no certificate for NL" in err
    assert "liaison pki issue --name NL --role node" in err
    assert not (tmp_path / "nl").exists()


def test_a_certificate_of_another_role_is_refused(
    pki: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert broker_init(pki, tmp_path / "broker", "--name", "FR") == 1
    assert "a certificate of node FR, not of broker FR" in capsys.readouterr().err
    assert not (tmp_path / "broker").exists()


def test_rerunning_init_on_a_set_up_folder_explains_and_changes_nothing(
    pki: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "fr"
    assert node_init(pki, folder) == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    capsys.readouterr()
    assert node_init(pki, folder, "--local-listen", "127.0.0.1:7999") == 1
    err = capsys.readouterr().err
    assert "is set up already (it holds node.toml, agency.key.sealed, master.key)" in err
    assert f"edit {folder / 'node.toml'}" in err and f"move {folder} away" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_failure_part_way_leaves_no_half_written_folder(
    pki: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The config is written, then the master key from the environment is unusable.
    monkeypatch.setenv("LIAISON_MASTER_KEY", "not base64!")
    assert node_init(pki, tmp_path / "fr") == 1
    assert broker_init(pki, tmp_path / "broker") == 1
    assert "LIAISON_MASTER_KEY" in capsys.readouterr().err
    assert not (tmp_path / "fr").exists() and not (tmp_path / "broker").exists()
    existing = tmp_path / "kept"
    existing.mkdir()
    (existing / "notes.txt").write_text("mine")
    assert node_init(pki, existing) == 1
    assert [p.name for p in existing.iterdir()] == ["notes.txt"]


def test_audit_init_checks_its_certificate_and_the_audit_key(
    pki: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["audit", "init", "--dir", str(tmp_path / "aud"), "--pki", str(pki)]
    argv += ["--broker", "127.0.0.1:7000"]
    assert main([*argv, "--broker-audit-key", str(tmp_path / "audit.pub")]) == 1
    assert "no such file" in capsys.readouterr().err
    assert broker_init(pki, tmp_path / "broker") == 0
    audit_pub = str(tmp_path / "broker" / "audit.pub")
    assert main([*argv, "--name", "NL", "--broker-audit-key", audit_pub]) == 1
    assert "no certificate for NL" in capsys.readouterr().err
    assert not (tmp_path / "aud").exists()
    assert main([*argv, "--broker-audit-key", audit_pub]) == 0
    assert main([*argv, "--broker-audit-key", audit_pub]) == 1
    assert "is set up already (it holds auditor.toml)" in capsys.readouterr().err

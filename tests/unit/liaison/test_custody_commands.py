"""``liaison node keys backup|restore`` as an operator runs them, on a real node folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison.cli.main import main


@pytest.fixture
def node_dir(tmp_path: Path) -> Path:
    pki = str(tmp_path / "pki")
    assert main(["pki", "init", "--dir", pki, "--federation", "t"]) == 0
    assert main(["pki", "issue", "--dir", pki, "--name", "FR", "--role", "node"]) == 0
    assert (
        main(["node", "init", "--agency", "FR", "--dir", str(tmp_path / "fr"), "--pki", pki]) == 0
    )
    return tmp_path / "fr"


def backup(node_dir: Path, out: Path) -> list[Path]:
    config = str(node_dir / "node.toml")
    argv = ["node", "keys", "backup", "--config", config, "--shares", "5", "--threshold", "3"]
    assert main([*argv, "--out", str(out)]) == 0
    return sorted(out.iterdir())


def restore(node_dir: Path, *shares: Path) -> int:
    return main(
        ["node", "keys", "restore", "--config", str(node_dir / "node.toml"), *map(str, shares)]
    )


def test_a_lost_master_key_comes_back_from_three_of_five_shares(
    node_dir: Path, tmp_path: Path
) -> None:
    shares = backup(node_dir, tmp_path / "shares")
    assert [p.name for p in shares] == [f"FR-key-share-{i}-of-5.txt" for i in range(1, 6)]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in shares)
    original = (node_dir / "master.key").read_bytes()
    (node_dir / "master.key").unlink()
    assert restore(node_dir, shares[4], shares[0], shares[2]) == 0
    assert (node_dir / "master.key").read_bytes() == original
    assert (node_dir / "master.key").stat().st_mode & 0o777 == 0o600


def test_two_shares_or_a_damaged_one_restore_nothing(
    node_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shares = backup(node_dir, tmp_path / "shares")
    (node_dir / "master.key").unlink()
    capsys.readouterr()
    assert restore(node_dir, shares[0], shares[1]) == 1
    assert "this backup needs 3 of its 5" in capsys.readouterr().err
    text = shares[3].read_text()
    shares[3].write_text(text.replace("threshold: 3", "threshold: 2"))
    assert restore(node_dir, shares[0], shares[1], shares[3]) == 1
    assert f"{shares[3]}: the share's checksum does not match" in capsys.readouterr().err
    assert not (node_dir / "master.key").exists()


def test_restore_never_replaces_a_master_key_and_refuses_another_nodes_shares(
    node_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shares = backup(node_dir, tmp_path / "shares")
    capsys.readouterr()
    assert restore(node_dir, *shares[:3]) == 1
    assert "a master key exists already" in capsys.readouterr().err
    other = shares[0].read_text().replace("holder: FR", "holder: NL")
    (tmp_path / "nl.txt").write_text(other)
    (node_dir / "master.key").unlink()
    assert restore(node_dir, tmp_path / "nl.txt", *shares[1:3]) == 1
    assert "checksum does not match" in capsys.readouterr().err  # the holder is covered too


def test_shares_of_another_node_of_the_same_agency_do_not_open_its_sealed_key(
    node_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = str(tmp_path / "pki")
    other = tmp_path / "fr-test"
    assert main(["node", "init", "--agency", "FR", "--dir", str(other), "--pki", pki]) == 0
    shares = backup(other, tmp_path / "shares")
    (node_dir / "master.key").unlink()
    capsys.readouterr()
    assert restore(node_dir, *shares[:3]) == 1
    assert "does not open this host's sealed key" in capsys.readouterr().err
    assert not (node_dir / "master.key").exists()


def test_backup_refuses_a_folder_with_files_in_it(
    node_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "shares"
    out.mkdir()
    (out / "old.txt").write_text("x")
    argv = ["node", "keys", "backup", "--config", str(node_dir / "node.toml")]
    assert main([*argv, "--shares", "5", "--threshold", "3", "--out", str(out)]) == 1
    assert "not empty" in capsys.readouterr().err

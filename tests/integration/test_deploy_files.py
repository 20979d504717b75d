"""deploy/ stays in step with the CLI: units, compose file, set-up script, Containerfile."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from liaison.auditing.auditor import load_auditor_config
from liaison.broker.config import load_broker_config
from liaison.cli.main import build_parser
from liaison.node.config import load_node_config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def checkout_liaison(folder: Path) -> dict[str, str]:
    """An environment whose ``liaison`` is this checkout's."""
    shim = folder / "bin" / "liaison"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m liaison "$@"\n')
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIAISON_")}
    return {**env, "PATH": f"{shim.parent}{os.pathsep}{env['PATH']}", "PYTHONPATH": str(ROOT)}


def test_the_compose_set_up_script_sets_up_a_federation_once(tmp_path: Path) -> None:
    env = {**checkout_liaison(tmp_path), "FEDERATION_DIR": str(tmp_path / "fed")}
    (tmp_path / "fed").mkdir()
    script = ["sh", str(DEPLOY / "compose-setup.sh")]
    first = subprocess.run(script, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    fed = tmp_path / "fed"
    broker = load_broker_config(fed / "broker" / "broker.toml")
    assert broker.listen == "0.0.0.0:7000"
    assert [(p.agency, p.endpoint) for p in broker.participants] == [
        ("FR", "node-fr:7001"),
        ("NL", "node-nl:7001"),
    ]
    for folder in ("fr", "nl"):
        node = load_node_config(fed / folder / "node.toml")
        assert node.broker == "broker:7000" and node.tls.sealed
    assert load_auditor_config(fed / "auditor" / "auditor.toml").broker == "broker:7000"
    again = subprocess.run(script, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 0 and "set up already" in again.stdout


@pytest.mark.parametrize("unit", sorted((DEPLOY / "systemd").glob("*.service")), ids=str)
def test_each_systemd_unit_runs_a_command_the_cli_has(unit: Path) -> None:
    text = unit.read_text()
    start = re.search(r"^ExecStart=(.+)$", text, re.M)
    assert start, unit
    argv = shlex.split(start.group(1))
    assert argv[0] == "/opt/liaison/bin/liaison"
    args = build_parser().parse_args(argv[1:])
    config = Path(args.config)
    assert f"ReadWritePaths={config.parent}" in text  # its folder is the one it may write
    assert re.search(r"^KillSignal=SIGTERM$", text, re.M) and "UMask=0077" in text


def test_each_compose_service_runs_a_command_the_cli_has() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    commands = [json.loads(m) for m in re.findall(r"^\s+command: (\[.*\])$", text, re.M)]
    assert len(commands) == 3
    for argv in commands:
        build_parser().parse_args(argv)
    assert "./compose-setup.sh:" in text


def test_the_containerfile_builds_with_the_pinned_setuptools_and_installs_offline() -> None:
    text = (DEPLOY / "Containerfile").read_text()
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    setuptools = next(p for p in pins["dev"] if p.startswith("setuptools=="))
    assert setuptools in text
    assert "--no-index --find-links /tmp/wheelhouse" in text

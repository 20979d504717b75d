"""The README's "Deploying a federation" section, run as written: the README cannot rot.

Every ``sh`` block of the section (but one marked ``readme-test: skip``) is
cut into shell commands and run in order in an empty folder, with only the
ports changed (each ``127.0.0.1:PORT`` of the section to a free port) and
``liaison`` being this checkout's. A ``serve`` command is started in the
background and waited for until the addresses of its config accept
connections; every other command must exit 0. The servers get SIGTERM at
the end and must stop cleanly. ``LIAISON_README_REPORT`` (a file name)
receives the commands run and their times.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## Deploying a federation"
SKIP_MARK = "<!-- readme-test: skip"
#: Seconds a server gets to accept connections, and to stop after SIGTERM.
STARTUP_S = 30.0
STOP_S = 15.0
_BLOCK = re.compile(r"(<!--[^\n]*-->\n)?```sh\n(.*?)```", re.S)
_ADDRESS = re.compile(r"127\.0\.0\.1:(\d+)")


def section(readme: str) -> str:
    """Return the text of the deployment section (up to the next heading)."""
    start = readme.index(SECTION)
    rest = readme[start + len(SECTION) :]
    heading = re.search(r"\n#{2,3} ", rest)
    return rest[: heading.start() if heading else len(rest)]


def commands(text: str) -> list[str]:
    """Cut the section's blocks into complete shell commands, in order."""
    found: list[str] = []
    for mark, block in _BLOCK.findall(text):
        if mark.startswith(SKIP_MARK):
            continue
        pending = ""
        for line in block.splitlines():
            pending += line + "\n"
            if line.endswith("\\") or not _complete(pending):
                continue
            if pending.strip() and not pending.lstrip().startswith("#"):
                found.append(pending.strip())
            pending = ""
        assert not pending.strip(), f"an unfinished command in the README: {pending!r}"
    return found


def _complete(snippet: str) -> bool:
    """Whether ``snippet`` parses as whole shell commands (a loop waits for its ``done``)."""
    parsed = subprocess.run(["bash", "-n", "-c", snippet], capture_output=True, check=False)
    return parsed.returncode == 0


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class Run:
    """The folder the commands run in, their environment and the servers started."""

    folder: Path
    env: dict[str, str]
    servers: list[tuple[str, subprocess.Popen[bytes], Path]] = field(default_factory=list)
    timings: list[tuple[float, str]] = field(default_factory=list)
    #: The standard output of each command run to completion.
    outputs: dict[str, str] = field(default_factory=dict)

    def shell(self, command: str) -> None:
        started = time.perf_counter()
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", command],
            cwd=self.folder, env=self.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        self.timings.append((time.perf_counter() - started, command))
        self.outputs[command] = done.stdout
        assert done.returncode == 0, (
            f"README command failed with exit {done.returncode}:\n{command}\n"
            f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        )

    def serve(self, command: str) -> None:
        started = time.perf_counter()
        log = self.folder / f"server-{len(self.servers)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                ["bash", "-c", f"exec {command}"],
                cwd=self.folder, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.servers.append((command, process, log))
        for address in _listen_addresses(self.folder, command):
            _wait_accepting(address, process, log)
        self.timings.append((time.perf_counter() - started, command + "  &"))

    def stop(self) -> list[tuple[str, int | None, str]]:
        """SIGTERM every server; return (command, exit code, log) of each."""
        for _, process, _ in self.servers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        stopped = []
        for command, process, log in self.servers:
            try:
                code: int | None = process.wait(timeout=STOP_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                code = None
            stopped.append((command, code, log.read_text(errors="replace")))
        return stopped


def _listen_addresses(folder: Path, command: str) -> list[str]:
    """The addresses the config of a ``serve`` command listens on."""
    config = re.search(r"--config\s+(\S+)", command)
    assert config, f"a serve command without --config: {command}"
    document = tomllib.loads((folder / config.group(1)).read_text())
    table = document.get("node") or document.get("broker") or {}
    keys = ("listen", "federation_listen", "local_listen")
    return [str(table[key]) for key in keys if key in table]


def _wait_accepting(address: str, process: subprocess.Popen[bytes], log: Path) -> None:
    host, _, port = address.rpartition(":")
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection((host, int(port)), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing accepted connections on {address}:\n{log.read_text()}")


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "liaison"
    # The checkout's own liaison, whatever is installed.
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m liaison "$@"\n')
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIAISON_")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(ROOT))
    folder = tmp_path / "work"
    folder.mkdir()
    running = Run(folder, env)
    try:
        yield running
    finally:
        running.stop()


def test_the_readme_deploys_a_two_agency_federation_as_written(run: Run) -> None:
    text = section((ROOT / "README.md").read_text(encoding="utf-8"))
    ports = sorted({int(p) for p in _ADDRESS.findall(text)})
    mapping = dict(zip(ports, free_ports(len(ports)), strict=True))
    started = time.perf_counter()
    for written in commands(text):
        command = _ADDRESS.sub(lambda m: f"127.0.0.1:{mapping[int(m.group(1))]}", written)
        if re.match(r"liaison (node|broker) serve\b", command):
            run.serve(command)
        else:
            run.shell(command)
    for command, code, log in run.stop():
        assert code == 0, f"{command} did not stop cleanly on SIGTERM ({code}):\n{log}"
    wall = time.perf_counter() - started
    _report(run, wall)
    # What the section promises, checked on what it printed and left behind.
    matches = [out for command, out in run.outputs.items() if command.startswith("liaison match")]
    assert len(matches) == 2 and all("NL" in out and "watchlist" in out for out in matches)
    verified = next(out for c, out in run.outputs.items() if c.startswith("liaison audit verify"))
    assert "2 ledgers checked" in verified and "VERIFIED: the log is intact" in verified
    names = {p.name for p in run.folder.iterdir()}
    assert {"FR-ledger.jsonl", "NL-ledger.jsonl", "jane.token"} <= names
    assert not (run.folder / "handover-FR" / "FR.key").exists()  # sealed, then deleted
    assert not (run.folder / "pki" / "FR.key").exists()  # it left the CA's folder


def _report(run: Run, wall: float) -> None:
    lines = [f"{seconds:6.2f} s  {command}" for seconds, command in run.timings]
    lines.append(f"{wall:6.2f} s  wall time, {len(run.timings)} commands")
    target = os.environ.get("LIAISON_README_REPORT")
    if target:
        Path(target).write_text("\n".join(lines) + "\n")


def test_the_section_is_found_and_cut_into_whole_commands() -> None:
    text = section((ROOT / "README.md").read_text(encoding="utf-8"))
    found = commands(text)
    assert not any("make install" in c for c in found)  # the marked block is not run
    assert any(c.startswith("for who in") and c.endswith("done") for c in found)
    for needed in ("pki init", "broker init", "node init --agency FR", "node init --agency NL",
                   "audit init", "node import", "node user add", "match", "node ledger export",
                   "audit verify", "--role auditor", "--name NL"):  # fmt: skip
        assert any(needed in c for c in found), needed

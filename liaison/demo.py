"""A whole federation on one machine: CA, broker, three agency nodes, a match.

``liaison demo`` (``make demo``) runs every step an operator would, with the
same commands, prints them as it goes, checks the hits against the planted
ground truth of the synthetic data, shuts everything down and exits 0.
"""

from __future__ import annotations

import json
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import grpc

from crypto.errors import LiaisonError, PartnerUnavailable
from liaison import cli
from liaison.demo_data import Federation, generate_federation, write_csv

AGENCIES = ("FR", "NL", "TR")
DATASET = "watchlist"
REQUESTER = "FR"
#: Seconds a server process gets to come up.
STARTUP_TIMEOUT = 30.0


def write_demo_data(out: Path, *, seed: int, agencies: Sequence[str], persons: int) -> list[Path]:
    """Write one dataset per agency, the requester's suspects and the ground truth."""
    federation = generate_federation(seed, agencies, persons_per_agency=persons)
    return _write(out, federation)


def _write(out: Path, federation: Federation) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for agency, rows in sorted(federation.datasets.items()):
        path = out / f"{agency}-{DATASET}.csv"
        write_csv(path, rows)
        written.append(path)
    suspects = out / "suspects.csv"
    write_csv(suspects, federation.suspects)
    truth = out / "planted.json"
    truth.write_text(
        json.dumps(
            [
                {
                    "suspect_row": p.suspect_row,
                    "suspect_ref": p.suspect_ref,
                    "agency": p.agency,
                    "record_ref": p.record_ref,
                    "kinds": sorted(p.kinds),
                }
                for p in federation.planted
            ],
            indent=2,
        )
    )
    return [*written, suspects, truth]


def free_ports(count: int) -> list[int]:
    """Return ``count`` distinct free loopback ports."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _step(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def _run(*argv: str) -> int:
    print("$ liaison " + shlex.join(argv), flush=True)
    code = cli.main(list(argv))
    if code not in (0, 3):
        raise LiaisonError(f"'liaison {argv[0]} {argv[1] if len(argv) > 1 else ''}' failed")
    return code


def _wait_tcp(port: int, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PartnerUnavailable(f"server on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise PartnerUnavailable(f"server on port {port} did not come up")


def _wait_local(port: int, deadline: float) -> None:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        try:
            grpc.channel_ready_future(channel).result(timeout=max(0.1, deadline - time.monotonic()))
        except grpc.FutureTimeoutError:
            raise PartnerUnavailable(f"local face on port {port} did not come up") from None


def run_demo(*, workdir: Path | None, seed: int, persons: int) -> int:
    """Run the demo; return 0 if the hits are exactly the planted ones."""
    started = time.monotonic()
    base = workdir or Path(tempfile.mkdtemp(prefix="liaison-demo-"))
    base.mkdir(parents=True, exist_ok=True)
    pki_dir, data_dir, logs = base / "pki", base / "data", base / "logs"
    logs.mkdir(exist_ok=True)
    print(f"demo folder: {base}")

    _step("federation CA and certificates")
    _run("pki", "init", "--dir", str(pki_dir), "--federation", "demo")
    hosts = ("--host", "127.0.0.1", "--host", "localhost")
    _run("pki", "issue", "--dir", str(pki_dir), "--name", "broker", "--role", "broker", *hosts)
    for agency in AGENCIES:
        _run("pki", "issue", "--dir", str(pki_dir), "--name", agency, "--role", "node", *hosts)

    _step("configuration: one broker, three nodes (SQLite)")
    ports = free_ports(1 + 2 * len(AGENCIES))
    broker_addr = f"127.0.0.1:{ports[0]}"
    fed_ports = dict(zip(AGENCIES, ports[1 : 1 + len(AGENCIES)], strict=True))
    local_ports = dict(zip(AGENCIES, ports[1 + len(AGENCIES) :], strict=True))
    for agency in AGENCIES:
        _run(
            "node", "init", "--agency", agency, "--dir", str(base / agency), "--pki", str(pki_dir),
            "--federation-listen", f"127.0.0.1:{fed_ports[agency]}",
            "--local-listen", f"127.0.0.1:{local_ports[agency]}", "--broker", broker_addr,
        )  # fmt: skip
    participants = [f"{a}=127.0.0.1:{fed_ports[a]}" for a in AGENCIES]
    _run(
        "broker", "init", "--dir", str(base / "broker"), "--federation", "demo",
        "--listen", broker_addr, "--pki", str(pki_dir),
        *[arg for p in participants for arg in ("--participant", p)],
    )  # fmt: skip

    _step(f"synthetic data (seed {seed}, {persons} persons per agency)")
    federation = generate_federation(seed, AGENCIES, persons_per_agency=persons)
    for path in _write(data_dir, federation):
        print(f"wrote {path}")

    _step("daily import at each node")
    for agency in AGENCIES:
        _run(
            "node", "import", "--config", str(base / agency / "node.toml"),
            "--dataset", DATASET, "--file", str(data_dir / f"{agency}-{DATASET}.csv"),
        )  # fmt: skip

    _step("start the broker and the nodes")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(
            _spawn(
                ["broker", "serve", "--config", str(base / "broker" / "broker.toml")],
                logs / "broker.log",
            )
        )
        for agency in AGENCIES:
            processes.append(
                _spawn(
                    ["node", "serve", "--config", str(base / agency / "node.toml")],
                    logs / f"{agency}.log",
                )
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        _wait_tcp(ports[0], processes[0], deadline)
        for index, agency in enumerate(AGENCIES, start=1):
            _wait_tcp(fed_ports[agency], processes[index], deadline)
            _wait_local(local_ports[agency], deadline)

        _step(f"federated match from {REQUESTER}")
        result_file = base / "match.json"
        argv = [
            "match", "--config", str(base / REQUESTER / "node.toml"),
            "--case", "DEMO-2026-001", "--purpose", "counter-terrorism",
            "--legal-basis", "demo: synthetic data only", "--file", str(data_dir / "suspects.csv"),
        ]  # fmt: skip
        _run(*argv)
        print("(and once more with --json, to check the hits against the planted ground truth)")
        code = _capture_json(argv, result_file)
        verdict = _verify(result_file, federation)
    finally:
        _step("shut down")
        stopped = _stop(processes)
    elapsed = time.monotonic() - started
    print(f"\ndemo finished in {elapsed:.1f} s; logs in {logs}")
    return 0 if verdict and stopped and code == 0 else 1


def _spawn(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    print("$ liaison " + shlex.join(argv) + f"  &  # log: {log}", flush=True)
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "liaison", *argv], stdout=handle, stderr=subprocess.STDOUT
    )


def _capture_json(argv: list[str], result_file: Path) -> int:
    completed = subprocess.run(
        [sys.executable, "-m", "liaison", *argv, "--json"], capture_output=True, check=False
    )
    result_file.write_bytes(completed.stdout)
    return completed.returncode


def _verify(result_file: Path, federation: Federation) -> bool:
    expected: dict[tuple[str, int], set[str]] = defaultdict(set)
    for planted in federation.planted:
        expected[(planted.agency, planted.suspect_row)] |= set(planted.kinds)
    result = json.loads(result_file.read_text())
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for partner in result["results"]:
        for hit in partner["hits"]:
            found[(partner["agency"], hit["row"])] |= set(hit["keys"])
    missing = {k: v - found.get(k, set()) for k, v in expected.items() if v - found.get(k, set())}
    unexpected = {
        k: v - expected.get(k, set()) for k, v in found.items() if v - expected.get(k, set())
    }
    if missing or unexpected:
        print(f"MISMATCH: missing {missing}, unexpected {unexpected}")
        return False
    print(
        f"verified: all {len(expected)} planted (suspect, partner) hits found with the expected "
        "key kinds, and no other hit"
    )
    return True


def _stop(processes: list[subprocess.Popen[bytes]]) -> bool:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    clean = True
    for process in processes:
        try:
            code = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        clean = clean and code == 0
    print("all servers stopped cleanly" if clean else "a server did not stop cleanly")
    return clean

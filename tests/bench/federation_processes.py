"""A federation of real processes on loopback for ``make bench``, and its wire counters.

The PKI, configs, master keys, sealed agency keys, users and agreements come
from the integration harness (``tests/integration/harness.py``); the broker
and every node then run as their own ``liaison broker serve`` / ``liaison
node serve`` processes, as in production, so that each has its own cores,
memory and GIL. Bytes on the wire are read from the kernel's TCP counters
(``ss -tinp``: ``bytes_sent`` and ``bytes_received`` of each connection,
TLS records and HTTP/2 framing included), attributed to links by process
and port.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.integration.broker_process import BrokerProcess, wait_for_participants
from tests.integration.harness import RunningFederation, start_federation

#: Broker limits for the bench: admission must not throttle 8 investigators.
BENCH_BROKER_LIMITS = "max_queries_per_minute = 1000000\nmax_in_flight_per_agency = 64\n"
STARTUP_TIMEOUT_S = 60.0


@dataclass
class Processes:
    """The running federation: harness handles plus the process of each server."""

    base: Path
    running: RunningFederation
    broker: BrokerProcess
    nodes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    #: Federation (mTLS) port of each node.
    ports: dict[str, int] = field(default_factory=dict)

    @property
    def broker_port(self) -> int:
        """The broker's port."""
        return int(self.running.broker_address.rsplit(":", 1)[1])

    @property
    def broker_pid(self) -> int:
        """The broker's process id."""
        assert self.broker.process is not None
        return self.broker.process.pid

    def cli(self, *argv: str, log: str) -> tuple[float, int]:
        """Run ``liaison ...``; return its wall time and peak RSS in MiB (raises on failure)."""
        with (self.base / log).open("ab") as handle:
            start = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "liaison", *argv], stdout=handle, stderr=subprocess.STDOUT
            )
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise RuntimeError(f"liaison {argv[0]} {argv[1]} failed: see {log}")
        return elapsed, usage.ru_maxrss // 1024

    def config(self, agency: str) -> str:
        """Path of an agency's node.toml."""
        return str(self.running.node_configs[agency].path)

    def restart_node(self, agency: str) -> None:
        """Stop a node and start it again (an empty filter cache), on new ports."""
        process = self.nodes[agency]
        process.terminate()
        process.wait(30)
        _start_node(self, agency)
        self.running.write_directory(
            [(a, self.running.node_configs[a].federation_listen) for a in self.nodes]
        )

    def stop(self) -> None:
        """Stop every process (SIGTERM, then SIGKILL after 10 s)."""
        self.running.stop()
        processes = [*self.nodes.values(), self.broker.process]
        for process in processes:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in processes:
            if process is None:
                continue
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def start_processes(base: Path, agencies: Sequence[str], *, partner_timeout: float) -> Processes:
    """Configure a federation with the harness, then run broker and nodes as processes."""
    broker = BrokerProcess(base / "broker.log")

    def launch(config: Path) -> tuple[object, str]:
        config.write_text(
            config.read_text().replace("[broker]\n", "[broker]\n" + BENCH_BROKER_LIMITS, 1)
        )
        return broker.launch(config)

    running = start_federation(
        base, {a: f"sqlite:///{base / a}.db" for a in agencies}, agencies=tuple(agencies),
        down=tuple(agencies), partner_timeout=partner_timeout, launch_broker=launch,
    )  # fmt: skip
    processes = Processes(base, running, broker)
    try:
        for agency in agencies:
            _start_node(processes, agency)
        running.write_directory([(a, running.node_configs[a].federation_listen) for a in agencies])
        wait_for_participants(running, set(agencies))
    except BaseException:
        processes.stop()
        raise
    return processes


def _start_node(processes: Processes, agency: str) -> None:
    config = processes.running.node_configs[agency]
    ready = config.path.with_name("node.ready.json")
    ready.unlink(missing_ok=True)
    with (processes.base / f"{agency}.log").open("ab") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "liaison", "node", "serve", "--config", str(config.path),
             "--ready-file", str(ready)],
            stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
    processes.nodes[agency] = process
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"node {agency} did not come up: see {agency}.log")
        time.sleep(0.05)  # waiting on the ready file, not for a guessed time
    bound = json.loads(ready.read_text())
    processes.running.node_configs[agency] = dataclasses.replace(
        config, federation_listen=bound["federation"], local_listen=bound["local"]
    )
    processes.ports[agency] = int(bound["federation"].rsplit(":", 1)[1])


def peak_rss_mb(pid: int) -> int:
    """Peak resident memory of a running process (VmHWM), MiB."""
    text = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", text)
    return int(match.group(1)) // 1024 if match else 0


#: One TCP connection: (owning pid, local address, peer address).
Socket = tuple[int, str, str]

_SOCKET = re.compile(r"^\d+\s+\d+\s+(\S+)\s+(\S+)\s+users:\(\(\"[^\"]*\",pid=(\d+)")
_COUNTER = re.compile(r"\b(bytes_sent|bytes_received):(\d+)")


def tcp_bytes() -> dict[Socket, int]:
    """Bytes sent plus received so far on every established loopback TCP connection."""
    output = subprocess.run(
        ["ss", "-tinpH", "state", "established"], capture_output=True, text=True, check=True
    ).stdout
    counters: dict[Socket, int] = {}
    current: Socket | None = None
    for line in output.splitlines():
        found = _SOCKET.match(line)
        if found is not None:
            current = (int(found.group(3)), found.group(1), found.group(2))
            continue
        if current is not None and "bytes_" in line:
            counters[current] = sum(int(v) for _, v in _COUNTER.findall(line))
            current = None
    return counters


def port_of(address: str) -> int:
    """The port of ``host:port``."""
    return int(address.rsplit(":", 1)[1])


@dataclass(frozen=True, slots=True)
class WireBytes:
    """Bytes of one interval on each link: requester-broker and broker-partner."""

    requester: int
    partners: dict[str, int]

    @property
    def total(self) -> int:
        """Every link together."""
        return self.requester + sum(self.partners.values())


def link_bytes(
    processes: Processes, before: dict[Socket, int], after: dict[Socket, int], requester: str
) -> WireBytes:
    """Attribute the bytes between two snapshots to links.

    The requester's link is every connection of its process to the broker
    (its queries, filter fetches and ledger anchors). A partner's link is the
    broker's connections to it (answers and filters) and the partner's own
    connections to the broker (its ledger anchors).
    """
    delta = {s: after[s] - before.get(s, 0) for s in after}
    broker_port, broker_pid = processes.broker_port, processes.broker_pid
    pids = {a: p.pid for a, p in processes.nodes.items()}
    requester_bytes = sum(
        n for (pid, _, peer), n in delta.items()
        if pid == pids[requester] and port_of(peer) == broker_port
    )  # fmt: skip
    partners = {
        agency: sum(
            n
            for (pid, _, peer), n in delta.items()
            if (pid == broker_pid and port_of(peer) == processes.ports[agency])
            or (pid == pids[agency] and port_of(peer) == broker_port)
        )
        for agency in processes.nodes
        if agency != requester
    }
    return WireBytes(requester_bytes, partners)

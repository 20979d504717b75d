"""The broker as a real process (``liaison broker serve``), for tests that kill it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from liaison.core.records import Record
from liaison.v1 import broker_pb2
from tests.integration.harness import RunningFederation, start_federation


class BrokerProcess:
    """Runs ``liaison broker serve`` as a real process, as often as a test restarts it."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def launch(self, config: Path) -> tuple[object, str]:
        """Start the broker on ``config``; return the process and the address it bound."""
        ready = config.with_name("broker.ready.json")
        ready.unlink(missing_ok=True)
        with self.log.open("ab") as handle:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "liaison", "broker", "serve", "--config", str(config),
                 "--ready-file", str(ready)],
                stdout=handle, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "broker did not come up"
            time.sleep(0.02)  # waiting on the ready file, not for a guessed time
        return self.process, json.loads(ready.read_text())["listen"]


def wait_for_participants(federation: RunningFederation, agencies: set[str]) -> None:
    """Wait until the broker process has re-read its directory and lists ``agencies``."""
    stub = federation.broker_stub("FR", "auditor")
    deadline = time.monotonic() + 30
    while True:
        listed = stub.Directory(broker_pb2.DirectoryRequest(), timeout=5).participants
        if {p.agency for p in listed} >= agencies:
            return
        assert time.monotonic() < deadline, "the broker never admitted the participants"
        time.sleep(0.05)


@contextmanager
def federation_with_broker_process(
    base: Path, broker: BrokerProcess, rows: Iterable[Record]
) -> Iterator[RunningFederation]:
    """FR and NL on SQLite around a broker process; NL holds ``rows`` in "watchlist"."""
    running = start_federation(
        base, {a: f"sqlite:///{base / a}.db" for a in ("FR", "NL")},
        agencies=("FR", "NL"), launch_broker=broker.launch,
    )  # fmt: skip
    try:
        wait_for_participants(running, {"FR", "NL"})
        running.import_rows("NL", "watchlist", list(rows))
        yield running
    finally:
        running.stop()
        if broker.process is not None and broker.process.poll() is None:
            broker.process.kill()
            broker.process.wait(10)

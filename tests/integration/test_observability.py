"""Logs and metrics of a federated match never carry an identifier or a match key.

One scenario: a broker process (``liaison broker serve``, its whole output
captured), FR and NL in this process (every log record captured as JSON
at debug level), FR serving metrics on a loopback port. FR asks NL about
suspects NL holds; afterwards every log line of every process and the
scraped metrics are searched for the suspects' identifiers and keys.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
import tomli_w
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from liaison.core.answers import PartnerStatus
from liaison.core.errors import ERROR_CLASSES
from liaison.core.logs import JsonFormatter
from liaison.core.records import Record
from liaison.crypto.entity_keys import derive_record_keys
from liaison.tools.demo_data import generate_federation
from liaison.v1 import broker_pb2, broker_pb2_grpc
from tests.integration.broker_process import wait_for_participants
from tests.integration.harness import RunningFederation, start_federation
from tests.integration.test_federated_match import request, run_match

AGENCIES = ("FR", "NL")
DATASET = "watchlist"


class QuietBroker:
    """``liaison broker serve`` in a process of its own, GRPC_VERBOSITY left unset."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.metrics_url = ""

    def launch(self, config: Path) -> tuple[object, str]:
        document = tomllib.loads(config.read_text())
        document["broker"]["metrics_listen"] = "127.0.0.1:0"
        config.write_text(tomli_w.dumps(document))
        ready = config.with_name("broker.ready.json")
        environ = {k: v for k, v in os.environ.items() if not k.startswith("GRPC_")}
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "liaison", "broker", "serve", "--config", str(config),
                 "--ready-file", str(ready)],
                stdout=handle, stderr=subprocess.STDOUT, env=environ,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "broker did not come up"
            time.sleep(0.02)  # waiting on the ready file
        bound = json.loads(ready.read_text())
        self.metrics_url = f"http://{bound['metrics']}/metrics"
        return self.process, bound["listen"]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Every log record of this process, as the servers' JSON lines, at debug level."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("test"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def secrets_of(records: tuple[Record, ...]) -> set[str]:
    """The identifier values and match keys a log or metric must never show."""
    values: set[str] = set()
    for record in records:
        for field in dataclasses.fields(record):
            value = getattr(record, field.name)
            values |= set(value) if isinstance(value, tuple) else {value}
        values |= {key.value for key in derive_record_keys(record)}
    # Two-letter country codes are also agency codes; keep what identifies.
    return {v for v in values if len(v) >= 5}


def test_logs_and_metrics_of_a_federated_match_carry_no_identifier(
    tmp_path: Path, captured: io.StringIO
) -> None:
    # Earlier tests of this process left series in the shared registry: only
    # what this test adds or changes is the node's.
    baseline = samples_of(generate_latest().decode())
    data = generate_federation(3, AGENCIES, persons_per_agency=40)
    suspects = tuple(data.datasets["NL"][:4])
    broker = QuietBroker(tmp_path / "broker.log")
    running = start_federation(
        tmp_path, {a: f"sqlite:///{tmp_path / a}.db" for a in AGENCIES},
        agencies=AGENCIES, launch_broker=broker.launch,
    )  # fmt: skip
    try:
        wait_for_participants(running, set(AGENCIES))
        for agency in AGENCIES:
            running.import_rows(agency, DATASET, data.datasets[agency])
        metrics_url = restart_with_metrics(running, "FR")
        result = run_match(running, request(suspects, partners=("NL",)))
        count_only = run_match(running, request(suspects, partners=("NL",), count_only=True))
        poke_broker_without_tls(running)
        scraped = urllib.request.urlopen(metrics_url, timeout=10).read().decode()
        broker_scraped = urllib.request.urlopen(broker.metrics_url, timeout=10).read().decode()
    finally:
        running.stop()
        broker.stop()
    assert sum(len(r.hits) for r in result.results) == len(suspects)
    broker_lines = broker.log.read_text().splitlines()
    local_lines = captured.getvalue().splitlines()

    # Every line of the broker process is JSON: no gRPC C-core line among them.
    broker_events = [json.loads(line) for line in broker_lines]
    local_events = [json.loads(line) for line in local_lines]
    by_event: dict[tuple[object, object], list[dict[str, object]]] = {}
    for line in [*broker_events, *local_events]:
        by_event.setdefault((line.get("event"), line.get("query_id")), []).append(line)
    for query_id in (result.query_id, count_only.query_id):
        assert len(by_event[("query_sent", query_id)]) == 1  # the requesting node
        assert len(by_event[("query_served", query_id)]) == 1  # the partner
        [relayed] = by_event[("query_relayed", query_id)]  # the broker
        assert relayed["process"] == "broker" and relayed["answers"] == {"ok": 1}

    everything = "\n".join([*broker_lines, *local_lines, scraped, broker_scraped])
    secrets = secrets_of(suspects)
    assert len(secrets) > 10 * len(suspects)  # names, documents, phones, keys...
    leaked = sorted(s for s in secrets if s in everything)
    assert leaked == []
    # An in-process broker of an earlier test (other agencies) shares this
    # process's registry: its series are not the node's; the broker process's
    # own scrape is checked below.
    assert_labels_from_fixed_sets(
        scraped, {"partner", "dataset", "outcome"}, others=("liaison_broker_",), baseline=baseline
    )
    assert_labels_from_fixed_sets(broker_scraped, {"requester", "partner", "status", "outcome"})
    broker_families = text_string_to_metric_families(broker_scraped)
    counts = {
        (s.name, s.labels.get("requester")): s.value for f in broker_families for s in f.samples
    }
    assert counts[("liaison_broker_queries_total", "FR")] == 2
    now = samples_of(scraped)

    def added(name: str, labels: tuple[tuple[str, str], ...]) -> float:
        # Counters of this process grow across tests: what this test added.
        return now[(name, labels)] - baseline.get((name, labels), 0.0)

    assert added("liaison_queries_sent_total", (("outcome", "ok"), ("partner", "NL"))) == 2
    assert added("liaison_queries_served_total", (("outcome", "ok"), ("partner", "FR"))) == 2
    assert added("liaison_match_seconds_count", ()) == 2
    # FR's own dataset: one node per process in production, one registry here.
    assert now[("liaison_dataset_records", (("dataset", DATASET),))] == 40


def restart_with_metrics(running: RunningFederation, agency: str) -> str:
    """Restart a node with metrics on a loopback port; return the /metrics URL."""
    running.nodes.pop(agency).stop(0)
    config = running.node_configs[agency]
    running.node_configs[agency] = dataclasses.replace(config, metrics_listen="127.0.0.1:0")
    running.start_node(agency)
    servers = running.nodes[agency]
    assert servers.metrics is not None and servers.monitor is not None
    servers.monitor.check_now()  # the gauges of datasets and budgets
    return f"http://{servers.metrics.address}/metrics"


def poke_broker_without_tls(running: RunningFederation) -> None:
    """A plaintext call to the broker's TLS port: its C core has a handshake to complain of."""
    with grpc.insecure_channel(running.broker_address) as channel, pytest.raises(grpc.RpcError):
        broker_pb2_grpc.BrokerStub(channel).Directory(broker_pb2.DirectoryRequest(), timeout=2)


def samples_of(scraped: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Each sample of a scrape by name and labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(scraped)
        for sample in family.samples
    }


def assert_labels_from_fixed_sets(
    scraped: str,
    expected: set[str],
    others: tuple[str, ...] = (),
    baseline: dict[tuple[str, tuple[tuple[str, str], ...]], float] | None = None,
) -> None:
    """Every label of a liaison_* series is an agency, a dataset, a status or an error class.

    Series named ``others*`` are left out (another component's, in this
    process), and so are samples ``baseline`` holds with the same value.
    """
    before = baseline or {}
    statuses = {s.value for s in PartnerStatus}
    allowed = {
        "partner": set(AGENCIES),
        "requester": set(AGENCIES),
        "dataset": {DATASET},
        "status": statuses,
        "outcome": statuses | {"alert", "relayed"} | set(ERROR_CLASSES),
    }
    seen = set()
    for family in text_string_to_metric_families(scraped):
        if not family.name.startswith("liaison_") or family.name.startswith(others):
            continue
        for sample in family.samples:
            key = (sample.name, tuple(sorted(sample.labels.items())))
            if key in before and before[key] == sample.value:
                continue
            for label, value in sample.labels.items():
                if label == "le":
                    float(value)  # a bucket bound
                    continue
                assert value in allowed[label], (sample.name, label, value)
                seen.add(label)
    assert seen == expected

"""What operators see of running processes: status, health, reflection, dataset removal.

A real federation (broker, FR and NL up, TR admitted but down), the
commands run through ``liaison.cli.main.main`` as an operator would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)
from sqlalchemy import create_engine, text

from liaison.cli.main import main
from liaison.core.files import write_new
from liaison.crypto.certificates import TlsMaterial
from liaison.node.ledger.chain import Direction
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.users import LocalRole
from liaison.tools.demo_data import Federation as DemoData
from liaison.tools.demo_data import generate_federation
from liaison.v1 import broker_pb2, broker_pb2_grpc
from liaison.wire.credentials import secure_channel
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, start_federation
from tests.integration.test_federated_match import request, run_match

AGENCIES = ("FR", "NL", "TR")
DATASET = "watchlist"


@pytest.fixture(scope="module")
def demo_data() -> DemoData:
    return generate_federation(5, AGENCIES, persons_per_agency=60)


@pytest.fixture
def running(
    tmp_path: Path, make_db_url: DbUrlFactory, demo_data: DemoData
) -> Iterator[RunningFederation]:
    federation = start_federation(
        tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES, down=("TR",)
    )
    try:
        for agency in ("FR", "NL"):
            federation.import_rows(agency, DATASET, demo_data.datasets[agency])
        for servers in federation.nodes.values():
            assert servers.monitor is not None
            servers.monitor.check_now()
        yield federation
    finally:
        federation.stop()


def token_file(running: RunningFederation, agency: str, name: str, role: LocalRole) -> Path:
    path = running.base / agency / f"{name}.token"
    write_new(path, running.add_user(agency, name, role).encode() + b"\n", 0o600)
    return path


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_node_status_shows_datasets_budgets_broker_and_ledger(
    running: RunningFederation, demo_data: DemoData, capsys: pytest.CaptureFixture[str]
) -> None:
    run_match(running, request(tuple(demo_data.datasets["NL"][:3])))
    officer = token_file(running, "NL", "officer@nl", LocalRole.OFFICER)
    config = str(running.node_configs["NL"].path)

    code, status = cli_json(
        capsys, "node", "status", "--config", config, "--token-file", str(officer)
    )

    assert code == 0
    assert (status["state"], status["serving"], status["agency"]) == ("up", True, "NL")
    assert status["broker"] == {"address": running.broker_address, "reachable": True}
    [dataset] = status["datasets"]
    assert dataset["name"] == DATASET and dataset["records"] == 60 and dataset["keys"] > 0
    assert dataset["last_import"] and "key_epoch" in dataset and "version" in dataset
    used = {a["partner"]: a["keys_used_today"] for a in status["agreements"]}
    assert used["FR"] > 0 and used["TR"] == 0
    ledger = status["ledger"]
    assert ledger["entries"] >= 1 and len(ledger["head"]) == 64

    assert main(["node", "status", "--config", config, "--token-file", str(officer)]) == 0
    shown = capsys.readouterr().out
    assert "node NL: up, serving" in shown and f"{DATASET}: version" in shown


def test_node_status_is_refused_to_investigators(
    running: RunningFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(running.node_configs["FR"].path)
    investigator = str(running.token_file("FR"))
    assert main(["node", "status", "--config", config, "--token-file", investigator]) == 1
    assert "role investigator may not call Status" in capsys.readouterr().err


def test_node_status_says_down_when_the_node_is_not_running(
    running: RunningFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    operator = token_file(running, "FR", "ops@fr", LocalRole.OPERATOR)
    running.nodes.pop("FR").stop(0)
    config = str(running.node_configs["FR"].path)
    code, status = cli_json(
        capsys, "node", "status", "--config", config, "--token-file", str(operator)
    )
    assert code == 1
    assert status["state"] == "down"


def test_broker_status_probes_every_participant(
    running: RunningFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    code, status = cli_json(capsys, "broker", "status", "--config", str(running.broker_config.path))
    assert code == 0
    assert status["serving"] is True and status["federation"] == "test"
    health = {p["agency"]: p["health"] for p in status["participants"]}
    assert health["FR"] == health["NL"] == "SERVING"
    assert health["TR"].startswith("unreachable")
    assert status["audit_log"]["entries"] >= 1
    auditor = str(running.auditor_config())
    code, seen = cli_json(capsys, "broker", "status", "--config", auditor)
    assert code == 0 and seen["audit_log"]["entries"] >= status["audit_log"]["entries"]


def test_broker_status_is_for_its_operator_and_auditors_not_nodes(
    running: RunningFederation,
) -> None:
    def status(tls: TlsMaterial) -> broker_pb2.BrokerStatusReply:
        with secure_channel(running.broker_address, tls) as channel:
            stub = broker_pb2_grpc.BrokerOperationsStub(channel)
            reply: broker_pb2.BrokerStatusReply = stub.Status(
                broker_pb2.BrokerStatusRequest(), timeout=10
            )
            return reply

    assert status(running.pki.tls(running.pki.auditor)).serving
    with pytest.raises(grpc.RpcError) as refused:
        status(running.pki.tls(running.pki.nodes["FR"]))
    assert refused.value.code() is grpc.StatusCode.PERMISSION_DENIED


def test_health_reports_serving_on_both_faces_and_the_broker(running: RunningFederation) -> None:
    fr = running.node_configs["FR"]
    with grpc.insecure_channel(fr.local_listen) as local:
        assert probe(local) == health_pb2.HealthCheckResponse.SERVING
        assert probe(local, "liaison.v1.NodeLocal") == health_pb2.HealthCheckResponse.SERVING
    broker_tls = running.pki.tls(running.pki.broker)
    with secure_channel(fr.federation_listen, broker_tls) as federation:
        assert probe(federation) == health_pb2.HealthCheckResponse.SERVING
    with secure_channel(running.broker_address, running.pki.tls(running.pki.nodes["FR"])) as b:
        assert probe(b) == health_pb2.HealthCheckResponse.SERVING


def test_a_node_whose_broker_is_down_is_not_serving(running: RunningFederation) -> None:
    assert running.broker is not None
    running.broker.stop(0)
    servers = running.nodes["FR"]
    assert servers.monitor is not None
    verdict = servers.monitor.check_now()
    assert not verdict.serving and "broker" in dict(verdict.problems)
    with grpc.insecure_channel(running.node_configs["FR"].local_listen) as local:
        assert probe(local) == health_pb2.HealthCheckResponse.NOT_SERVING
    running.restart_broker()
    assert servers.monitor.check_now().serving


def test_a_node_whose_database_fails_is_not_serving(running: RunningFederation) -> None:
    engine = create_engine(running.node_configs["NL"].database)
    try:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE datasets RENAME TO datasets_gone"))
    finally:
        engine.dispose()
    monitor = running.nodes["NL"].monitor
    assert monitor is not None
    assert "database" in dict(monitor.check_now().problems)


def test_a_node_whose_certificate_is_no_longer_valid_is_not_serving(
    running: RunningFederation,
) -> None:
    running.nodes.pop("NL").stop(0)
    years_later = datetime.now(UTC) + timedelta(days=3650)
    running.start_node("NL", clock=lambda: years_later)
    monitor = running.nodes["NL"].monitor
    assert monitor is not None
    problems = dict(monitor.check_now().problems)
    assert "is not valid now" in problems["keys"]


def test_a_broker_whose_database_fails_is_not_serving(running: RunningFederation) -> None:
    assert running.broker is not None and running.broker.monitor is not None
    engine = create_engine(running.broker_config.database)
    try:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE audit_entries RENAME TO audit_gone"))
    finally:
        engine.dispose()
    assert "database" in dict(running.broker.monitor.check_now().problems)
    with secure_channel(running.broker_address, running.pki.tls(running.pki.nodes["FR"])) as b:
        assert probe(b) == health_pb2.HealthCheckResponse.NOT_SERVING


def test_the_health_command_probes_plain_and_mutual_tls_ports(
    running: RunningFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    fr = running.node_configs["FR"]
    assert main(["health", "--address", fr.local_listen]) == 0
    assert capsys.readouterr().out.strip() == "SERVING"
    tls = ["--config", str(fr.path)]
    assert main(["health", "--address", fr.federation_listen, *tls]) == 0
    assert main(["health", "--address", running.broker_address, *tls]) == 0
    assert main(["health", "--address", "127.0.0.1:1", "--timeout", "1"]) == 1


def test_the_local_face_serves_reflection_without_a_token(running: RunningFederation) -> None:
    with grpc.insecure_channel(running.node_configs["FR"].local_listen) as channel:
        database = ProtoReflectionDescriptorDatabase(channel)
        services = set(database.get_services())
        assert {"liaison.v1.NodeLocal", "grpc.health.v1.Health"} <= services
        assert database.FindFileContainingSymbol("liaison.v1.NodeLocal").name.endswith("node.proto")


def test_an_operator_removes_a_dataset_and_it_stops_matching_at_once(
    running: RunningFederation, demo_data: DemoData, capsys: pytest.CaptureFixture[str]
) -> None:
    suspects = tuple(demo_data.datasets["NL"][:3])
    before = run_match(running, request(suspects, partners=("NL",)))
    assert sum(len(r.hits) for r in before.results) == 3
    config = str(running.node_configs["NL"].path)
    investigator = token_file(running, "NL", "inv2@nl", LocalRole.INVESTIGATOR)
    remove = ["node", "dataset", "remove", DATASET, "--config", config, "--token-file"]
    assert main([*remove, str(investigator)]) == 1
    assert "may not" in capsys.readouterr().err

    operator = token_file(running, "NL", "ops@nl", LocalRole.OPERATOR)
    assert main([*remove, str(operator)]) == 0
    assert "60 records" in capsys.readouterr().out

    after = run_match(running, request(suspects, partners=("NL",)))
    # NL answers for no dataset: none left to match against.
    assert [r for r in after.results if r.status.value == "ok" or r.hits] == []
    ledger = SqlLedgerStore(running.node_configs["NL"].database)
    try:
        last = ledger.all()[-2:]
    finally:
        ledger.close()
    removal = next(e for e in last if e.direction is Direction.OPERATOR)
    assert (removal.investigator_id, removal.counterpart) == ("ops@nl", DATASET)
    assert main([*remove, str(operator)]) == 1  # gone already: NotFound


def probe(channel: grpc.Channel, service: str = "") -> int:
    stub = health_pb2_grpc.HealthStub(channel)
    status: int = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=5).status
    return status

"""A failed connection names the process that failed, the address dialled and the likely cause.

An operator reading ``liaison match``'s error must know whether to look at
the local node, the broker or a partner, and what to change: a certificate
issued for other host names than the one dialled says which names it holds.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health, health_pb2_grpc

from liaison.broker.node_client import GrpcNodes
from liaison.cli.main import main
from liaison.core.errors import Unreachable
from liaison.crypto.certificates import Role
from liaison.crypto.pki import issue
from liaison.node.broker_client import GrpcBroker
from liaison.wire.credentials import server_credentials
from tests.integration.harness import RunningFederation, start_federation
from tests.pki_support import Federation, make_federation
from tests.query_support import signed_query

NOW = datetime.now(UTC)


@pytest.fixture
def pki(tmp_path: Path) -> Federation:
    return make_federation(tmp_path / "pki", agencies=["FR", "NL"], now=NOW)


@contextmanager
def served_as(pki: Federation, name: str, role: Role, hosts: tuple[str, ...]) -> Iterator[str]:
    """A mutual-TLS server whose certificate names only ``hosts``; its 127.0.0.1 address."""
    files = issue(pki.directory, name, role, hosts=hosts, now=NOW)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    port = server.add_secure_port("127.0.0.1:0", server_credentials(pki.tls(files)))
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(0)


def closed_address() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{sock.getsockname()[1]}"


def broker_error(pki: Federation, address: str) -> str:
    client = GrpcBroker(address, pki.tls(pki.nodes["FR"]), timeout=10)
    try:
        with pytest.raises(Unreachable) as raised:
            client.participants()
    finally:
        client.close()
    return str(raised.value)


def test_a_broker_certificate_for_another_host_names_both_and_the_broker(pki: Federation) -> None:
    with served_as(pki, "broker2", Role.BROKER, ("broker.example.org",)) as address:
        message = broker_error(pki, address)
    assert message.startswith(f"the broker at {address} was refused: ")
    assert "its certificate holds broker.example.org, not 127.0.0.1 (the name dialled)" in message
    assert "--host 127.0.0.1" in message


def test_a_partner_certificate_for_another_host_names_the_partner(pki: Federation) -> None:
    nodes = GrpcNodes(pki.tls(pki.broker))
    signed = signed_query(pki, b"request")
    hosts = ("node.nl.example.org", "10.1.2.3")
    with served_as(pki, "NL2", Role.NODE, hosts) as address:
        try:
            with pytest.raises(Unreachable) as raised:
                list(nodes.get_filter(address, signed, b"", "watchlist", 1, timeout=10))
        finally:
            nodes.close()
    message = str(raised.value)
    assert message.startswith(f"the partner node at {address} was refused: ")
    assert "holds node.nl.example.org, 10.1.2.3, not 127.0.0.1 (the name dialled)" in message


def test_a_broker_that_is_down_is_named_as_such(pki: Federation) -> None:
    address = closed_address()
    assert broker_error(pki, address).startswith(f"the broker at {address} refused the connection")


@pytest.fixture
def federation(tmp_path: Path) -> Iterator[RunningFederation]:
    urls = {a: f"sqlite:///{tmp_path / a}.db" for a in ("FR", "NL")}
    running = start_federation(tmp_path / "fed", urls, agencies=("FR", "NL"))
    try:
        yield running
    finally:
        running.stop()


def match(running: RunningFederation, tmp_path: Path) -> int:
    suspects = tmp_path / "suspects.csv"
    suspects.write_text("ref,full_name,date_of_birth\nS-1,Ahmed Ali,1985-03-14\n")
    return main([
        "match", "--config", str(running.node_configs["FR"].path), "--file", str(suspects),
        "--token-file", str(running.token_file("FR")),
        "--case", "C-1", "--purpose", "counter-terrorism", "--legal-basis", "test",
    ])  # fmt: skip


def test_match_blames_the_broker_when_the_broker_is_down(
    federation: RunningFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert federation.broker is not None
    federation.broker.stop(0)
    assert match(federation, tmp_path) == 1
    err = capsys.readouterr().err
    assert f"the broker at {federation.broker_address} refused the connection" in err
    assert "the local node" not in err


def test_match_blames_the_local_node_only_when_it_is_down(
    federation: RunningFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    federation.nodes["FR"].stop(0)
    assert match(federation, tmp_path) == 1
    err = capsys.readouterr().err
    local = federation.node_configs["FR"].local_listen
    assert f"the local node at {local} refused the connection" in err
    assert "liaison node serve --config" in err

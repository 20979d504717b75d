"""A running federation whose FR node also serves its web console over TLS (loopback).

The console is the production :class:`liaison.web.server.WebConsole` over
the FR node's own services, with the FR node certificate of the test PKI
as its TLS certificate. Users of every role are issued at FR.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from liaison.node.config import WebConfig
from liaison.node.server import LocalServices
from liaison.node.users import LocalRole
from liaison.tools.demo_data import Federation as DemoData
from liaison.tools.demo_data import generate_federation
from liaison.web.server import WebConsole
from tests.conftest import DbUrlFactory
from tests.integration.harness import PURPOSES, RunningFederation, start_federation

AGENCIES = ("FR", "NL", "TR")
DATASET = "watchlist"
#: The roles issued at FR, by name.
USERS = {
    LocalRole.INVESTIGATOR: "investigator@fr",
    LocalRole.OFFICER: "officer@fr",
    LocalRole.OPERATOR: "operator@fr",
    LocalRole.AUDITOR: "auditor@fr",
}


@dataclass
class ConsoleFederation:
    """The federation, FR's console and a token per role."""

    running: RunningFederation
    data: DemoData
    services: LocalServices
    console: WebConsole
    url: str
    tokens: dict[LocalRole, str]


def web_services(running: RunningFederation, agency: str = "FR") -> LocalServices:
    """FR's local services with a ``[web]`` section (loopback port 0, the node's certificate)."""
    services = running.nodes[agency].services
    assert services is not None
    files = running.pki.nodes[agency]
    web = WebConfig("127.0.0.1:0", files.certificate, files.private_key, purposes=PURPOSES)
    return dataclasses.replace(services, config=dataclasses.replace(services.config, web=web))


@contextmanager
def console_federation(
    tmp_path: Path, make_db_url: DbUrlFactory, *, persons: int = 120
) -> Iterator[ConsoleFederation]:
    """Start the federation with demo data at every node and FR's console; stop both after."""
    data = generate_federation(7, AGENCIES, persons_per_agency=persons)
    running = start_federation(tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES)
    console: WebConsole | None = None
    try:
        for agency in AGENCIES:
            running.import_rows(agency, DATASET, data.datasets[agency])
        running.wait_published()
        tokens = {LocalRole.INVESTIGATOR: running.tokens["FR"]}
        for role, name in USERS.items():
            if role is not LocalRole.INVESTIGATOR:
                tokens[role] = running.add_user("FR", name, role)
        services = web_services(running)
        console = WebConsole(services)
        address = console.start()
        yield ConsoleFederation(running, data, services, console, f"https://{address}", tokens)
    finally:
        if console is not None:
            console.close()
        running.stop()

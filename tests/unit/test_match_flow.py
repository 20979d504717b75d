"""The whole match flow without a socket: requester, coordinator, responders.

The gRPC adapters are replaced by in-process ports that call the domain
objects directly; PKI, envelopes, PSI and SQLite stores are the real ones.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding

from liaison.broker.audit.log import AuditLog
from liaison.broker.audit.sql_store import SqlAuditStore
from liaison.broker.config import BrokerConfig, ParticipantConfig
from liaison.broker.coordinator import Coordinator
from liaison.broker.directory import Directory
from liaison.broker.policy import FederationPolicy
from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.core.config_file import TlsPaths
from liaison.core.errors import EnvelopeRejected, QueryRefused, QuotaExceeded
from liaison.core.query import Justification, SignedQuery
from liaison.core.records import KeyStrength, Record
from liaison.crypto import envelope
from liaison.crypto.certificates import load_certificate, load_private_key
from liaison.crypto.keystore import MasterKey, create_master_key
from liaison.crypto.receipts import Receipt
from liaison.node.agreements import Agreement
from liaison.node.config import NodeConfig
from liaison.node.datasets import Datasets
from liaison.node.filter_cache import FilterCache
from liaison.node.ledger.chain import Ledger
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.model import MatchRequest
from liaison.node.requester import Requester
from liaison.node.responder import Responder
from liaison.node.sql_agreements import SqlAgreementStore
from liaison.node.sql_store import SqlNodeStore
from liaison.v1 import common_pb2
from liaison.wire.chunks import filter_chunks, join_filter_chunks
from liaison.wire.common_codec import receipt_from_proto, receipt_to_proto
from tests.pki_support import Federation, make_federation

T = TypeVar("T")
NOW = datetime.now(UTC)
SHARED = Record(ref="S-1", full_name="Ahmed Ali", date_of_birth="1985-03-14",
                  phones=("+33 6 12 34 56 78",), emails=("a.ali@example.org",))  # fmt: skip
OTHER = Record(ref="S-2", emails=("nobody@example.org",))


class Partner:
    """A partner node's domain objects over a SQLite store."""

    def __init__(
        self,
        tmp: Path,
        pki: Federation,
        agency: str,
        agreement: Agreement,
        audit_key: Ed25519PublicKey | None = None,
    ) -> None:
        self.agreements = SqlAgreementStore(f"sqlite:///{tmp / agency}.db")
        self.agreements.put(agreement)
        create_master_key(tmp / f"{agency}.key")
        self.store = SqlNodeStore(f"sqlite:///{tmp / agency}.db")
        self.datasets = Datasets(
            self.store, MasterKey.load(tmp / f"{agency}.key"), max_client_items=100
        )
        config = NodeConfig(
            path=tmp / f"{agency}.toml", agency=agency, federation_listen="127.0.0.1:1",
            local_listen="127.0.0.1:2", database="", broker="127.0.0.1:3",
            master_key=tmp / f"{agency}.key",
            tls=TlsPaths(pki.ca_certificate, pki.nodes[agency].certificate,
                         pki.nodes[agency].private_key),
            max_keys_per_query=100,
        )  # fmt: skip
        self.ledger_store = SqlLedgerStore(f"sqlite:///{tmp / agency}.db")
        self.ledger = Ledger(self.ledger_store)
        self.responder = Responder(
            config,
            self.datasets,
            self.store,
            load_certificate(pki.ca_certificate),
            self.ledger,
            agreements=self.agreements,
            broker_audit_key=audit_key,
        )


class Processes(threading.local):
    """Which "process" the current thread stands for: requester, broker or a partner."""

    name = "requester"

    def run_as(self, name: str, call: Callable[[], T]) -> T:
        before, self.name = self.name, name
        try:
            return call()
        finally:
            self.name = before


PROCESS = Processes()


class InProcessNodes:
    """The broker's NodePort, calling partners' responders directly."""

    def __init__(self, partners: dict[str, Partner]) -> None:
        self.partners = partners
        self.filter_requests = 0
        self.tamper: bytes | None = None
        self.drop_receipts = False

    def answer(
        self, endpoint: str, signed: SignedQuery, certificate: bytes,
        psi_request: bytes, receipt: Receipt, *, timeout: float,
    ) -> list[DatasetAnswer]:  # fmt: skip
        # Through the wire encoding, as the gRPC adapters do.
        relayed = None if self.drop_receipts else receipt_from_proto(receipt_to_proto(receipt))
        responder = self.partners[endpoint].responder
        answers: list[DatasetAnswer] = PROCESS.run_as(
            endpoint, lambda: responder.answer(signed, certificate, psi_request, relayed)
        )
        if self.tamper is not None:
            answers = [dataclasses.replace(a, psi_response=self.tamper) for a in answers]
        return answers

    def get_filter(
        self, endpoint: str, signed: SignedQuery, certificate: bytes,
        dataset: str, version: int, *, timeout: float,
    ) -> Iterator[common_pb2.FilterChunk]:  # fmt: skip
        self.filter_requests += 1
        responder = self.partners[endpoint].responder
        setup: bytes = PROCESS.run_as(
            endpoint, lambda: responder.filter_for(signed, certificate, dataset, version)
        )
        return filter_chunks(endpoint, dataset, version, setup)


class InProcessBroker:
    """The requester's BrokerPort, calling the coordinator directly."""

    def __init__(
        self, coordinator: Coordinator[common_pb2.FilterChunk], certificate: bytes
    ) -> None:
        self.coordinator = coordinator
        self.certificate = certificate
        self.submitted: list[SignedQuery] = []

    def participants(self) -> list[str]:
        return self.coordinator.participants()

    def submit(self, signed: SignedQuery, psi_request: bytes) -> list[DatasetAnswer]:
        self.submitted.append(signed)
        submit = self.coordinator.submit
        _, answers = PROCESS.run_as("broker", lambda: submit(self.certificate, signed, psi_request))
        return answers

    def fetch_filter(
        self, signed: SignedQuery, agency: str, dataset: str, version: int, *, max_bytes: int
    ) -> bytes:
        fetch = self.coordinator.fetch_filter

        def relay() -> bytes:
            chunks = fetch(self.certificate, signed, agency, dataset, version)
            return join_filter_chunks(chunks, max_bytes=max_bytes)

        return PROCESS.run_as("broker", relay)


@dataclasses.dataclass
class World:
    requester: Requester
    partners: dict[str, Partner]
    nodes: InProcessNodes
    audit_log: AuditLog
    requester_ledger: Ledger
    broker: InProcessBroker
    other_certificate: bytes


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    pki = make_federation(tmp_path / "pki", agencies=("FR", "NL", "TR"), now=NOW)
    audit_key = Ed25519PrivateKey.generate()
    audit_log = AuditLog(
        SqlAuditStore(f"sqlite:///{tmp_path / 'broker.db'}"), audit_key, lambda: datetime.now(UTC)
    )
    partners = {
        "NL": Partner(
            tmp_path,
            pki,
            "NL",
            Agreement("FR", ("*",), ("*",), max_keys_per_query=4),
            audit_key.public_key(),
        ),
        "TR": Partner(tmp_path, pki, "TR", Agreement("FR", ("*",), purposes=("tax",))),
    }
    partners["NL"].datasets.import_records("watchlist", [SHARED], replace=False)
    partners["TR"].datasets.import_records("watchlist", [SHARED], replace=False)
    nodes = InProcessNodes(partners)
    broker_config = BrokerConfig(
        path=tmp_path / "absent-broker.toml", federation="t", listen="127.0.0.1:1", database="",
        tls=TlsPaths(pki.ca_certificate, pki.broker.certificate, pki.broker.private_key),
        participants=tuple(ParticipantConfig(a, a) for a in ("FR", "NL", "TR")),
        purposes=("counter-terrorism", "tax"),
    )  # fmt: skip
    coordinator: Coordinator[common_pb2.FilterChunk] = Coordinator(
        Directory(broker_config), FederationPolicy(1000), nodes,
        load_certificate(pki.ca_certificate), audit_log, partner_timeout=5,
    )  # fmt: skip
    certificate = load_certificate(pki.nodes["FR"].certificate)
    broker = InProcessBroker(coordinator, certificate.public_bytes(Encoding.DER))
    requester_ledger_store = SqlLedgerStore(f"sqlite:///{tmp_path / 'FR'}.db")
    requester_ledger = Ledger(requester_ledger_store)
    requester = Requester(
        "FR", load_private_key(pki.nodes["FR"].private_key), broker, FilterCache(),
        requester_ledger, max_keys=100, envelope_ttl=timedelta(minutes=5),
    )  # fmt: skip
    other = load_certificate(pki.nodes["NL"].certificate).public_bytes(Encoding.DER)
    yield World(requester, partners, nodes, audit_log, requester_ledger, broker, other)
    coordinator.close()
    audit_log.close()
    requester_ledger_store.close()
    for partner in partners.values():
        partner.store.close()
        partner.ledger_store.close()
        partner.agreements.close()


def match(world: World, *rows: Record, **changes: object) -> list[tuple[str, str, object]]:
    # Exact keys only (key spec v1's), so that key counts stay small and known.
    justification = Justification("C-1", "counter-terrorism", "art. 1", "inv")
    purpose = changes.pop("purpose", None)
    if isinstance(purpose, str):
        justification = dataclasses.replace(justification, purpose=purpose)
    request = MatchRequest(justification, tuple(rows), min_strength=KeyStrength.EXACT)
    result = world.requester.match(
        dataclasses.replace(request, **changes),  # type: ignore[arg-type]
        now=datetime.now(UTC),
    )
    return [
        (r.agency, r.status.value, [(h.ref, h.keys) for h in r.hits] or r.reason)
        for r in result.results
    ]


def test_hits_are_reported_per_row_with_their_key_kinds(world: World) -> None:
    assert match(world, OTHER, SHARED, partners=("NL",)) == [
        ("NL", "ok", [("S-1", ("email", "name_dob", "phone"))])
    ]


def test_a_partner_without_agreement_for_the_purpose_refuses(world: World) -> None:
    assert match(world, SHARED) == [
        ("NL", "ok", [("S-1", ("email", "name_dob", "phone"))]),
        ("TR", "refused", "purpose not covered by the agreement"),
    ]


def test_filters_are_fetched_once_per_version(world: World) -> None:
    match(world, SHARED, partners=("NL",))
    match(world, SHARED, partners=("NL",))
    assert world.nodes.filter_requests == 1
    world.partners["NL"].datasets.import_records("watchlist", [OTHER], replace=True)
    assert match(world, Record(ref="S-1", emails=SHARED.emails), OTHER, partners=("NL",)) == [
        ("NL", "ok", [("S-2", ("email",))])
    ]
    assert world.nodes.filter_requests == 2


def test_an_unusable_answer_is_a_status_not_a_failed_query(world: World) -> None:
    world.nodes.tamper = b"\xff\xfe garbage"
    ((agency, status, reason),) = match(world, SHARED, partners=("NL",))
    assert (agency, status) == ("NL", PartnerStatus.UNAVAILABLE.value)
    assert isinstance(reason, str) and reason.startswith("unusable answer")


def test_more_keys_than_the_agreement_allows_is_refused_by_the_partner(world: World) -> None:
    five = (SHARED, OTHER, Record(ref="S-3", emails=("x@example.org",)))
    assert match(world, *five, partners=("NL",)) == [
        ("NL", "refused", "query holds 5 keys; the agreement allows 4")
    ]


def test_more_keys_than_the_node_sends_never_leave_it(world: World) -> None:
    many = tuple(Record(ref=f"R{i}", emails=(f"p{i}@example.org",)) for i in range(101))
    with pytest.raises(QuotaExceeded, match="101 match keys"):
        match(world, *many, partners=("NL",))
    assert world.nodes.filter_requests == 0


def test_every_query_is_logged_before_and_after_the_fan_out(world: World) -> None:
    match(world, SHARED, partners=("NL",))
    records = world.audit_log.records(0, world.audit_log.size)
    kinds = [r.header_fields().kind.value for r in records]
    assert kinds == ["query_submitted", "partner_answered", "query_completed"]
    intent, sent = world.requester_ledger.entries()
    assert (intent.outcome, intent.query_id) == ("submitted", sent.query_id)
    assert (sent.direction.value, sent.counterpart) == ("sent", "NL")
    assert sent.outcome == "NL/watchlist:ok:1 hits"
    (served,) = world.partners["NL"].ledger.entries()
    assert served.query_id == sent.query_id and served.receipt is not None
    assert served.receipt.entry_index == 0


def test_each_answer_s_key_epoch_is_in_the_log_and_the_partner_s_ledger(world: World) -> None:
    match(world, SHARED, partners=("NL",))
    world.partners["NL"].datasets.rotate("watchlist")
    match(world, SHARED, partners=("NL",))

    records = world.audit_log.records(0, world.audit_log.size)
    answered = [r.event() for r in records if r.header_fields().kind.value == "partner_answered"]
    assert [e.fields["key_epoch"] for e in answered if e is not None] == [0, 1]
    served = world.partners["NL"].ledger.entries()
    assert [e.outcome for e in served] == ["watchlist:ok:epoch 0", "watchlist:ok:epoch 1"]


def test_a_partner_requiring_receipts_refuses_a_query_without_one(world: World) -> None:
    world.nodes.drop_receipts = True
    assert match(world, SHARED, partners=("NL",)) == [
        ("NL", "refused", "the query comes without the broker's audit receipt")
    ]
    (served,) = world.partners["NL"].ledger.entries()
    assert served.outcome.startswith("refused")


def test_a_match_verifies_each_envelope_and_justification_once_per_process(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    signatures: Counter[str] = Counter()
    justifications: Counter[str] = Counter()
    check_signature = envelope._check_signature
    first_blank = Justification.first_blank

    def counted_signature(signed: SignedQuery, certificate: bytes) -> None:
        signatures[PROCESS.name] += 1
        check_signature(signed, certificate)

    def counted_justification(justification: Justification) -> str | None:
        justifications[PROCESS.name] += 1
        return first_blank(justification)

    monkeypatch.setattr(envelope, "_check_signature", counted_signature)
    monkeypatch.setattr(Justification, "first_blank", counted_justification)
    # Both partners answer (TR's agreement covers "tax"), so both filters are fetched.
    assert [status for _, status, _ in match(world, SHARED, purpose="tax")] == ["ok", "ok"]
    assert world.nodes.filter_requests == 2
    assert signatures == {"broker": 1, "NL": 1, "TR": 1}
    assert justifications == {"requester": 1, "broker": 1, "NL": 1, "TR": 1}


def test_a_second_fetch_of_the_same_filter_is_still_refused(world: World) -> None:
    match(world, SHARED, partners=("NL",))
    (signed,) = world.broker.submitted
    responder = world.partners["NL"].responder
    with pytest.raises(EnvelopeRejected, match="replayed query"):
        responder.filter_for(signed, world.broker.certificate, "watchlist", 1)


def test_a_filter_request_under_another_certificate_is_verified_in_full(world: World) -> None:
    match(world, SHARED, partners=("NL",))
    (signed,) = world.broker.submitted
    with pytest.raises(EnvelopeRejected, match="bad signature"):
        world.partners["NL"].responder.filter_for(signed, world.other_certificate, "other", 1)
    with pytest.raises(EnvelopeRejected, match="bad signature"):
        world.broker.coordinator.fetch_filter(world.other_certificate, signed, "NL", "x", 1)


def test_an_altered_copy_of_an_answered_query_is_verified_in_full(world: World) -> None:
    match(world, SHARED, partners=("NL",))
    (signed,) = world.broker.submitted
    forged = SignedQuery(envelope=signed.envelope + b"\x00", signature=signed.signature)
    with pytest.raises(EnvelopeRejected, match="bad signature"):
        world.partners["NL"].responder.filter_for(forged, world.broker.certificate, "other", 1)
    with pytest.raises(EnvelopeRejected, match="bad signature"):
        world.broker.coordinator.fetch_filter(world.broker.certificate, forged, "NL", "x", 1)


def test_no_filter_leaves_for_a_query_the_partner_refused(world: World) -> None:
    # Finding 2: a filter (whose Golomb parameters give the key count) only
    # goes with a live query that was answered, and so counted.
    five = (SHARED, OTHER, Record(ref="S-3", emails=("x@example.org",)))
    match(world, *five, partners=("NL",))
    (signed,) = world.broker.submitted
    responder = world.partners["NL"].responder
    with pytest.raises(QueryRefused, match="no filter without a live query"):
        responder.filter_for(signed, world.broker.certificate, "watchlist", 1)

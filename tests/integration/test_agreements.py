"""Agreements, modes and budgets against real servers (findings 2 and 3 of issue 8).

Deny by default at both ends (the node's agreements, the broker's purpose
list), changes applied without a restart, count-only mode end to end, the
mode and key-spec attacks refused INVALID_ARGUMENT by the broker and by the
partner itself, and the 50,000-number enumeration stopped at the daily
budget with an alert in the partner's ledger and the broker's audit log.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from liaison.cli.main import main as liaison
from liaison.core.answers import PartnerStatus
from liaison.core.query import Justification
from liaison.core.records import KeyStrength, Record
from liaison.crypto import psi
from liaison.crypto.certificates import load_certificate, load_private_key
from liaison.node.agreements import AgreementMode
from liaison.node.codec import match_request_to_proto, match_result_from_proto
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.model import MatchRequest, MatchResult
from liaison.v1 import broker_pb2, common_pb2, node_pb2, node_pb2_grpc
from liaison.wire.credentials import secure_channel
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, open_agreement, start_federation

AGENCIES = ("FR", "NL")
HELD = ("+33612012345", "+33612043210")


def phone(number: int) -> str:
    return f"+336120{number:05d}"


@pytest.fixture
def federation(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[RunningFederation]:
    running = start_federation(tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES)
    try:
        running.import_rows(
            "NL", "phones", [Record(ref=f"NL-{i}", phones=(p,)) for i, p in enumerate(HELD)]
        )
        yield running
    finally:
        running.stop()


def match(
    running: RunningFederation, numbers: range | tuple[str, ...], **changes: object
) -> MatchResult:
    phones = [phone(n) for n in numbers] if isinstance(numbers, range) else list(numbers)
    request = MatchRequest(
        justification=Justification("CASE-9", "counter-terrorism", "art. 1", "inv-1"),
        records=tuple(Record(ref=f"R-{i}", phones=(p,)) for i, p in enumerate(phones)),
        partners=("NL",),
        min_strength=KeyStrength.EXACT,
    )
    message = match_request_to_proto(dataclasses.replace(request, **changes))  # type: ignore[arg-type]
    return match_result_from_proto(running.local("FR").Match(message, timeout=120))


def statuses(result: MatchResult) -> list[tuple[str, str, str]]:
    return [(r.dataset, r.status.value, r.reason) for r in result.results]


def code_of(caught: pytest.ExceptionInfo[grpc.RpcError]) -> grpc.StatusCode:
    return caught.value.code()


def details_of(caught: pytest.ExceptionInfo[grpc.RpcError]) -> str:
    return str(caught.value.details())


# -- deny by default, changes without restart ------------------------------------


def test_a_partner_without_agreement_is_refused_and_an_added_one_applies_at_once(
    federation: RunningFederation,
) -> None:
    assert statuses(match(federation, HELD))[0][1] == "ok"
    node = str(federation.node_configs["NL"].path)
    assert liaison(["node", "agreement", "remove", "FR", "--config", node]) == 0
    ((_, status, reason),) = statuses(match(federation, HELD))
    assert (status, reason) == ("refused", "no agreement with FR")
    assert liaison([
        "node", "agreement", "add", "FR", "--config", node, "--datasets", "phones",
        "--purposes", "counter-terrorism", "--max-keys-per-day", "100",
    ]) == 0  # fmt: skip
    result = match(federation, HELD)
    assert [(r.status, len(r.hits)) for r in result.results] == [(PartnerStatus.OK, 2)]


def test_an_expired_agreement_refuses(federation: RunningFederation) -> None:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    federation.set_agreement("NL", open_agreement("FR", expires_at=yesterday))
    ((_, status, reason),) = statuses(match(federation, HELD))
    assert (status, reason) == ("refused", "the agreement with FR has expired")


def test_a_purpose_not_on_the_brokers_list_is_refused_until_the_operator_adds_it(
    federation: RunningFederation,
) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        match(federation, HELD, justification=Justification("C", "tax", "art. 2", "inv-1"))
    assert code_of(caught) == grpc.StatusCode.PERMISSION_DENIED
    assert "purpose not accepted by the federation" in details_of(caught)
    config = str(federation.broker_config.path)
    assert liaison(["broker", "purpose", "add", "tax", "--config", config]) == 0
    assert federation.broker is not None
    federation.monotonic.advance(2)  # the broker re-reads broker.toml (no restart)
    result = match(federation, HELD, justification=Justification("C", "tax", "art. 2", "inv-1"))
    assert [r.status for r in result.results] == [PartnerStatus.OK]


def test_a_removed_participant_is_refused_at_once(federation: RunningFederation) -> None:
    config = str(federation.broker_config.path)
    assert liaison(["broker", "participant", "remove", "FR", "--config", config]) == 0
    federation.monotonic.advance(2)
    with pytest.raises(grpc.RpcError) as caught:
        match(federation, HELD)
    assert code_of(caught) == grpc.StatusCode.PERMISSION_DENIED


# -- count-only mode --------------------------------------------------------------


def test_count_only_returns_counts_and_no_hit(federation: RunningFederation) -> None:
    result = match(federation, (*HELD, phone(1), phone(2), phone(3)), count_only=True)
    assert result.count_only
    ((partner),) = result.results
    assert (partner.status, partner.match_count, partner.hits) == (PartnerStatus.OK, 2, ())


def test_a_count_only_agreement_never_yields_hits(federation: RunningFederation) -> None:
    federation.set_agreement("NL", open_agreement("FR", mode=AgreementMode.COUNT))
    ((_, status, reason),) = statuses(match(federation, HELD))
    assert (status, reason) == ("refused", "the agreement allows only counts (use count-only mode)")
    counted = match(federation, HELD, count_only=True)
    assert [(r.status, r.match_count) for r in counted.results] == [(PartnerStatus.OK, 2)]


# -- finding 3: mode and key spec were ignored ----------------------------------------


def resign(running: RunningFederation, signed: common_pb2.SignedQuery, **fields: object) -> (
    common_pb2.SignedQuery
):  # fmt: skip
    """Change envelope fields and sign again with FR's key: a well-signed hostile query."""
    envelope = common_pb2.QueryEnvelope.FromString(signed.envelope)
    for name, value in fields.items():
        setattr(envelope, name, value)
    data = envelope.SerializeToString(deterministic=True)
    key = load_private_key(running.pki.nodes["FR"].private_key)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return common_pb2.SignedQuery(
        envelope=data, signature=key.sign(data, ec.ECDSA(hashes.SHA256()))
    )


ATTACKS: dict[str, dict[str, object]] = {
    "cardinality envelope, reveal request": {"mode": common_pb2.MATCH_MODE_CARDINALITY},
    "unspecified mode": {"mode": common_pb2.MATCH_MODE_UNSPECIFIED},
    "unknown key spec": {"key_spec": "bogus-99"},
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_hostile_mode_or_key_spec_is_invalid_at_the_broker_and_at_the_partner(
    federation: RunningFederation, attack: str
) -> None:
    psi_request = psi.PsiClient().request(list(HELD))  # reveal mode
    honest = federation.signed_query("FR", ["NL"], psi_request, key_count=2)
    signed = resign(federation, honest, **ATTACKS[attack])
    with pytest.raises(grpc.RpcError) as at_broker:
        federation.broker_stub("FR").Submit(
            broker_pb2.SubmitRequest(query=signed, psi_request=psi_request), timeout=30
        )
    assert code_of(at_broker) == grpc.StatusCode.INVALID_ARGUMENT
    # A broker that relayed it anyway: the partner refuses by itself.
    certificate = load_certificate(federation.pki.nodes["FR"].certificate)
    channel = secure_channel(
        federation.node_configs["NL"].federation_listen, federation.pki.tls(federation.pki.broker)
    )
    with channel, pytest.raises(grpc.RpcError) as at_partner:
        node_pb2_grpc.NodeFederationStub(channel).Answer(
            node_pb2.PartnerRequest(
                query=signed,
                requester_certificate=certificate.public_bytes(Encoding.DER),
                psi_request=psi_request,
            ),
            timeout=30,
        )
    assert code_of(at_partner) == grpc.StatusCode.INVALID_ARGUMENT


def test_a_query_of_no_key_is_refused_by_the_broker(federation: RunningFederation) -> None:
    psi_request = psi.PsiClient().request([])
    signed = federation.signed_query("FR", ["NL"], psi_request, key_count=0)
    with pytest.raises(grpc.RpcError) as caught:
        federation.broker_stub("FR").Submit(
            broker_pb2.SubmitRequest(query=signed, psi_request=psi_request), timeout=30
        )
    assert code_of(caught) == grpc.StatusCode.INVALID_ARGUMENT
    assert "no key" in details_of(caught)


# -- finding 2: fishing was unbounded -------------------------------------------------


def test_the_enumeration_of_50000_numbers_stops_at_the_daily_budget_with_an_alert(
    federation: RunningFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    federation.set_agreement(
        "NL", open_agreement("FR", max_keys_per_query=10_000, max_keys_per_day=20_000)
    )
    results = [
        match(federation, range(start, start + 10_000)) for start in range(0, 50_000, 10_000)
    ]
    outcomes = [(r.results[0].status.value, len(r.results[0].hits)) for r in results]
    # 20,000 keys answered: the number held at 12,345 is found, the one at 43,210 never.
    assert outcomes == [("ok", 0), ("ok", 1), ("refused", 0), ("refused", 0), ("refused", 0)]
    reason = results[2].results[0].reason
    assert reason.startswith("alert: daily key budget exhausted")
    with SqlLedgerStore(federation.node_configs["NL"].database) as ledger:
        served = [e.outcome for e in ledger.all() if e.counterpart == "FR"]
    assert [o.startswith("alert: daily key budget exhausted") for o in served] == [
        False, False, True, True, True,
    ]  # fmt: skip
    capsys.readouterr()
    assert liaison(["audit", "log", "--config", str(federation.auditor_config())]) == 0
    log = capsys.readouterr().out
    alerts = [line for line in log.splitlines() if "reason=alert: daily key budget" in line]
    assert len(alerts) == 3 and all("partner_answered" in line for line in alerts)


def test_the_rate_limit_per_requester_fires_with_an_alert(federation: RunningFederation) -> None:
    federation.set_agreement("NL", open_agreement("FR", queries_per_minute=2))
    # The partner's clock stands still, so the three queries fall in one rate
    # window wherever the wall clock is (envelopes allow it 60 s of skew).
    frozen = datetime.now(UTC)
    federation.nodes.pop("NL").stop(0)
    federation.start_node("NL", clock=lambda: frozen)
    results = [match(federation, HELD) for _ in range(3)]
    assert [r.results[0].status.value for r in results] == ["ok", "ok", "refused"]
    assert results[2].results[0].reason.startswith("alert: rate limit reached")


def test_agreement_list_shows_the_limits_and_todays_spending(
    federation: RunningFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    node = str(federation.node_configs["NL"].path)
    assert liaison([
        "node", "agreement", "add", "FR", "--config", node, "--datasets", "phones,people",
        "--purposes", "counter-terrorism", "--mode", "count", "--max-keys-per-day", "500",
        "--expires", "2099-01-01",
    ]) == 0  # fmt: skip
    match(federation, HELD, count_only=True)
    capsys.readouterr()
    assert liaison(["node", "agreement", "list", "--config", node, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed == {
        "partner": "FR", "datasets": ["phones", "people"], "purposes": ["counter-terrorism"],
        "mode": "count", "max_keys_per_query": 1000, "max_keys_per_day": 500,
        "queries_per_minute": 10, "expires_at": "2099-01-01T00:00:00+00:00", "keys_today": 2,
        "hit_notices": False,
    }  # fmt: skip
    assert liaison(["node", "agreement", "remove", "FR", "--config", node]) == 0
    assert liaison(["node", "agreement", "remove", "FR", "--config", node]) == 1
    assert liaison(["node", "agreement", "add", "*", "--config", node, "--datasets", "*",
                    "--purposes", "*"]) == 1  # fmt: skip

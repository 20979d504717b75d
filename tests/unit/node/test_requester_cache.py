"""The requester's decoded-filter cache: same results as a full decode, never stale."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.core.errors import Unreachable
from liaison.core.query import Justification, SignedQuery
from liaison.core.records import Record
from liaison.crypto import psi
from liaison.crypto.keys import derive_keys_v2
from liaison.node.filter_cache import FilterCache, FilterKey
from liaison.node.ledger.chain import Ledger
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.model import MatchRequest, MatchResult
from liaison.node.requester import Requester

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
PEOPLE = tuple(
    Record(ref=f"P-{i}", emails=(f"person{i}@example.org",), phones=(f"+3161234{i:04d}",))
    for i in range(40)
)


def _keys(records: tuple[Record, ...]) -> list[str]:
    return sorted({k.value for r in records for k in derive_keys_v2(r)})


@dataclass
class Partner:
    """One partner dataset at one version, as its node would serve it."""

    records: tuple[Record, ...]
    version: int
    epoch: int = 0
    key: bytes = field(default_factory=psi.new_server_key)

    def setup(self) -> bytes:
        return psi.build_filter(self.key, _keys(self.records), max_client_items=1000)


class PsiBroker:
    """A BrokerPort whose partners answer with real PSI; counts filter fetches."""

    def __init__(self, partners: dict[str, Partner]) -> None:
        self.partners = partners
        self.fetches: list[tuple[str, int]] = []
        self.fail_fetches = False

    def participants(self) -> list[str]:
        return ["FR", *self.partners]

    def submit(self, signed: SignedQuery, psi_request: bytes) -> list[DatasetAnswer]:
        return [
            DatasetAnswer(
                agency,
                "watchlist",
                PartnerStatus.OK,
                filter_version=p.version,
                psi_response=psi.PsiServer(p.key).process(psi_request),
                filter_keys=len(_keys(p.records)),
                key_epoch=p.epoch,
            )
            for agency, p in self.partners.items()
        ]

    def fetch_filter(
        self, signed: SignedQuery, agency: str, dataset: str, version: int, *, max_bytes: int
    ) -> bytes:
        self.fetches.append((agency, version))
        if self.fail_fetches:
            raise Unreachable("the broker could not be reached")
        partner = self.partners[agency]
        assert version == partner.version
        return partner.setup()


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    store = SqlLedgerStore(f"sqlite:///{tmp_path / 'ledger.db'}")
    yield Ledger(store)
    store.close()


def _match(requester: Requester, rows: tuple[Record, ...]) -> MatchResult:
    request = MatchRequest(Justification("C-1", "counter-terrorism", "art. 1", "inv"), rows)
    return requester.match(request, now=NOW)


def _requester(broker: PsiBroker, ledger: Ledger, cache: FilterCache) -> Requester:
    key = ec.generate_private_key(ec.SECP256R1())
    return Requester(
        "FR", key, broker, cache, ledger, max_keys=1000, envelope_ttl=timedelta(minutes=5)
    )


def _hit_refs(result: MatchResult) -> dict[str, list[str]]:
    return {r.agency: [h.ref for h in r.hits] for r in result.results}


def _expected(partners: dict[str, Partner], rows: tuple[Record, ...]) -> dict[str, list[str]]:
    """What a full decode by openmined-psi itself finds, per partner."""
    items = _keys(rows)
    found: dict[str, list[str]] = {}
    for agency, partner in partners.items():
        client = psi.PsiClient()
        response = psi.PsiServer(partner.key).process(client.request(items))
        held = {
            items[i] for i in client.intersect(partner.setup(), response, request_items=len(items))
        }
        found[agency] = [r.ref for r in rows if any(k.value in held for k in derive_keys_v2(r))]
    return found


def test_cached_look_ups_give_what_a_full_decode_gives(ledger: Ledger) -> None:
    partners = {"NL": Partner(PEOPLE[:25], 3), "TR": Partner(PEOPLE[15:], 7)}
    broker = PsiBroker(partners)
    requester = _requester(broker, ledger, FilterCache())
    rows = PEOPLE[10:30]
    cold = _match(requester, rows)
    warm = _match(requester, rows)
    assert broker.fetches == [("NL", 3), ("TR", 7)]  # the warm match fetched nothing
    assert _hit_refs(cold) == _hit_refs(warm) == _expected(partners, rows)
    assert _hit_refs(warm)["NL"] == [f"P-{i}" for i in range(10, 25)]


def test_a_changed_version_is_fetched_and_the_old_filter_never_answers(ledger: Ledger) -> None:
    partners = {"NL": Partner(PEOPLE[:20], 1)}
    broker = PsiBroker(partners)
    cache = FilterCache()
    requester = _requester(broker, ledger, cache)
    assert _hit_refs(_match(requester, PEOPLE))["NL"] == [f"P-{i}" for i in range(20)]
    # An import removes ten records and adds others: version 2, same key.
    partners["NL"] = Partner(PEOPLE[10:30], 2, key=partners["NL"].key)
    changed = _match(requester, PEOPLE)
    assert broker.fetches == [("NL", 1), ("NL", 2)]
    assert _hit_refs(changed) == _expected(partners, PEOPLE)
    assert cache.held() == [FilterKey("NL", "watchlist", 0, 2)]


def test_a_new_version_whose_filter_cannot_be_fetched_is_unavailable_not_stale(
    ledger: Ledger,
) -> None:
    partners = {"NL": Partner(PEOPLE[:20], 1)}
    broker = PsiBroker(partners)
    requester = _requester(broker, ledger, FilterCache())
    _match(requester, PEOPLE)
    partners["NL"] = Partner(PEOPLE[:20], 2, key=partners["NL"].key)
    broker.fail_fetches = True
    (result,) = _match(requester, PEOPLE).results
    assert result.status is PartnerStatus.UNAVAILABLE and result.hits == ()


def test_a_new_epoch_at_the_same_version_misses_the_cache(ledger: Ledger) -> None:
    partners = {"NL": Partner(PEOPLE[:20], 4)}
    broker = PsiBroker(partners)
    requester = _requester(broker, ledger, FilterCache())
    _match(requester, PEOPLE)
    # A partner that declares another epoch for the same version: a new key.
    partners["NL"] = Partner(PEOPLE[:5], 4, epoch=1)
    result = _match(requester, PEOPLE)
    assert broker.fetches == [("NL", 4), ("NL", 4)]
    assert _hit_refs(result)["NL"] == [f"P-{i}" for i in range(5)]


def test_the_cache_is_bounded_by_decoded_memory(ledger: Ledger) -> None:
    partners = {a: Partner(PEOPLE, 1) for a in ("NL", "TR", "BE")}
    broker = PsiBroker(partners)
    # Room for about two decoded filters of 80 keys (8 bytes a key).
    cache = FilterCache(max_bytes=2 * 8 * len(_keys(PEOPLE)))
    _match(_requester(broker, ledger, cache), PEOPLE[:3])
    assert [k.agency for k in cache.held()] == ["TR", "BE"]

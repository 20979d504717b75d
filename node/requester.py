"""The requesting side of a federated match.

Derive match keys from the investigator's rows, blind them once under a
fresh PSI client key (one request serves every partner), sign the query
envelope, submit it through the broker, then, in parallel: fetch the filters
the cache lacks (streamed, decoded once: :mod:`liaison.node.filter_cache`)
and unblind each partner's answer; look the unblinded keys up in each
partner dataset's decoded filter and report hits per input row. A warm
match costs the curve work of its own keys and a look-up per key, whatever
the size of the partners' datasets.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric import ec

from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.core.errors import InvalidInput, LiaisonError, PsiError, QuotaExceeded, Unreachable
from liaison.core.query import AgencyCode, MatchMode, Query, SignedQuery, Target
from liaison.core.records import KeyRole, KeyStrength, Record
from liaison.crypto import psi
from liaison.crypto.entity_keys import derive_record_keys
from liaison.crypto.envelope import (
    epoch_ms,
    from_epoch_ms,
    new_query_id,
    payload_digest,
    sign_query,
)
from liaison.crypto.filter_index import FilterIndex
from liaison.crypto.keys import KEY_SPEC_V3, key_tag
from liaison.node import split
from liaison.node.filter_cache import FilterCache, FilterKey
from liaison.node.ledger.chain import Ledger
from liaison.node.ledger.outcomes import LOST_PREFIX, SUBMITTED
from liaison.node.model import Hit, MatchRequest, MatchResult, PartnerResult

log = logging.getLogger(__name__)


class BrokerPort(Protocol):
    """What the requester needs from the broker (a gRPC client in production)."""

    def participants(self) -> list[str]:
        """Return the agency codes of the federation."""

    def submit(self, signed: SignedQuery, psi_request: bytes) -> list[DatasetAnswer]:
        """Submit a signed query; return every partner dataset's answer."""

    def fetch_filter(
        self, signed: SignedQuery, agency: str, dataset: str, version: int, *, max_bytes: int
    ) -> bytes:
        """Fetch one partner dataset's filter for this query, refusing it past ``max_bytes``."""


#: Most bytes one filter fetch may hold, whatever the partner declares: a
#: Golomb-coded filter of about ten million keys.
MAX_FILTER_BYTES = 64 * 1024 * 1024
#: Threads that fetch filters and unblind answers, partners in parallel.
DEFAULT_WORKERS = 16


@dataclass(frozen=True, slots=True)
class KeySource:
    """Where a distinct match key came from: an input row, its tag and strength."""

    row: int
    tag: str
    strength: KeyStrength


def index_keys(
    rows: Sequence[Record], *, min_strength: KeyStrength | None = None
) -> dict[str, list[KeySource]]:
    """Map each distinct key (spec v3 query side, and identifier keys) to the rows it came from.

    Keys weaker than ``min_strength`` are never derived into the query: they
    would only be filtered out of the answer, after counting against quotas.
    """
    index: dict[str, list[KeySource]] = defaultdict(list)
    for row, record in enumerate(rows):
        for key in derive_record_keys(record, KeyRole.QUERY):
            if min_strength is not None and key.strength < min_strength:
                continue
            index[key.value].append(KeySource(row, key_tag(key).value, key.strength))
    return index


class Requester:
    """Runs federated matches for one agency node."""

    def __init__(
        self,
        agency: str,
        signing_key: ec.EllipticCurvePrivateKey,
        broker: BrokerPort,
        cache: FilterCache,
        ledger: Ledger,
        *,
        max_keys: int,
        envelope_ttl: timedelta,
        max_filter_bytes: int = MAX_FILTER_BYTES,
        workers: int = DEFAULT_WORKERS,
    ) -> None:
        """Wire the requester to the node's signing key, the broker and its ledger.

        ``max_filter_bytes`` bounds every filter fetch (see :meth:`_fetch`);
        ``workers`` threads fetch filters and unblind answers in parallel.
        """
        self._agency = agency
        self._ledger = ledger
        self._key = signing_key
        self._broker = broker
        self._cache = cache
        self._max_keys = max_keys
        self._ttl = envelope_ttl
        self._max_filter_bytes = max_filter_bytes
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="requester")

    def close(self) -> None:
        """Stop the worker threads (a match in progress finishes first)."""
        self._pool.shutdown(wait=True)

    def match(self, request: MatchRequest, *, now: datetime) -> MatchResult:
        """Run one federated match: one query, or several when it asks to split.

        Raises:
            InvalidInput: case, purpose, legal basis or investigator missing, no
                row yields a match key, or no partner to ask.
            QuotaExceeded: more distinct keys than this node sends in one query
                (the message gives the remedy), unless the request asks to
                split, or one row alone gives more (:mod:`node.split`).
            NotFound: the broker does not know a named partner.
            PermissionDenied: the broker refused the query.
            Unreachable: the broker failed or was not reached; recorded as lost
                after the intent entry written before the call.
            LiaisonError: any other failure of the broker (its audit log, say);
                recorded in the ledger as refused by the broker, then raised.
        """
        _require_metadata(request)
        index = index_keys(request.records, min_strength=request.min_strength)
        if not index:
            raise InvalidInput("no match key can be derived from the input rows")
        parts = [list(range(len(request.records)))]
        if len(index) > self._max_keys:
            keys_of_rows: list[set[str]] = [set() for _ in request.records]
            for key, sources in index.items():
                for source in sources:
                    keys_of_rows[source.row].add(key)
            if not request.split:
                raise split.over_budget(keys_of_rows, len(index), self._max_keys)
            parts = split.plan_parts(keys_of_rows, self._max_keys)
        partners = list(request.partners) or [
            p for p in self._broker.participants() if p != self._agency
        ]
        if not partners:
            raise InvalidInput("no partner to ask")
        if len(parts) == 1:
            return self._send(request, parts[0], index, partners, now)
        results: list[MatchResult] = []
        for number, rows in enumerate(parts, start=1):
            part_index = index_keys(
                [request.records[row] for row in rows], min_strength=request.min_strength
            )
            try:
                results.append(self._send(request, rows, part_index, partners, now))
            except LiaisonError as exc:
                sent = ", ".join(result.query_id for result in results) or "none"
                raise type(exc)(
                    f"part {number} of {len(parts)} failed (queries sent before it: {sent}): {exc}"
                ) from exc
        return split.combine(results)

    def _send(
        self,
        request: MatchRequest,
        rows: list[int],
        index: dict[str, list[KeySource]],
        partners: list[str],
        now: datetime,
    ) -> MatchResult:
        """Send one query for these rows of the request (``index`` numbers them from 0)."""
        if len(index) > self._max_keys:
            raise QuotaExceeded(
                f"{len(index)} match keys; this node sends at most {self._max_keys}"
            )
        items = sorted(index)
        client = psi.PsiClient(reveal=not request.count_only)
        psi_request = client.request(items)
        query = self._query(request, partners, psi_request, len(items), now)
        query_id = query.query_id
        signed = sign_query(query, self._key)
        # Intent first: a broker failing mid-fan-out leaves this, not a silent gap.
        self._record(request, query_id, partners, len(items), SUBMITTED)
        try:
            answers = self._broker.submit(signed, psi_request)
        except Unreachable:
            lost = f"{LOST_PREFIX}the broker failed or could not be reached before answering"
            self._record(request, query_id, partners, len(items), lost)
            raise
        except LiaisonError as exc:
            self._record(request, query_id, partners, len(items), f"refused by the broker: {exc}")
            raise
        results = self._results(answers, signed, client, items, index, request, rows)
        self._record(request, query_id, partners, len(items), _outcome(results, request.count_only))
        return MatchResult(
            query_id=query_id,
            key_count=len(items),
            results=results,
            count_only=request.count_only,
            query_ids=(query_id,),
        )

    def _record(
        self,
        request: MatchRequest,
        query_id: str,
        partners: list[str],
        key_count: int,
        outcome: str,
    ) -> None:
        # Hit counts stay here, in the requester's own ledger: the broker
        # never learns results.
        self._ledger.record_sent(
            query_id=query_id,
            partners=partners,
            justification=request.justification,
            key_count=key_count,
            outcome=outcome,
        )

    def _query(
        self,
        request: MatchRequest,
        partners: list[str],
        psi_request: bytes,
        key_count: int,
        now: datetime,
    ) -> Query:
        # The envelope carries milliseconds: the query says exactly what is signed.
        issued_at = from_epoch_ms(epoch_ms(now))
        return Query(
            query_id=new_query_id(),
            requesting_agency=AgencyCode(self._agency),
            justification=request.justification,
            targets=tuple(Target(AgencyCode(p), request.datasets) for p in partners),
            key_count=key_count,
            payload_digest=payload_digest(psi_request),
            issued_at=issued_at,
            expires_at=issued_at + self._ttl,
            key_spec=KEY_SPEC_V3,
            mode=MatchMode.CARDINALITY if request.count_only else MatchMode.REVEAL,
        )

    def _results(
        self,
        answers: Sequence[DatasetAnswer],
        signed: SignedQuery,
        client: psi.PsiClient,
        items: list[str],
        index: dict[str, list[KeySource]],
        request: MatchRequest,
        rows: list[int],
    ) -> tuple[PartnerResult, ...]:
        """Fetch missing filters and unblind every ok answer in parallel, then look up."""
        unblinder = client.unblinder()
        work = [
            (
                answer,
                self._decoded(signed, answer),
                self._pool.submit(unblinder.unblind, answer.psi_response, request_items=len(items)),
            )
            for answer in answers
            if answer.status is PartnerStatus.OK
        ]
        results = {
            id(answer): PartnerResult(answer.agency, answer.dataset, answer.status, answer.reason)
            for answer in answers
            if answer.status is not PartnerStatus.OK
        }
        for answer, (decoded, cached), clear in work:
            try:
                found = decoded.result().matches(clear.result())
            except LiaisonError as exc:
                log.warning("answer of %s/%s unusable: %s", answer.agency, answer.dataset, exc)
                results[id(answer)] = PartnerResult(
                    answer.agency,
                    answer.dataset,
                    PartnerStatus.UNAVAILABLE,
                    f"unusable answer: {exc}",
                )
                continue
            if not cached:
                # Only a filter that answered a query is kept.
                self._cache.put(_filter_key(answer), decoded.result())
            results[id(answer)] = _result(answer, found, items, index, request, rows, client.reveal)
        return tuple(results[id(answer)] for answer in answers)

    def _decoded(
        self, signed: SignedQuery, answer: DatasetAnswer
    ) -> tuple[Future[FilterIndex], bool]:
        """Return the partner dataset's decoded filter (to come) and whether it was cached."""
        cached = self._cache.get(_filter_key(answer))
        if cached is not None:
            done: Future[FilterIndex] = Future()
            done.set_result(cached)
            return done, True
        return self._pool.submit(self._fetch, signed, answer), False

    def _fetch(self, signed: SignedQuery, answer: DatasetAnswer) -> FilterIndex:
        """Fetch and decode the filter of the answer's version.

        A fetched filter may be no larger than the key count the partner
        declared implies (:func:`~liaison.crypto.psi.max_filter_bytes`) and
        than ``max_filter_bytes``; the fetch stops once it passes the bound.

        Raises:
            PsiError: the declared count or the filter is too large, or malformed.
            LiaisonError: the fetch failed.
        """
        bound = psi.max_filter_bytes(answer.filter_keys)
        if bound > self._max_filter_bytes:
            raise PsiError("the partner declares a filter larger than this node accepts")
        setup = self._broker.fetch_filter(
            signed, answer.agency, answer.dataset, answer.filter_version, max_bytes=bound
        )
        if len(setup) > bound:
            raise PsiError("filter exceeds the size limit")
        return psi.filter_index(setup, max_items=answer.filter_keys)


def _filter_key(answer: DatasetAnswer) -> FilterKey:
    return FilterKey(answer.agency, answer.dataset, answer.key_epoch, answer.filter_version)


def _result(
    answer: DatasetAnswer,
    found: list[int],
    items: list[str],
    index: dict[str, list[KeySource]],
    request: MatchRequest,
    rows: list[int],
    reveal: bool,
) -> PartnerResult:
    """One ok answer's result: hits per input row, or only the count in count-only mode.

    ``rows`` maps the rows of this query's part to the rows of the request.
    """
    if not reveal:
        return PartnerResult(
            answer.agency,
            answer.dataset,
            PartnerStatus.OK,
            "",
            answer.filter_version,
            match_count=len(found),
        )
    sources_by_row: dict[int, list[KeySource]] = defaultdict(list)
    for position in found:
        for source in index[items[position]]:
            sources_by_row[source.row].append(source)
    hits = tuple(
        Hit(
            row=rows[row],
            ref=request.records[rows[row]].ref,
            keys=tuple(sorted({source.tag for source in sources})),
            strength=max(source.strength for source in sources),
        )
        for row, sources in sorted(sources_by_row.items())
    )
    return PartnerResult(
        answer.agency,
        answer.dataset,
        PartnerStatus.OK,
        "",
        answer.filter_version,
        hits,
        match_count=len(found),
        matched_keys=tuple(sorted(items[position] for position in found)),
    )


def _outcome(results: Sequence[PartnerResult], count_only: bool) -> str:
    # Hits per partner dataset ("NL/watchlist:ok:3 hits"), or keys counted in count-only mode.
    if count_only:
        return ";".join(
            f"{r.agency}/{r.dataset}:{r.status.value}:{r.match_count} keys counted" for r in results
        )
    return ";".join(f"{r.agency}/{r.dataset}:{r.status.value}:{len(r.hits)} hits" for r in results)


def _require_metadata(request: MatchRequest) -> None:
    missing = request.justification.first_blank()
    if missing:
        raise InvalidInput(f"a match needs a {missing}")

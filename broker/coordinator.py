"""The broker's work: verify, check policy, fan out, relay filters.

The broker is honest but curious by design: it sees signed metadata and
blinded PSI messages, never a key that opens them. It cannot forge a query
(partners verify the requester's signature themselves) and it relays each
filter only to the agency whose live query asked for it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, Protocol, TypeVar

from cryptography import x509

from liaison.broker import metrics
from liaison.broker.admission import AgencyLimits, AgencyThrottle
from liaison.broker.alerts import AlertLimiter
from liaison.broker.audit.events import answered_events, partner_alerts, submitted_event
from liaison.broker.audit.log import AuditLog
from liaison.broker.directory import Directory
from liaison.broker.fanout import fan_out
from liaison.broker.policy import FederationPolicy
from liaison.core import audit_events
from liaison.core.alerts import BROKER, Alert
from liaison.core.answers import DatasetAnswer
from liaison.core.errors import (
    EnvelopeRejected,
    LiaisonError,
    NotFound,
    PermissionDenied,
    QuotaExceeded,
)
from liaison.core.query import MatchMode, Query, QueryId, SignedQuery
from liaison.crypto import psi
from liaison.crypto.certificates import identity_from_certificate
from liaison.crypto.envelope import (
    MemoryReplayGuard,
    ReplayGuard,
    VerifiedQuery,
    open_query,
    unverified_query_id,
    verify_payload_digest,
)
from liaison.crypto.receipts import Receipt
from liaison.crypto.verified_queries import VerifiedQueries

log = logging.getLogger(__name__)


#: What a partner streams back for a filter; the coordinator relays it untouched.
Chunk = TypeVar("Chunk")
Chunk_co = TypeVar("Chunk_co", covariant=True)


class NodePort(Protocol[Chunk_co]):
    """How the broker reaches a partner node (gRPC in production)."""

    def answer(
        self,
        endpoint: str,
        signed: SignedQuery,
        requester_certificate: bytes,
        psi_request: bytes,
        receipt: Receipt,
        *,
        timeout: float,
    ) -> list[DatasetAnswer]:
        """Relay a query and its audit receipt to one partner; return its answers."""

    def get_filter(
        self,
        endpoint: str,
        signed: SignedQuery,
        requester_certificate: bytes,
        dataset: str,
        version: int,
        *,
        timeout: float,
    ) -> Iterator[Chunk_co]:
        """Relay a filter request and stream the partner's chunks back."""


@dataclass(frozen=True, slots=True)
class LiveQuery:
    """A query the broker relayed and that has not expired yet."""

    requester: str
    targets: frozenset[str]
    expires_at: datetime


class Coordinator(Generic[Chunk]):
    """Relays federated matches between participants."""

    def __init__(
        self,
        directory: Directory,
        policy: FederationPolicy,
        nodes: NodePort[Chunk],
        ca_certificate: x509.Certificate,
        audit_log: AuditLog,
        *,
        partner_timeout: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        workers: int = 32,
        replay: ReplayGuard | None = None,
        throttle: AgencyThrottle | None = None,
        alerts: AlertLimiter | None = None,
    ) -> None:
        """Wire the coordinator; ``partner_timeout`` is each partner's deadline.

        ``replay`` remembers accepted query ids (in memory unless given: the
        server passes the persistent :class:`~liaison.broker.sql_replay.SqlReplayGuard`);
        ``throttle`` bounds each agency's submissions (default limits unless given);
        ``alerts`` bounds the ``fishing_alert`` entries written (one per
        agency, partner and limit a minute unless given).
        """
        self._directory = directory
        self._audit = audit_log
        self._policy = policy
        self._nodes = nodes
        self._ca = ca_certificate
        self._timeout = partner_timeout
        self._clock = clock
        self._replay = replay if replay is not None else MemoryReplayGuard(clock=clock)
        self._throttle = throttle if throttle is not None else AgencyThrottle(AgencyLimits())
        self._alerts = alerts if alerts is not None else AlertLimiter()
        self._live: dict[str, LiveQuery] = {}
        # Queries submitted, so a filter fetch for one is not verified again.
        self._submitted: VerifiedQueries[None] = VerifiedQueries()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fanout")

    def participants(self) -> list[str]:
        """Return the admitted agencies."""
        return [p.agency for p in self._directory.participants()]

    def _admitted(self, agency: str) -> None:
        if self._directory.get(agency) is None:
            raise PermissionDenied("caller is not a participant")

    def submit(
        self, caller_certificate: bytes, signed: SignedQuery, psi_request: bytes
    ) -> tuple[QueryId, list[DatasetAnswer]]:
        """Verify a signed query, check policy, log it, fan it out, log the answers.

        Log before disclosure: the query_submitted entry is committed before
        any partner sees the query, and the answers and the completion entry
        before the result goes back. A refusal is logged as a policy denial.
        First of all the caller's agency is admitted by the throttle (its
        queries in flight and per minute); a throttled call costs nothing
        else and writes one ``fishing_alert`` entry at most (at most one per
        agency and limit a minute). A partner's budget or rate alert is
        logged as a ``fishing_alert`` beside its answer, under the same bound.

        Returns:
            The query id and every partner dataset's answer.

        Raises:
            EnvelopeRejected: bad signature, expired, replayed, not the caller's,
                or a payload that does not match the envelope.
            PermissionDenied: the caller is not a participant.
            QuotaExceeded: the caller's agency is over its in-flight or rate limit.
            QueryRefused, NotFound, InvalidInput, QuotaExceeded: policy.
            PsiError: the PSI payload is malformed.
        """
        agency = identity_from_certificate(caller_certificate).name
        try:
            with self._throttle.admit(agency):
                return self._submit(caller_certificate, signed, psi_request)
        except QuotaExceeded as exc:
            # Only the throttle raises an alert of a broker limit.
            if exc.alert is not None and exc.alert.limit.at_broker:
                self._throttled(agency, exc.alert)
            raise

    def _throttled(self, agency: str, alert: Alert) -> None:
        log.warning("alert: agency %s throttled (%s)", agency, alert.limit.value)
        event = self._alerts.event(
            alert, time=self._clock(), query_id="", requesting_agency=agency, partner=BROKER
        )
        if event is None:
            return
        try:
            self._audit.append(event)
        except LiaisonError as exc:
            # The refusal stands either way; the member is told it is throttled.
            log.warning("alert of agency %s not logged: %s", agency, exc)

    def _submit(
        self, caller_certificate: bytes, signed: SignedQuery, psi_request: bytes
    ) -> tuple[QueryId, list[DatasetAnswer]]:
        now = self._clock()
        try:
            verified = self._check(caller_certificate, signed, psi_request, now)
        except LiaisonError as exc:
            self._deny(caller_certificate, signed, exc, now)
            raise
        query = verified.query
        submitted = self._audit.append(submitted_event(query, now))
        receipt = self._audit.receipt(submitted)
        self._remember(verified, caller_certificate, now)

        def ask(agency: str) -> list[DatasetAnswer]:
            participant = self._directory.get(agency)
            if participant is None:
                raise NotFound("partner is no longer a participant")
            return self._nodes.answer(
                participant.endpoint,
                signed,
                caller_certificate,
                psi_request,
                receipt,
                timeout=self._timeout,
            )

        targets = [(t.agency, list(t.datasets)) for t in query.targets]
        answers = fan_out(targets, ask, executor=self._executor, deadline=self._timeout + 1.0)
        done = self._clock()
        events = answered_events(query, answers, done)
        for partner, alert in partner_alerts(answers):
            event = self._alerts.event(
                alert,
                time=done,
                query_id=query.query_id,
                requesting_agency=query.requesting_agency,
                partner=partner,
            )
            events += [event] if event is not None else []
        self._audit.append_all(events)
        metrics.relayed(
            query.query_id,
            query.requesting_agency,
            answers,
            entry=submitted.index,
            seconds=max(0.0, (done - now).total_seconds()),
        )
        return query.query_id, answers

    def _check(
        self,
        caller_certificate: bytes,
        signed: SignedQuery,
        psi_request: bytes,
        now: datetime,
    ) -> VerifiedQuery:
        verified = open_query(signed, caller_certificate, self._ca, now=now)
        query = verified.query
        self._admitted(verified.signer.name)
        verify_payload_digest(query, psi_request)
        reveal = query.mode is MatchMode.REVEAL
        if psi.request_size(psi_request, reveal=reveal) != query.key_count:
            raise EnvelopeRejected("payload size does not match the signed query")
        self._policy.check(query, self._directory.policy_context())
        # Last: only a query that passed every check takes a place in the
        # guard, so refused queries cannot fill it.
        self._replay.check_and_remember(query.query_id, query.expires_at)
        return verified

    def _remember(self, verified: VerifiedQuery, caller_certificate: bytes, now: datetime) -> None:
        query: Query = verified.query
        with self._lock:
            self._live = {k: v for k, v in self._live.items() if v.expires_at > now}
            self._live[query.query_id] = LiveQuery(
                query.requesting_agency, frozenset(query.target_agencies()), query.expires_at
            )
        self._submitted.remember(verified, caller_certificate, None)

    def _deny(
        self,
        caller_certificate: bytes,
        signed: SignedQuery,
        error: LiaisonError,
        now: datetime,
    ) -> None:
        # The requester named in a denial is the certificate's holder: the
        # envelope may be the very thing that failed to verify.
        requester = identity_from_certificate(caller_certificate).name
        query_id = unverified_query_id(signed)
        metrics.refused(query_id[:64], requester, error)
        self._audit.append(
            audit_events.policy_denial(
                time=now, query_id=query_id[:64], requesting_agency=requester, reason=str(error)
            )
        )

    def _verified_again(
        self, caller_certificate: bytes, signed: SignedQuery, now: datetime
    ) -> VerifiedQuery:
        known = self._submitted.recall(signed, caller_certificate, now=now)
        if known is not None:
            return known[0]
        return open_query(signed, caller_certificate, self._ca, now=now)

    def fetch_filter(
        self,
        caller_certificate: bytes,
        signed: SignedQuery,
        agency: str,
        dataset: str,
        version: int,
    ) -> Iterator[Chunk]:
        """Relay a partner's filter to the requester of a live query.

        A query this broker submitted is not verified again: the signed
        bytes and the caller's certificate must be identical to those it
        submitted. Any other query is verified in full.

        Raises:
            EnvelopeRejected: the signed query does not verify or has expired.
            PermissionDenied: the caller did not submit this query, or the
                partner was not one of its targets.
            NotFound: unknown query or partner.
        """
        now = self._clock()
        verified = self._verified_again(caller_certificate, signed, now)
        self._admitted(verified.signer.name)
        with self._lock:
            live = self._live.get(verified.query.query_id)
        if live is None or live.expires_at <= now:
            raise NotFound("no live query with this id")
        if live.requester != verified.signer.name or agency not in live.targets:
            raise PermissionDenied("this filter does not belong to the caller's query")
        participant = self._directory.get(agency)
        if participant is None:
            raise NotFound("partner is no longer a participant")
        return self._nodes.get_filter(
            participant.endpoint,
            signed,
            caller_certificate,
            dataset,
            version,
            timeout=self._timeout,
        )

    def close(self) -> None:
        """Stop the fan-out workers."""
        self._executor.shutdown(wait=False, cancel_futures=True)

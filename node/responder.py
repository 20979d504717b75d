"""The partner side of a federated match: answer PSI requests, hand out filters.

Before anything is computed, the signed query is verified against the
requester's certificate (so the broker cannot forge or alter a query), then
checked against our agreement with the requester. The node learns the query's
metadata and its key count, nothing about the keys themselves.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.core.errors import (
    BudgetExhausted,
    EnvelopeRejected,
    LiaisonError,
    NotFound,
    PartnerTimeout,
    ProofError,
    QueryRefused,
)
from liaison.core.query import MatchMode, Query, SignedQuery, Target
from liaison.crypto import psi
from liaison.crypto.envelope import VerifiedQuery, open_query, verify_payload_digest
from liaison.crypto.receipts import Receipt
from liaison.crypto.verified_queries import VerifiedQueries
from liaison.node.agreements import Agreement, AgreementStore
from liaison.node.config import NodeConfig
from liaison.node.datasets import Datasets
from liaison.node.ledger.chain import Ledger
from liaison.node.policy import NodeContext, QueryPolicy, default_policy
from liaison.node.store import NodeStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock (tests pass their own)."""
    return datetime.now(UTC)


class StoreReplayGuard:
    """A replay guard kept in the node's database, one scope per use."""

    def __init__(self, store: NodeStore, scope: str, now: datetime) -> None:
        """Remember query ids under ``scope`` in ``store``."""
        self._store = store
        self._scope = scope
        self._now = now

    def check_and_remember(self, query_id: str, expires_at: datetime) -> None:
        """Raises EnvelopeRejected if this query id was seen in this scope."""
        if not self._store.remember_query(self._scope, query_id, expires_at, now=self._now):
            raise EnvelopeRejected("replayed query")


@dataclass(frozen=True, slots=True)
class Authorised:
    """A verified query our policy accepted: the target naming us and the agreement."""

    verified: VerifiedQuery
    target: Target
    agreement: Agreement


class Responder:
    """Answers partner queries relayed by the broker."""

    def __init__(
        self,
        config: NodeConfig,
        datasets: Datasets,
        store: NodeStore,
        ca_certificate: x509.Certificate,
        ledger: Ledger,
        *,
        agreements: AgreementStore,
        broker_audit_key: Ed25519PublicKey | None = None,
        policy: QueryPolicy | None = None,
        clock: Clock = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Wire the responder to the node's datasets, trust anchors and ledger.

        With ``broker_audit_key`` set, a query is answered only with a valid
        receipt proving the broker logged it first. ``agreements`` is read at
        every query, so the operator's changes apply without a restart.
        """
        self._config = config
        self._agreements = agreements
        self._ledger = ledger
        self._audit_key = broker_audit_key
        self._datasets = datasets
        self._store = store
        self._ca = ca_certificate
        self._policy = policy or default_policy()
        self._clock = clock
        self._monotonic = monotonic
        # Queries answered, so a filter request for one is not verified again.
        self._answered: VerifiedQueries[Authorised] = VerifiedQueries()

    def _verify(
        self, signed: SignedQuery, requester_certificate: bytes, scope: str
    ) -> VerifiedQuery:
        now = self._clock()
        return open_query(
            signed,
            requester_certificate,
            self._ca,
            now=now,
            replay=StoreReplayGuard(self._store, scope, now),
        )

    def _authorise(self, verified: VerifiedQuery) -> Authorised:
        query = verified.query
        agreement = self._agreements.get(query.requesting_agency)
        self._policy.check(query, NodeContext(self._config.agency, agreement, self._clock()))
        target = query.target(self._config.agency)
        if target is None or agreement is None:
            # The policy was built without TargetsThisAgency or WithinAgreement.
            raise QueryRefused("the query does not target this agency under an agreement")
        return Authorised(verified, target, agreement)

    def _authorised_again(
        self, signed: SignedQuery, requester_certificate: bytes, scope: str
    ) -> Authorised:
        now = self._clock()
        known = self._answered.recall(signed, requester_certificate, now=now)
        if known is None:
            # Verified first, so that a forged request learns nothing more.
            self._verify(signed, requester_certificate, scope)
            raise QueryRefused("no filter without a live query this node answered")
        verified, authorised = known
        StoreReplayGuard(self._store, scope, now).check_and_remember(
            verified.query.query_id, verified.query.expires_at
        )
        return authorised

    def answer(
        self,
        signed: SignedQuery,
        requester_certificate: bytes,
        psi_request: bytes,
        receipt: Receipt | None = None,
        *,
        deadline: float | None = None,
    ) -> list[DatasetAnswer]:
        """Answer a PSI request for every dataset the query asks of us.

        The query is recorded in the node's ledger (with the broker's
        receipt) before the answer leaves; a refused query is recorded too.
        With ``deadline`` (a reading of the ``monotonic`` clock: the caller's
        gRPC deadline), no dataset is started once it has passed: the work
        stops, the ledger records it, and :class:`PartnerTimeout` is raised.

        When the agreement's daily key budget or rate has run out, the
        ledger records an ``alert:`` entry and every dataset asked is
        answered ``refused`` with the :class:`~liaison.core.alerts.Alert`,
        which the broker logs as a ``fishing_alert`` (docs/audit.md, "Alerts").

        Raises:
            EnvelopeRejected: bad signature, expired, replayed, or the payload
                does not match the envelope.
            QueryRefused: no agreement, a purpose it does not cover, or no
                valid audit receipt where one is required.
            QuotaExceeded: more keys than the agreement allows.
            InvalidInput: an unknown key spec or a query of no key.
            PsiError: the PSI request is malformed or not in the query's mode.
            PartnerTimeout: ``deadline`` passed before every dataset was answered.
        """
        verified = self._verify(signed, requester_certificate, "answer")
        query = verified.query
        try:
            authorised = self._authorise(verified)
            verify_payload_digest(query, psi_request)
            reveal = query.mode is MatchMode.REVEAL
            if psi.request_size(psi_request, reveal=reveal) != query.key_count:
                raise EnvelopeRejected("payload size does not match the signed query")
            self._check_receipt(query.query_id, receipt)
            self._agreements.spend(authorised.agreement, query.key_count, now=self._clock())
        except BudgetExhausted as exc:
            log.warning("alert: query %s from %s: %s", query.query_id, query.requesting_agency, exc)
            self._record(query, f"alert: {exc}", receipt)
            return self._alerted(query, exc)
        except LiaisonError as exc:
            self._record(query, f"refused: {exc}", receipt)
            raise
        self._answered.remember(verified, requester_certificate, authorised)
        agreement = authorised.agreement
        # Names only: nothing is counted per query, named or not.
        names = list(authorised.target.datasets) or [
            name for name in self._datasets.names() if agreement.allows_dataset(name)
        ]
        log.info(
            "query %s from %s: %d keys, %d datasets",
            query.query_id,
            query.requesting_agency,
            query.key_count,
            len(names),
        )
        answers: list[DatasetAnswer] = []
        for name in names:
            if deadline is not None and self._monotonic() >= deadline:
                self._record(
                    query, f"stopped at the deadline after {len(answers)} datasets", receipt
                )
                raise PartnerTimeout("the deadline passed while answering")
            answers.append(self._answer_one(name, agreement, query.mode, psi_request))
        outcome = ";".join(_served_outcome(a) for a in answers) or "no dataset"
        self._record(query, outcome, receipt)
        return answers

    def _alerted(self, query: Query, exc: BudgetExhausted) -> list[DatasetAnswer]:
        target = query.target(self._config.agency)
        # "*": the whole partner, as the broker names a status about all datasets.
        names = (target.datasets if target is not None else ()) or ("*",)
        return [
            DatasetAnswer(
                self._config.agency, name, PartnerStatus.REFUSED, f"alert: {exc}", alert=exc.alert
            )
            for name in names
        ]

    def _check_receipt(self, query_id: str, receipt: Receipt | None) -> None:
        if self._audit_key is None:
            return
        if receipt is None:
            raise QueryRefused("the query comes without the broker's audit receipt")
        try:
            receipt.verify(self._audit_key, query_id=query_id)
        except ProofError as exc:
            raise QueryRefused(f"the broker's audit receipt does not verify: {exc}") from None

    def _record(self, query: Query, outcome: str, receipt: Receipt | None) -> None:
        self._ledger.record_served(
            query_id=query.query_id,
            requester=query.requesting_agency,
            justification=query.justification,
            key_count=query.key_count,
            outcome=outcome,
            receipt=receipt,
        )

    def _answer_one(
        self, name: str, agreement: Agreement, mode: MatchMode, psi_request: bytes
    ) -> DatasetAnswer:
        agency = self._config.agency
        if not agreement.allows_dataset(name):
            return DatasetAnswer(
                agency, name, PartnerStatus.REFUSED, "dataset not covered by the agreement"
            )
        try:
            answered = self._datasets.answer(name, psi_request, reveal=mode is MatchMode.REVEAL)
        except NotFound:
            return DatasetAnswer(agency, name, PartnerStatus.REFUSED, "unknown dataset")
        return DatasetAnswer(
            agency,
            name,
            PartnerStatus.OK,
            filter_version=answered.version,
            psi_response=answered.psi_response,
            filter_keys=answered.filter_keys,
            key_epoch=answered.epoch,
        )

    def filter_for(
        self,
        signed: SignedQuery,
        requester_certificate: bytes,
        dataset: str,
        version: int,
    ) -> bytes:
        """Return a dataset's filter to the requester of a live query.

        Only a query this responder answered gets a filter, and it is not
        verified or checked against the policy again: the signed bytes and
        the requester's certificate must be identical to those it answered.
        Any other query is verified (so a forgery is reported as one), then
        refused: no filter leaves without a live, non-empty query that was
        answered (and counted against the agreement's budget).

        Raises:
            EnvelopeRejected: the query is not valid (or this filter was fetched
                for it already).
            QueryRefused: a query this node did not answer, or the agreement
                does not cover the dataset.
            NotFound: no such dataset, or ``version`` is not its current
                version (an old filter is never served: ``docs/epochs.md``).
        """
        authorised = self._authorised_again(signed, requester_certificate, f"filter:{dataset}")
        if authorised.target.datasets and dataset not in authorised.target.datasets:
            raise QueryRefused("the query does not ask for this dataset")
        if not authorised.agreement.allows_dataset(dataset):
            raise QueryRefused("dataset not covered by the agreement")
        return self._datasets.filter(dataset, version).setup


def _served_outcome(answer: DatasetAnswer) -> str:
    """One dataset's part of a served entry's outcome: ``watchlist:ok:epoch 3``, ``x:refused``."""
    if answer.key_epoch is None:
        return f"{answer.dataset}:{answer.status.value}"
    return f"{answer.dataset}:{answer.status.value}:epoch {answer.key_epoch}"

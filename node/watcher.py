"""Running standing watches: register, poll partners' versions, re-run, report new hits.

:class:`Watcher` is the domain side of ``liaison watch`` and of the node's
poll loop (:class:`node.watch_loop.WatchLoop`). A poll costs one small call
to the broker (the content versions of the watched partners' datasets,
:mod:`core.versions`) and nothing more when no partner changed; each watch
whose partners changed is re-run against those partners only, as an
ordinary query (signed, logged by the broker, counted against the partners'
budgets, recorded in this node's ledger). New hits go to the owner's inbox;
every step is a ``watch`` entry of the ledger (``docs/watches.md``).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from liaison.core.answers import PartnerStatus
from liaison.core.config_file import NAME_PATTERN
from liaison.core.errors import (
    EnvelopeRejected,
    InvalidInput,
    LiaisonError,
    NotFound,
    PermissionDenied,
    QueryRefused,
    QuotaExceeded,
)
from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.core.versions import PartnerVersions
from liaison.node.ledger.chain import Ledger, format_time
from liaison.node.model import MatchRequest, MatchResult, PartnerResult
from liaison.node.notices import Inbox, NoticeKind
from liaison.node.requester import index_keys
from liaison.node.users import LocalRole, User
from liaison.node.watches import (
    RunRecord,
    Watch,
    WatchHit,
    WatchState,
    WatchStore,
    changed_partners,
)

log = logging.getLogger(__name__)

#: Errors of a first run that mean the watch could never run as registered.
_REFUSED = (InvalidInput, NotFound, PermissionDenied, QueryRefused, EnvelopeRejected)


class MatchRunner(Protocol):
    """What runs a watch's query (the node's :class:`~node.requester.Requester`)."""

    def match(self, request: MatchRequest, *, now: datetime) -> MatchResult:
        """Run one federated match."""


class VersionsBroker(Protocol):
    """What the watcher asks the broker (the node's :class:`~node.broker_client.GrpcBroker`)."""

    def participants(self) -> list[str]:
        """Return the agency codes of the federation."""

    def dataset_versions(self, agencies: list[str]) -> list[PartnerVersions]:
        """Return each partner's dataset versions shared with this node."""


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll did: partners asked, watches re-run and expired, new hits."""

    polled: tuple[str, ...] = ()
    reran: tuple[str, ...] = ()
    expired: tuple[str, ...] = ()
    new_hits: int = 0


class Watcher:
    """Registers, polls and re-runs the standing watches of one node."""

    def __init__(
        self,
        agency: str,
        requester: MatchRunner,
        broker: VersionsBroker,
        store: WatchStore,
        inbox: Inbox,
        ledger: Ledger,
        clock: Callable[[], datetime],
        *,
        max_keys: int,
        retry: timedelta,
        is_active: Callable[[str], bool] = lambda name: True,
    ) -> None:
        """Wire the watcher; ``retry`` holds back a watch whose last run failed somewhere.

        ``is_active(owner)`` says whether a watch's owner is still an enabled
        investigator: the watches of one who is not are not re-run.
        """
        self._agency = agency
        self._requester = requester
        self._broker = broker
        self._store = store
        self._inbox = inbox
        self._ledger = ledger
        self._clock = clock
        self._max_keys = max_keys
        self._retry = retry
        self._is_active = is_active
        # One run at a time: a poll and a registration never race on a watch.
        self._lock = threading.Lock()

    def add(
        self,
        justification: Justification,
        records: Sequence[Record],
        *,
        partners: Sequence[str] = (),
        until: datetime | None = None,
    ) -> tuple[Watch, tuple[WatchHit, ...]]:
        """Register a watch and run its first match; return it and that run's hits.

        Raises:
            InvalidInput: a justification field, the rows or a match key missing,
                a bad partner, or an end already past.
            QuotaExceeded: more keys than one query may send, or too many live watches.
            NotFound, PermissionDenied, QueryRefused: the broker refused the
                first run (the watch is removed again, and the ledger says so).
        """
        missing = justification.first_blank()
        if missing:
            raise InvalidInput(f"a watch needs a {missing}")
        if not records:
            raise InvalidInput("a watch needs at least one row")
        partners = _partners(partners, self._agency)
        now = self._clock()
        if until is not None and until <= now:
            raise InvalidInput("the watch's end (--until) has passed already")
        keys = index_keys(records)
        if not keys:
            raise InvalidInput("no match key can be derived from the input rows")
        if len(keys) > self._max_keys:
            raise QuotaExceeded(f"{len(keys)} match keys; this node sends at most {self._max_keys}")
        watch = Watch(
            watch_id=secrets.token_hex(8),
            justification=justification,
            partners=partners,
            records=tuple(records),
            key_count=len(keys),
            created_at=now,
            until=until,
        )
        with self._lock:
            self._store.add(watch)
            end = "no end" if until is None else f"until {format_time(until)}"
            self._record(watch, f"registered, {end}", watch.key_count)
            targets = list(partners) or self._others()
            try:
                polled = self._versions(targets)
            except LiaisonError as exc:
                log.warning("watch %s: versions not polled: %s", watch.watch_id, exc)
                polled = {}
            hits, error = self._run(watch, targets, polled, first=True)
            if isinstance(error, _REFUSED):
                self._store.end(watch.watch_id, WatchState.REMOVED, at=self._clock(), by="")
                self._record(watch, "removed: its first run was refused", 0)
                raise error
        return self._get(watch.watch_id), hits

    def poll(self) -> PollReport:
        """Expire watches past their end, poll versions, re-run watches whose partners changed.

        Raises:
            LiaisonError: the broker could not be asked (nothing was re-run).
        """
        with self._lock:
            now = self._clock()
            expired = [w for w in self._store.live() if w.expired(now)]
            for watch in expired:
                if self._store.end(watch.watch_id, WatchState.EXPIRED, at=now, by=""):
                    self._record(watch, "expired", 0)
            live = [w for w in self._store.live() if self._is_active(w.owner)]
            gone = tuple(w.watch_id for w in expired)
            if not live:
                return PollReport(expired=gone)
            everyone = self._others() if any(not w.partners for w in live) else []
            targets = {w.watch_id: list(w.partners) or everyone for w in live}
            agencies = sorted({a for names in targets.values() for a in names})
            polled = self._versions(agencies) if agencies else {}
            reran: list[str] = []
            new_hits = 0
            for watch in live:
                if watch.retry_after is not None and now < watch.retry_after:
                    continue
                changed = changed_partners(watch, polled, targets[watch.watch_id])
                if changed:
                    reran.append(watch.watch_id)
                    new_hits += len(self._run(watch, changed, polled)[0])
            return PollReport(tuple(agencies), tuple(reran), gone, new_hits)

    def visible(self, user: User) -> list[Watch]:
        """Return the user's watches (an operator's or auditor's: every watch)."""
        if user.role is LocalRole.INVESTIGATOR:
            return self._store.listed(owner=user.name)
        return self._store.listed()

    def show(self, user: User, watch_id: str) -> tuple[Watch, list[WatchHit]]:
        """Return a watch and the hits it reported.

        Raises:
            NotFound: no such watch.
            PermissionDenied: an investigator asking for another's watch.
        """
        watch = self._get(watch_id)
        if user.role is LocalRole.INVESTIGATOR and watch.owner != user.name:
            raise PermissionDenied("a watch is shown to its owner, operators and auditors only")
        return watch, self._store.hits(watch_id)

    def remove(self, user: User, watch_id: str) -> Watch:
        """End a live watch: its owner or an operator may.

        Raises:
            NotFound: no such watch.
            PermissionDenied: neither the owner nor an operator.
            InvalidInput: the watch is not live.
        """
        watch = self._get(watch_id)
        if user.role is not LocalRole.OPERATOR and watch.owner != user.name:
            raise PermissionDenied("only the watch's owner or an operator may remove it")
        if not self._store.end(watch_id, WatchState.REMOVED, at=self._clock(), by=user.name):
            raise InvalidInput(f"watch {watch_id} is not live")
        self._record(watch, f"removed by {user.name}", 0)
        return self._get(watch_id)

    def _get(self, watch_id: str) -> Watch:
        watch = self._store.get(watch_id)
        if watch is None:
            raise NotFound("no such watch")
        return watch

    def _others(self) -> list[str]:
        return [p for p in self._broker.participants() if p != self._agency]

    def _versions(self, agencies: list[str]) -> dict[str, dict[str, int]]:
        answers = self._broker.dataset_versions(agencies)
        return {p.agency: p.as_map() for p in answers if p.status is PartnerStatus.OK}

    def _run(
        self,
        watch: Watch,
        partners: list[str],
        polled: Mapping[str, Mapping[str, int]],
        *,
        first: bool = False,
    ) -> tuple[tuple[WatchHit, ...], LiaisonError | None]:
        """Run the watch's match against ``partners``; store and report what is new."""
        now = self._clock()
        records = watch.records or self._get(watch.watch_id).records
        request = MatchRequest(watch.justification, records, partners=tuple(partners))
        verb = "first run" if first else "re-run"
        try:
            result = self._requester.match(request, now=now)
        except LiaisonError as exc:
            retry = now + self._retry
            self._store.record_run(
                watch.watch_id, RunRecord("", f"failed: {exc}", now, watch.seen, retry)
            )
            self._record(watch, f"{verb} failed: {type(exc).__name__}", watch.key_count)
            if not first:
                self._notify(watch, NoticeKind.WATCH_PROBLEM, f"the re-run failed: {exc}")
            return (), exc
        seen = dict(watch.seen)
        found: list[WatchHit] = []
        failed: list[PartnerResult] = []
        for r in result.results:
            if r.status is not PartnerStatus.OK:
                failed.append(r)
                continue
            version = polled.get(r.agency, {}).get(r.dataset)
            if version is not None:
                seen[r.agency, r.dataset] = version
            found += [
                WatchHit(
                    r.agency, r.dataset, h.row, h.ref, h.keys, h.strength, result.query_id, now
                )
                for h in r.hits
            ]
        run = RunRecord(
            result.query_id,
            _outcome(result),
            now,
            seen,
            now + self._retry if failed else None,
            tuple(found),
        )
        new = self._store.record_run(watch.watch_id, run)
        self._record(
            replace(watch, partners=tuple(partners)),
            f"{verb} {result.query_id}: {len(new)} new hits",
            result.key_count,
        )
        if new and not first:
            self._notify(watch, NoticeKind.WATCH_HITS, _hits_text(new))
        if failed and not first:
            problems = "; ".join(
                f"{r.agency}/{r.dataset} {r.status.value}: {r.reason}" for r in failed
            )
            self._notify(watch, NoticeKind.WATCH_PROBLEM, f"not every partner answered: {problems}")
        return new, None

    def _record(self, watch: Watch, outcome: str, key_count: int) -> None:
        self._ledger.record_watch(
            watch_id=watch.watch_id,
            partners=watch.partners,
            justification=watch.justification,
            key_count=key_count,
            outcome=outcome,
        )

    def _notify(self, watch: Watch, kind: NoticeKind, text: str) -> None:
        self._inbox.notify(
            watch.owner,
            kind,
            case_id=watch.justification.case_id,
            reference=watch.watch_id,
            text=f"watch {watch.watch_id}: {text}",
        )


def _partners(partners: Sequence[str], agency: str) -> tuple[str, ...]:
    chosen: list[str] = []
    for partner in partners:
        if not NAME_PATTERN.fullmatch(partner):
            raise InvalidInput("a watched partner must be an agency code")
        if partner == agency:
            raise InvalidInput("a node does not watch itself")
        if partner not in chosen:
            chosen.append(partner)
    return tuple(chosen)


def _outcome(result: MatchResult) -> str:
    return ";".join(
        f"{r.agency}/{r.dataset}:{r.status.value}:{len(r.hits)} hits" for r in result.results
    )


def _hits_text(hits: Sequence[WatchHit]) -> str:
    rows = ", ".join(f"{h.agency}/{h.dataset} row {h.row} ({h.ref}, {h.strength})" for h in hits)
    return f"{len(hits)} new hits: {rows}"

"""What a local user asks of the node, with the rules of the local face, once.

The gRPC local face (:mod:`node.servicer`) and the web console and HTTP API
(:mod:`liaison.web`) both call these, so a rule (the row bound, the
investigator recorded being the authenticated user) has one implementation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from liaison.core.errors import QuotaExceeded
from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.node.followups import Followups
from liaison.node.model import MatchRequest, MatchResult
from liaison.node.partner_directory import PartnerDirectory, contact_for
from liaison.node.requester import Requester
from liaison.node.users import User
from liaison.node.watcher import Watcher
from liaison.node.watches import Watch, WatchHit


def check_rows(count: int, max_rows: int, what: str = "a local match") -> None:
    """Refuse more than ``max_rows`` rows before any key is derived.

    Raises:
        QuotaExceeded: too many rows.
    """
    if count > max_rows:
        raise QuotaExceeded(f"{what} holds at most {max_rows} rows")


def match_as(
    user: User,
    request: MatchRequest,
    requester: Requester,
    followups: Followups,
    directory: PartnerDirectory,
    *,
    max_rows: int,
    now: datetime,
) -> MatchResult:
    """Run a federated match as ``user``: its name is the envelope's investigator.

    The hit rows are kept for follow-ups (and the agreed hit notices sent),
    and each partner with a hit names whom to contact.

    Raises:
        QuotaExceeded: more than ``max_rows`` rows.
        InvalidInput: a blank justification field (checked by the requester).
    """
    check_rows(len(request.records), max_rows)
    justification = replace(request.justification, investigator_id=user.name)
    asked = replace(request, justification=justification)
    result = requester.match(asked, now=now)
    followups.after_match(asked, result)
    return with_contacts(result, directory)


def with_contacts(result: MatchResult, directory: PartnerDirectory) -> MatchResult:
    """Name whom to contact at each partner that had a hit (from the verified directory)."""
    if not any(r.hits or r.match_count for r in result.results):
        return result
    entries = directory.contacts()
    return replace(
        result,
        results=tuple(
            replace(r, contact=contact_for(entries, r.agency, r.dataset)) for r in result.results
        ),
    )


def add_watch_as(
    user: User,
    justification: Justification,
    records: Sequence[Record],
    watcher: Watcher,
    *,
    partners: tuple[str, ...] = (),
    until: datetime | None = None,
    max_rows: int,
) -> tuple[Watch, tuple[WatchHit, ...]]:
    """Register a standing watch owned by ``user`` and run it once.

    Raises:
        QuotaExceeded: more than ``max_rows`` rows.
    """
    check_rows(len(records), max_rows, "a watch")
    owned = replace(justification, investigator_id=user.name)
    return watcher.add(owned, records, partners=partners, until=until)

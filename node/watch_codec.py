"""Proto <-> domain conversion for watches and notices on the local face (pure functions).

The CLI decodes replies into the plain :class:`WatchView` and :class:`NoticeView`
(the rows of a watch stay on the node: a reply never carries them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.crypto.envelope import epoch_ms, from_epoch_ms
from liaison.node.codec import record_from_proto, record_to_proto, strength_from_text
from liaison.node.notices import Notice
from liaison.node.watches import Watch, WatchHit
from liaison.v1 import node_pb2


@dataclass(frozen=True, slots=True)
class WatchRequest:
    """A watch as the investigator asks for it (``liaison watch add``)."""

    justification: Justification
    records: tuple[Record, ...]
    partners: tuple[str, ...] = ()
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class WatchView:
    """A watch as the local face shows it: everything but its rows and seen versions."""

    watch_id: str
    owner: str
    case_id: str
    purpose: str
    legal_basis: str
    partners: tuple[str, ...]
    state: str
    created_at: datetime
    until: datetime | None
    rows: int
    key_count: int
    runs: int
    hits: int
    last_run_at: datetime | None
    last_query_id: str
    last_outcome: str
    ended_at: datetime | None
    ended_by: str


def watch_request_to_proto(request: WatchRequest) -> node_pb2.AddWatchRequest:
    """Encode a watch registration."""
    j = request.justification
    return node_pb2.AddWatchRequest(
        case_id=j.case_id,
        purpose=j.purpose,
        legal_basis=j.legal_basis,
        partners=request.partners,
        until_ms=_ms(request.until),
        identities=[record_to_proto(r) for r in request.records],
    )


def watch_request_from_proto(message: node_pb2.AddWatchRequest, owner: str) -> WatchRequest:
    """Decode a watch registration; ``owner`` is the authenticated investigator."""
    return WatchRequest(
        justification=Justification(message.case_id, message.purpose, message.legal_basis, owner),
        records=tuple(record_from_proto(i) for i in message.identities),
        partners=tuple(message.partners),
        until=_time(message.until_ms),
    )


def watch_to_proto(watch: Watch) -> node_pb2.Watch:
    """Encode a watch (without its rows)."""
    j = watch.justification
    return node_pb2.Watch(
        watch_id=watch.watch_id,
        owner=watch.owner,
        case_id=j.case_id,
        purpose=j.purpose,
        legal_basis=j.legal_basis,
        partners=watch.partners,
        state=watch.state.value,
        created_ms=epoch_ms(watch.created_at),
        until_ms=_ms(watch.until),
        rows=watch.row_count,
        key_count=watch.key_count,
        runs=watch.runs,
        hits=watch.hits,
        last_run_ms=_ms(watch.last_run_at),
        last_query_id=watch.last_query_id,
        last_outcome=watch.last_outcome,
        ended_ms=_ms(watch.ended_at),
        ended_by=watch.ended_by,
    )


def watch_from_proto(message: node_pb2.Watch) -> WatchView:
    """Decode a watch."""
    return WatchView(
        watch_id=message.watch_id,
        owner=message.owner,
        case_id=message.case_id,
        purpose=message.purpose,
        legal_basis=message.legal_basis,
        partners=tuple(message.partners),
        state=message.state,
        created_at=from_epoch_ms(message.created_ms),
        until=_time(message.until_ms),
        rows=message.rows,
        key_count=message.key_count,
        runs=message.runs,
        hits=message.hits,
        last_run_at=_time(message.last_run_ms),
        last_query_id=message.last_query_id,
        last_outcome=message.last_outcome,
        ended_at=_time(message.ended_ms),
        ended_by=message.ended_by,
    )


def watch_hit_to_proto(hit: WatchHit) -> node_pb2.WatchHit:
    """Encode a reported hit."""
    return node_pb2.WatchHit(
        agency=hit.agency,
        dataset=hit.dataset,
        row=hit.row,
        ref=hit.ref,
        keys=hit.keys,
        strength=hit.strength.value,
        query_id=hit.query_id,
        found_ms=epoch_ms(hit.found_at),
    )


def watch_hit_from_proto(message: node_pb2.WatchHit) -> WatchHit:
    """Decode a reported hit.

    Raises:
        InvalidInput: an unknown strength.
    """
    return WatchHit(
        agency=message.agency,
        dataset=message.dataset,
        row=message.row,
        ref=message.ref,
        keys=tuple(message.keys),
        strength=strength_from_text(message.strength or "exact"),
        query_id=message.query_id,
        found_at=from_epoch_ms(message.found_ms),
    )


def notice_to_proto(notice: Notice) -> node_pb2.Notice:
    """Encode a notice."""
    return node_pb2.Notice(
        notice_id=notice.notice_id,
        kind=notice.kind,
        case_id=notice.case_id,
        reference=notice.reference,
        text=notice.text,
        created_ms=epoch_ms(notice.created_at),
        read_ms=_ms(notice.read_at),
    )


def notice_from_proto(message: node_pb2.Notice, recipient: str = "") -> Notice:
    """Decode a notice."""
    return Notice(
        notice_id=message.notice_id,
        recipient=recipient,
        kind=message.kind,
        case_id=message.case_id,
        reference=message.reference,
        text=message.text,
        created_at=from_epoch_ms(message.created_ms),
        read_at=_time(message.read_ms),
    )


def _ms(when: datetime | None) -> int:
    return 0 if when is None else epoch_ms(when)


def _time(ms: int) -> datetime | None:
    return None if ms == 0 else from_epoch_ms(ms)

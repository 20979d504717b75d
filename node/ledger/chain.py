"""The node's own audit ledger: a hash chain of the queries it sent and served.

Each node keeps, beside the broker's Merkle log, its own record of every
query it sent and every query it served: metadata only (who, why, which
case, how many keys, what came of it), never an identifier, a key or a PSI
payload. Hit counts stay here: they never reach the broker. A served entry
carries the broker's :class:`Receipt`, the proof that the query was logged
before it was relayed.

Entries are chained (``docs/audit.md``, "Node ledgers"): each entry's hash
covers the previous entry's hash and the entry's canonical bytes, so an
altered, deleted or reordered entry breaks :func:`verify_chain` at its seq.

This is the domain side: frozen dataclasses, the :class:`LedgerStore`
protocol, the :class:`Ledger` that appends, canonical bytes and the chain.
It imports neither SQLAlchemy nor gRPC; :mod:`node.sql_ledger` is the store
and :mod:`node.ledger_export` the JSON Lines export, written and parsed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final, Protocol

from liaison.core.errors import InvalidInput, LedgerUnavailable, ProofError, StaleAppend
from liaison.core.query import Justification
from liaison.crypto.receipts import Receipt
from liaison.crypto.tree_head import to_json as tree_head_to_json
from liaison.node.store import check_aware

#: Prefix of every hashed entry: names the scheme and its version.
CHAIN_DOMAIN: Final = b"liaison-ledger-v1\x00"
#: The ``prev_hash`` of the first entry.
GENESIS_HASH: Final = bytes(32)
HASH_SIZE: Final = 32
#: How often an append is retried after another writer took the next seq.
MAX_APPEND_ATTEMPTS: Final = 100

_TEXT_FIELDS: Final = (
    "query_id", "counterpart", "investigator_id", "case_id", "purpose", "legal_basis", "outcome",
)  # fmt: skip


class Direction(StrEnum):
    """Whether this node sent or served (answered) the query, or a watch's or follow-up's step."""

    SENT = "sent"
    SERVED = "served"
    #: A standing watch registered, re-run, removed or expired
    #: (``docs/watches.md``, "Audit"): ``query_id`` holds the watch id.
    WATCH = "watch"
    #: A follow-up message about the query (docs/followups.md): metadata only.
    FOLLOWUP = "followup"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One query this node sent or served, and its link in the chain.

    ``counterpart`` is the partner agencies joined by ``","`` for a sent
    query, the requesting agency for a served one. ``outcome`` is a free-text
    summary: per partner dataset status and hit count for a sent query (for
    example ``"NL/watchlist:ok:3 hits"``), the per-dataset statuses for a
    served one. ``receipt`` is the broker's receipt of a served query.

    Raises:
        InvalidInput: a field has the wrong type, a negative count, a naive
            time, text that is not valid Unicode, or a hash that is not 32 bytes.
    """

    seq: int
    time: datetime
    direction: Direction
    query_id: str
    counterpart: str
    investigator_id: str
    case_id: str
    purpose: str
    legal_basis: str
    key_count: int
    outcome: str
    receipt: Receipt | None
    prev_hash: bytes
    entry_hash: bytes

    def __post_init__(self) -> None:
        """Refuse values that could not be hashed, stored or exported faithfully."""
        for name in ("seq", "key_count"):
            value = getattr(self, name)
            if type(value) is not int or value < 0:
                raise InvalidInput(f"ledger entry {name} must be a non-negative integer")
        if not isinstance(self.time, datetime):
            raise InvalidInput("ledger entry time must be a datetime")
        check_aware(self.time, "ledger entry time")
        if not isinstance(self.direction, Direction):
            raise InvalidInput("ledger entry direction must be a Direction")
        for name in _TEXT_FIELDS:
            _check_text(getattr(self, name), name)
        if self.receipt is not None and not isinstance(self.receipt, Receipt):
            raise InvalidInput("ledger entry receipt must be a Receipt or None")
        for name in ("prev_hash", "entry_hash"):
            value = getattr(self, name)
            if not isinstance(value, bytes) or len(value) != HASH_SIZE:
                raise InvalidInput(f"ledger entry {name} must be {HASH_SIZE} bytes")


class LedgerStore(Protocol):
    """Where a ledger lives. Implementation: :class:`node.sql_ledger.SqlLedgerStore`."""

    def append(self, entry: LedgerEntry) -> None:
        """Store one entry in its own transaction, if it extends the last one.

        Raises:
            StaleAppend: ``entry`` does not extend the current last entry
                (its seq is not the next one or its prev_hash is not the last
                entry's hash): another writer appended first.
            ProofError: the entry hash does not match the entry.
            LedgerUnavailable: the database failed.
        """
        ...

    def all(self) -> list[LedgerEntry]:
        """Return every entry, ordered by seq.

        Raises:
            ProofError: a stored row cannot be an entry (the message names its seq).
            LedgerUnavailable: the database failed.
        """
        ...

    def last(self) -> LedgerEntry | None:
        """Return the entry with the highest seq, or None if the ledger is empty.

        Raises:
            ProofError: the stored row cannot be an entry.
            LedgerUnavailable: the database failed.
        """
        ...

    def close(self) -> None:
        """Release connections; the store must not be used afterwards."""
        ...


def utc_now() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class Ledger:
    """Records sent and served queries in a :class:`LedgerStore`, chained.

    Thread-safe; several processes may also append to one database: an
    append that loses the race for the next seq is rebuilt and retried.
    """

    def __init__(
        self,
        store: LedgerStore,
        clock: Callable[[], datetime] = utc_now,
        *,
        on_append: Callable[[LedgerEntry], None] | None = None,
    ) -> None:
        """Record into ``store``, timing entries with ``clock`` (aware datetimes).

        ``on_append`` is told of every stored entry, after the append (the
        node anchors its new head through it); it must not raise.
        """
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()
        self._on_append = on_append

    def record_sent(
        self,
        *,
        query_id: str,
        partners: Sequence[str],
        justification: Justification,
        key_count: int,
        outcome: str,
    ) -> LedgerEntry:
        """Append the record of a query this node sent; return the stored entry.

        Args:
            query_id: the query envelope's id.
            partners: the partner agencies asked, stored joined by ``","``.
            justification: who ran the match, for which case, purpose and legal basis.
            key_count: how many match keys were sent (blinded).
            outcome: summary per partner dataset, hit counts included.

        Raises:
            InvalidInput: a partner name is empty or holds a comma, or a field is invalid.
            LedgerUnavailable: the database failed or the append kept losing races.
        """
        if any(not partner or "," in partner for partner in partners):
            raise InvalidInput("partner agency names must be non-empty and free of commas")
        return self._append(
            LedgerEntry(
                seq=0,
                time=check_aware(self._clock(), "clock"),
                direction=Direction.SENT,
                query_id=query_id,
                counterpart=",".join(partners),
                investigator_id=justification.investigator_id,
                case_id=justification.case_id,
                purpose=justification.purpose,
                legal_basis=justification.legal_basis,
                key_count=key_count,
                outcome=outcome,
                receipt=None,
                prev_hash=GENESIS_HASH,
                entry_hash=GENESIS_HASH,
            )
        )

    def record_served(
        self,
        *,
        query_id: str,
        requester: str,
        justification: Justification,
        key_count: int,
        outcome: str,
        receipt: Receipt | None,
    ) -> LedgerEntry:
        """Append the record of a query this node served; return the stored entry.

        Args:
            query_id: the query envelope's id.
            requester: the requesting agency.
            justification: the requester's, as in the signed query.
            key_count: how many blinded keys the request held.
            outcome: the per-dataset statuses of the answer.
            receipt: the broker's receipt (verified by the caller), or None
                when the node does not require receipts.

        Raises:
            InvalidInput: a field is invalid.
            LedgerUnavailable: the database failed or the append kept losing races.
        """
        return self._append(
            LedgerEntry(
                seq=0,
                time=check_aware(self._clock(), "clock"),
                direction=Direction.SERVED,
                query_id=query_id,
                counterpart=requester,
                investigator_id=justification.investigator_id,
                case_id=justification.case_id,
                purpose=justification.purpose,
                legal_basis=justification.legal_basis,
                key_count=key_count,
                outcome=outcome,
                receipt=receipt,
                prev_hash=GENESIS_HASH,
                entry_hash=GENESIS_HASH,
            )
        )

    def record_followup(
        self, *, query_id: str, counterpart: str, user: str, case_id: str, outcome: str
    ) -> LedgerEntry:
        """Append one follow-up step about ``query_id`` with ``counterpart``; return the entry.

        ``outcome`` names the step, the follow-up id, deadline, decision and
        handling code (docs/followups.md, "Audit"), never an identifier or a
        released value; ``user`` is who took the step (empty for the node).

        Raises:
            InvalidInput: a field is invalid.
            LedgerUnavailable: the database failed or the append kept losing races.
        """
        return self._append(
            LedgerEntry(
                seq=0,
                time=check_aware(self._clock(), "clock"),
                direction=Direction.FOLLOWUP,
                query_id=query_id,
                counterpart=counterpart,
                investigator_id=user,
                case_id=case_id,
                purpose="",
                legal_basis="",
                key_count=0,
                outcome=outcome,
                receipt=None,
                prev_hash=GENESIS_HASH,
                entry_hash=GENESIS_HASH,
            )
        )

    def record_watch(
        self,
        *,
        watch_id: str,
        partners: Sequence[str],
        justification: Justification,
        key_count: int,
        outcome: str,
    ) -> LedgerEntry:
        """Append a step of a standing watch; return the stored entry.

        Args:
            watch_id: the watch's id (stored as the entry's ``query_id``).
            partners: the partners it watches (none: every partner).
            justification: the watch's case, purpose, legal basis and owner.
            key_count: the match keys of its rows (0 for a removal or expiry).
            outcome: what happened: ``registered ...``, ``re-run <query id>:
                <n> new hits``, ``removed by <user>``, ``expired``.

        Raises:
            InvalidInput: a field is invalid.
            LedgerUnavailable: the database failed or the append kept losing races.
        """
        return self._append(
            LedgerEntry(
                seq=0,
                time=check_aware(self._clock(), "clock"),
                direction=Direction.WATCH,
                query_id=watch_id,
                counterpart=",".join(partners),
                investigator_id=justification.investigator_id,
                case_id=justification.case_id,
                purpose=justification.purpose,
                legal_basis=justification.legal_basis,
                key_count=key_count,
                outcome=outcome,
                receipt=None,
                prev_hash=GENESIS_HASH,
                entry_hash=GENESIS_HASH,
            )
        )

    def entries(self) -> list[LedgerEntry]:
        """Return every entry, ordered by seq.

        Raises:
            ProofError: a stored row cannot be an entry.
            LedgerUnavailable: the database failed.
        """
        return self._store.all()

    def _append(self, template: LedgerEntry) -> LedgerEntry:
        """Store ``template`` as the next entry: its seq, prev_hash and entry_hash are set here."""
        with self._lock:
            for _ in range(MAX_APPEND_ATTEMPTS):
                seq, prev_hash = next_link(self._store.last())
                draft = replace(template, seq=seq, prev_hash=prev_hash)
                entry = replace(draft, entry_hash=chain_hash(draft))
                try:
                    self._store.append(entry)
                except StaleAppend:
                    continue
                if self._on_append is not None:
                    self._on_append(entry)
                return entry
        raise LedgerUnavailable(f"ledger append lost {MAX_APPEND_ATTEMPTS} races in a row")


# -- canonical bytes and the chain ---------------------------------------------


def canonical_bytes(entry: LedgerEntry) -> bytes:
    """Return the bytes of an entry that its hash covers (version 1).

    UTF-8 JSON, keys sorted, separators ``,`` and ``:``, no whitespace,
    ``ensure_ascii=False``, of every field but ``entry_hash`` (see
    :func:`entry_object`).
    """
    return canonical_json(entry_object(entry)).encode("utf-8")


def next_link(last: LedgerEntry | None) -> tuple[int, bytes]:
    """Return the seq and prev_hash of the entry that follows ``last`` (None: the first)."""
    return (0, GENESIS_HASH) if last is None else (last.seq + 1, last.entry_hash)


def chain_hash(entry: LedgerEntry) -> bytes:
    """Return ``SHA-256(CHAIN_DOMAIN || prev_hash || canonical_bytes(entry))``."""
    return hashlib.sha256(CHAIN_DOMAIN + entry.prev_hash + canonical_bytes(entry)).digest()


def entry_object(entry: LedgerEntry) -> dict[str, Any]:
    """Return the JSON object of an entry without its ``entry_hash``.

    ``time`` is ISO 8601 in UTC with microseconds and a ``Z``
    (``2026-11-23T09:45:49.123456Z``); ``direction`` is ``sent`` or
    ``served``; ``prev_hash`` is hex; ``receipt`` is :func:`receipt_object`
    or null.
    """
    return {
        "seq": entry.seq,
        "time": format_time(entry.time),
        "direction": entry.direction.value,
        "query_id": entry.query_id,
        "counterpart": entry.counterpart,
        "investigator_id": entry.investigator_id,
        "case_id": entry.case_id,
        "purpose": entry.purpose,
        "legal_basis": entry.legal_basis,
        "key_count": entry.key_count,
        "outcome": entry.outcome,
        "receipt": None if entry.receipt is None else receipt_object(entry.receipt),
        "prev_hash": entry.prev_hash.hex(),
    }


def receipt_object(receipt: Receipt) -> dict[str, Any]:
    """Return the JSON object of a receipt.

    ``salt`` and the ``inclusion_proof`` hashes are hex, ``header`` and
    ``body`` standard base64, ``tree_head`` the JSON form of
    :func:`crypto.tree_head.to_json` (root hex, signature base64).
    """
    return {
        "entry_index": receipt.entry_index,
        "header": _b64(receipt.header),
        "salt": receipt.salt.hex(),
        "body": _b64(receipt.body),
        "tree_head": tree_head_to_json(receipt.tree_head),
        "inclusion_proof": [node.hex() for node in receipt.inclusion_proof],
    }


def verify_chain(entries: Sequence[LedgerEntry]) -> None:
    """Check that ``entries`` form one unbroken chain from seq 0.

    Seqs must run 0, 1, 2, … without a gap; each ``prev_hash`` must equal the
    previous entry's ``entry_hash`` (zeros for seq 0); each ``entry_hash``
    must recompute. Removing the newest entries leaves a valid chain: compare
    the last seq and hash with an earlier export or the broker's log.

    Raises:
        ProofError: the first break, naming its seq and what failed.
    """
    prev_hash = GENESIS_HASH
    for position, entry in enumerate(entries):
        if entry.seq != position:
            if entry.seq > position:
                raise ProofError(f"ledger seq {position}: missing (next entry has seq {entry.seq})")
            raise ProofError(f"ledger seq {entry.seq}: out of order or repeated at {position}")
        if not hmac.compare_digest(entry.prev_hash, prev_hash):
            raise ProofError(
                f"ledger seq {entry.seq}: prev_hash does not match the hash of the entry before"
            )
        if not hmac.compare_digest(entry.entry_hash, chain_hash(entry)):
            raise ProofError(f"ledger seq {entry.seq}: entry_hash does not match its contents")
        prev_hash = entry.entry_hash


def format_time(when: datetime) -> str:
    """Return ``when`` as the canonical ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC."""
    return when.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def canonical_json(value: object) -> str:
    """Return ``value`` as canonical JSON: keys sorted, no whitespace, UTF-8 text kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# -- helpers -------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _check_text(value: object, name: str) -> None:
    if not isinstance(value, str):
        raise InvalidInput(f"ledger entry {name} must be text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"ledger entry {name} is not valid Unicode") from None

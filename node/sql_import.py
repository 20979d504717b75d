"""One import's classification and staged writes, batch by batch.

Used by :meth:`node.sql_store.SqlNodeStore.import_records`, which claims the
dataset's imports, applies the staged rows in its last transaction
(:mod:`node.sql_staging`) and owns the dataset's version; this module only
decides, per input row, whether to insert, rewrite or leave a record, and
stages the new and changed ones in bulk, each batch its own short
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from itertools import islice
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from liaison.core.errors import InvalidInput
from liaison.core.records import MatchKey, Record
from liaison.node import sql_staging
from liaison.node.filter_builds import FilterBuild
from liaison.node.record_rows import content_hash, identifier_rows
from liaison.node.sql_tables import (
    RecordRow,
    StagedDetailRow,
    StagedIdentifierRow,
    StagedKeyRow,
    StagedRecordRow,
    table_of,
)
from liaison.node.store import MAX_REF_LENGTH

#: Rows per batch: bounds memory and the number of bound parameters per
#: statement (SQLite and PostgreSQL both cap them), and paces ``progress``.
BATCH_SIZE: Final = 1000

#: Opens a short write transaction (the store's).
Writes = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """How many input rows were inserted, updated or unchanged, and records removed."""

    inserted: int
    updated: int
    unchanged: int
    removed: int

    @property
    def changed_anything(self) -> bool:
        """Whether the dataset's content (and so its version) changed."""
        return bool(self.inserted or self.updated or self.removed)


@dataclass(frozen=True, slots=True)
class StagedImport:
    """An import's counts and the ids of the records it removes, its rows staged."""

    counts: ImportCounts
    removed: list[int]


def stage_import(
    writes: Writes,
    dataset_id: int,
    token: str,
    records: Iterable[Record],
    derive: Callable[[Record], Sequence[MatchKey]],
    *,
    replace: bool,
    key_spec: str,
    progress: Callable[[int], None] | None,
    build: FilterBuild | None = None,
) -> StagedImport:
    """Stage an import under ``token``, one short transaction per batch.

    With ``build``, each new or changed record's elements of ``build.epoch``
    are computed (the only curve work of an import) and staged with it.

    Raises:
        InvalidInput: an empty, overlong or repeated ref (named by row number).
        Exception: whatever ``derive`` or ``progress`` raise.
    """
    batch = _ImportBatch(dataset_id, token, key_spec, derive, build)
    with writes() as session:
        existing = batch.load_existing(session)
    seen: set[str] = set()
    rows = iter(records)
    # One batch is encrypted by the workers while the one before it is written.
    previous: _Prepared | None = None
    while chunk := list(islice(rows, BATCH_SIZE)):
        prepared = batch.prepare(chunk, existing, seen)
        if previous is not None:
            with writes() as session:
                batch.write(session, previous)
        previous = prepared
        if progress is not None:
            progress(len(seen))
    if previous is not None:
        with writes() as session:
            batch.write(session, previous)
    removed = [e.id for ref, e in existing.items() if ref not in seen] if replace else []
    counts = ImportCounts(batch.inserted, batch.updated, batch.unchanged, len(removed))
    return StagedImport(counts, removed)


@dataclass(frozen=True, slots=True)
class _Pending:
    """An input record to insert (``record_id`` None) or to rewrite."""

    record: Record
    digest: str
    record_id: int | None


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A batch sorted and derived, its elements being computed by the workers."""

    pending: list[_Pending]
    derived: list[dict[str, MatchKey]]
    encrypted: Callable[[], list[bytes]] | None


@dataclass(frozen=True, slots=True)
class _Existing:
    """A stored record as far as an import needs to know it."""

    id: int
    content_hash: str


class _ImportBatch:
    """The staged writes of one import, batch by batch."""

    def __init__(
        self,
        dataset_id: int,
        token: str,
        key_spec: str,
        derive: Callable[[Record], Sequence[MatchKey]],
        build: FilterBuild | None = None,
    ) -> None:
        self._build = build
        self._dataset_id = dataset_id
        self._token = token
        self._key_spec = key_spec
        self._derive = derive
        self.inserted = self.updated = self.unchanged = 0

    def load_existing(self, session: Session) -> dict[str, _Existing]:
        """Return ref -> (id, hash) of the dataset's records: one query, not one per row."""
        rows = session.execute(
            select(RecordRow.ref, RecordRow.id, RecordRow.content_hash).where(
                RecordRow.dataset_id == self._dataset_id
            )
        )
        return {ref: _Existing(id_, hash_) for ref, id_, hash_ in rows}

    def prepare(
        self, chunk: list[Record], existing: dict[str, _Existing], seen: set[str]
    ) -> _Prepared:
        """Sort a batch into new, changed and unchanged records, derive keys, start encrypting.

        Raises:
            InvalidInput: an empty, overlong or repeated ref (named by row number).
        """
        pending: list[_Pending] = []
        for record in chunk:
            _check_ref(record.ref, seen)
            seen.add(record.ref)
            digest = content_hash(record, self._key_spec)
            old = existing.get(record.ref)
            if old is None:
                pending.append(_Pending(record, digest, None))
                self.inserted += 1
            elif old.content_hash != digest:
                pending.append(_Pending(record, digest, old.id))
                self.updated += 1
            else:
                self.unchanged += 1
        # Derive before writing: a key spec failing on this batch stages nothing.
        derived = [_distinct(self._derive(p.record)) for p in pending]
        encrypted = None
        if self._build is not None and derived:
            encrypted = self._build.encrypt([list(keys) for keys in derived])
        return _Prepared(pending, derived, encrypted)

    def write(self, session: Session, batch: _Prepared) -> None:
        """Stage a prepared batch: its records, identifiers, keys and elements."""
        if not batch.pending:
            return
        blobs = batch.encrypted() if batch.encrypted is not None else None
        epoch = None if self._build is None else self._build.epoch
        sql_staging.bulk_insert(
            session,
            table_of(StagedRecordRow),
            [
                {
                    "token": self._token,
                    "ref": p.record.ref,
                    "dataset_id": self._dataset_id,
                    "content_hash": p.digest,
                    "record_id": p.record_id,
                    "epoch": epoch,
                    "elements": None if blobs is None else blobs[i],
                }
                for i, p in enumerate(batch.pending)
            ],
        )
        self._stage_contents(session, batch)

    def _stage_contents(self, session: Session, batch: _Prepared) -> None:
        identifiers: list[dict[str, Any]] = []
        keys: list[dict[str, Any]] = []
        details = [
            {"token": self._token, "ref": p.record.ref, "name": d.name, "value": d.value}
            for p in batch.pending
            for d in p.record.details
        ]
        for p, derived in zip(batch.pending, batch.derived, strict=True):
            identifiers.extend(
                {
                    "token": self._token,
                    "ref": p.record.ref,
                    "kind": row.kind.value,
                    "position": row.position,
                    "value": row.value,
                }
                for row in identifier_rows(p.record)
            )
            keys.extend(
                {
                    "token": self._token,
                    "ref": p.record.ref,
                    "kind": key.kind.value,
                    "value": key.value,
                    "key_spec": self._key_spec,
                }
                for key in derived.values()
            )
        # COPY on PostgreSQL, executemany else; not the ORM's bulk path (a third of the time).
        sql_staging.bulk_insert(session, table_of(StagedIdentifierRow), identifiers)
        sql_staging.bulk_insert(session, table_of(StagedKeyRow), keys)
        sql_staging.bulk_insert(session, table_of(StagedDetailRow), details)


def _distinct(keys: Sequence[MatchKey]) -> dict[str, MatchKey]:
    """Return a record's keys by value: a record may yield one key twice (a phone listed twice)."""
    distinct: dict[str, MatchKey] = {}
    for key in keys:
        distinct.setdefault(key.value, key)
    return distinct


def _check_ref(ref: str, seen: set[str]) -> None:
    row = len(seen) + 1
    if not ref:
        raise InvalidInput(f"row {row}: ref is empty")
    if len(ref) > MAX_REF_LENGTH:
        raise InvalidInput(f"row {row}: ref is longer than {MAX_REF_LENGTH} characters")
    if ref in seen:
        raise InvalidInput(f"row {row}: ref repeats an earlier row")

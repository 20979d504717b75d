"""One import's writes, batch by batch, inside the store's transaction.

Used by :meth:`node.sql_store.SqlNodeStore.import_records`, which owns the
transaction and the dataset's version; this module only decides, per input
row, whether to insert, rewrite or leave a record, and writes in bulk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, Final

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from liaison.core.errors import InvalidInput
from liaison.core.records import MatchKey, Record
from liaison.node import sql_elements
from liaison.node.filter_builds import FilterBuild
from liaison.node.sql_tables import (
    IdentifierValueRow,
    MatchKeyRow,
    RecordElementsRow,
    RecordRow,
    table_of,
)
from liaison.node.store import MAX_REF_LENGTH, content_hash, identifier_rows

#: Rows per batch: bounds memory and the number of bound parameters per
#: statement (SQLite and PostgreSQL both cap them), and paces ``progress``.
BATCH_SIZE: Final = 1000


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


def write_import(
    session: Session,
    dataset_id: int,
    records: Iterable[Record],
    derive: Callable[[Record], Sequence[MatchKey]],
    *,
    replace: bool,
    key_spec: str,
    progress: Callable[[int], None] | None,
    build: FilterBuild | None = None,
) -> ImportCounts:
    """Write an import into ``session`` (which the caller commits or rolls back).

    With ``build``, each new or changed record's elements of ``build.epoch``
    are computed (the only curve work of an import) and stored with it.

    Raises:
        InvalidInput: an empty, overlong or repeated ref (named by row number).
        Exception: whatever ``derive`` or ``progress`` raise.
    """
    batch = _ImportBatch(session, dataset_id, key_spec, derive, build)
    existing = batch.load_existing()
    seen: set[str] = set()
    rows = iter(records)
    # One batch is encrypted by the workers while the one before it is written.
    previous: _Prepared | None = None
    while chunk := list(islice(rows, BATCH_SIZE)):
        prepared = batch.prepare(chunk, existing, seen)
        if previous is not None:
            batch.write(previous)
        previous = prepared
        if progress is not None:
            progress(len(seen))
    if previous is not None:
        batch.write(previous)
    if replace:
        batch.remove([e.id for ref, e in existing.items() if ref not in seen])
    return ImportCounts(batch.inserted, batch.updated, batch.unchanged, batch.removed)


@dataclass(frozen=True, slots=True)
class _Pending:
    """An input record to insert (``record_id`` None) or to rewrite."""

    record: Record
    digest: str
    record_id: int | None


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A batch sorted and derived, its elements being computed by the workers."""

    new: list[_Pending]
    changed: list[_Pending]
    derived: list[dict[str, MatchKey]]
    encrypted: Callable[[], list[bytes]] | None


@dataclass(frozen=True, slots=True)
class _Existing:
    """A stored record as far as an import needs to know it."""

    id: int
    content_hash: str


class _ImportBatch:
    """The writes of one import, batch by batch, inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        dataset_id: int,
        key_spec: str,
        derive: Callable[[Record], Sequence[MatchKey]],
        build: FilterBuild | None = None,
    ) -> None:
        self._build = build
        self._session = session
        self._dataset_id = dataset_id
        self._key_spec = key_spec
        self._derive = derive
        self.inserted = self.updated = self.unchanged = self.removed = 0

    def load_existing(self) -> dict[str, _Existing]:
        """Return ref -> (id, hash) of the dataset's records: one query, not one per row."""
        rows = self._session.execute(
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
        new: list[_Pending] = []
        changed: list[_Pending] = []
        for record in chunk:
            _check_ref(record.ref, seen)
            seen.add(record.ref)
            digest = content_hash(record, self._key_spec)
            old = existing.get(record.ref)
            if old is None:
                new.append(_Pending(record, digest, None))
            elif old.content_hash != digest:
                changed.append(_Pending(record, digest, old.id))
            else:
                self.unchanged += 1
        # Derive before writing: a key spec failing on this batch sends nothing.
        derived = [_distinct(self._derive(p.record)) for p in (*new, *changed)]
        encrypted = None
        if self._build is not None and derived:
            encrypted = self._build.encrypt([list(keys) for keys in derived])
        return _Prepared(new, changed, derived, encrypted)

    def write(self, batch: _Prepared) -> None:
        """Insert a prepared batch's new records, rewrite its changed ones, store their elements."""
        pending = [*batch.new, *batch.changed]
        ids = self._insert_records(batch.new)
        self._rewrite_records(batch.changed)
        record_ids = [ids[p.record.ref] if p.record_id is None else p.record_id for p in pending]
        self._insert_contents(
            [
                (id_, p.record, keys)
                for id_, p, keys in zip(record_ids, pending, batch.derived, strict=True)
            ]
        )
        if self._build is not None and batch.encrypted is not None:
            sql_elements.insert_elements(
                self._session,
                self._dataset_id,
                self._build.epoch,
                [
                    (id_, p.digest, blob)
                    for id_, p, blob in zip(record_ids, pending, batch.encrypted(), strict=True)
                ],
            )
        self.inserted += len(batch.new)
        self.updated += len(batch.changed)

    def remove(self, record_ids: list[int]) -> None:
        """Delete records with their identifiers and keys."""
        for start in range(0, len(record_ids), BATCH_SIZE):
            batch = record_ids[start : start + BATCH_SIZE]
            self._delete_contents(batch)
            self._session.execute(
                delete(RecordRow).where(RecordRow.id.in_(batch)),
                execution_options={"synchronize_session": False},
            )
        self.removed += len(record_ids)

    def _insert_records(self, new: list[_Pending]) -> dict[str, int]:
        """Insert records; return ref -> id (the ids the content rows refer to)."""
        if not new:
            return {}
        result = self._session.execute(
            insert(RecordRow).returning(RecordRow.ref, RecordRow.id),
            [
                {"dataset_id": self._dataset_id, "ref": p.record.ref, "content_hash": p.digest}
                for p in new
            ],
        )
        return {ref: id_ for ref, id_ in result}

    def _rewrite_records(self, changed: list[_Pending]) -> None:
        """Drop the old contents of changed records and store their new hashes."""
        if not changed:
            return
        self._delete_contents([p.record_id for p in changed if p.record_id is not None])
        self._session.execute(
            update(RecordRow), [{"id": p.record_id, "content_hash": p.digest} for p in changed]
        )

    def _delete_contents(self, record_ids: list[int]) -> None:
        # Explicit rather than relying on ON DELETE CASCADE: a changed record
        # keeps its row, and SQLite enforces foreign keys only when told to.
        for table in (IdentifierValueRow, MatchKeyRow, RecordElementsRow):
            self._session.execute(
                delete(table).where(table.record_id.in_(record_ids)),
                execution_options={"synchronize_session": False},
            )

    def _insert_contents(self, contents: list[tuple[int, Record, dict[str, MatchKey]]]) -> None:
        identifiers: list[dict[str, Any]] = []
        keys: list[dict[str, Any]] = []
        for record_id, record, derived in contents:
            identifiers.extend(
                {
                    "record_id": record_id,
                    "kind": row.kind.value,
                    "position": row.position,
                    "value": row.value,
                }
                for row in identifier_rows(record)
            )
            keys.extend(
                {
                    "record_id": record_id,
                    "dataset_id": self._dataset_id,
                    "kind": key.kind.value,
                    "value": key.value,
                    "key_spec": self._key_spec,
                }
                for key in derived.values()
            )
        # Core inserts (executemany), not the ORM's bulk path: a third of the time.
        if identifiers:
            self._session.execute(insert(table_of(IdentifierValueRow)), identifiers)
        if keys:
            self._session.execute(insert(table_of(MatchKeyRow)), keys)


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

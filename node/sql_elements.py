"""Kept encrypted elements on SQLAlchemy: the queries behind incremental filters.

Each record's keys are encrypted once per key epoch (the curve work of a
filter) and kept in ``record_elements``; a filter is then rebuilt from them
by hashing alone (:mod:`crypto.filters`). :class:`node.sql_store.SqlNodeStore`
and :mod:`node.sql_import` call these inside their own transactions;
``docs/storage.md`` ("Kept elements") explains the life of a row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Final

from sqlalchemy import delete, exists, func, insert, select
from sqlalchemy import distinct as distinct_
from sqlalchemy.orm import Session

from liaison.node.filter_builds import FilterBuild
from liaison.node.sql_tables import FilterRow, MatchKeyRow, RecordElementsRow, RecordRow, table_of
from liaison.node.store import FILTERS_KEPT, StoredFilter

#: Records per batch when elements are filled in (bounds memory and parameters).
FILL_BATCH: Final = 1000
#: Element rows fetched per round trip while a filter is built.
_READ_BATCH: Final = 2000


def insert_elements(
    session: Session, dataset_id: int, epoch: int, rows: Sequence[tuple[int, str, bytes]]
) -> None:
    """Insert (record id, content hash, elements) rows of one key epoch."""
    if rows:
        session.execute(
            insert(table_of(RecordElementsRow)),
            [
                {
                    "record_id": record_id,
                    "epoch": epoch,
                    "dataset_id": dataset_id,
                    "content_hash": digest,
                    "elements": blob,
                }
                for record_id, digest, blob in rows
            ],
        )


def missing(
    session: Session, dataset_id: int, epoch: int, *, after: int, limit: int = FILL_BATCH
) -> list[tuple[int, str]]:
    """Return (id, content hash) of records past id ``after`` with no elements of ``epoch``."""
    has_elements = exists().where(
        RecordElementsRow.record_id == RecordRow.id, RecordElementsRow.epoch == epoch
    )
    rows = session.execute(
        select(RecordRow.id, RecordRow.content_hash)
        .where(RecordRow.dataset_id == dataset_id, RecordRow.id > after, ~has_elements)
        .order_by(RecordRow.id)
        .limit(limit)
    )
    return [(id_, digest) for id_, digest in rows]


def keys_of(session: Session, record_ids: Sequence[int]) -> dict[int, list[str]]:
    """Return each record's distinct key strings."""
    keys: dict[int, list[str]] = {id_: [] for id_ in record_ids}
    rows = session.execute(
        select(MatchKeyRow.record_id, MatchKeyRow.value).where(
            MatchKeyRow.record_id.in_(record_ids)
        )
    )
    for record_id, value in rows:
        keys[record_id].append(value)
    return keys


def hashes_of(session: Session, record_ids: Sequence[int]) -> dict[int, str]:
    """Return the current content hash of each of these records that still exists."""
    rows = session.execute(
        select(RecordRow.id, RecordRow.content_hash).where(RecordRow.id.in_(record_ids))
    )
    return {id_: digest for id_, digest in rows}


def fill(session: Session, dataset_id: int, build: FilterBuild) -> int:
    """Encrypt, inside the caller's transaction, every record lacking elements of ``build.epoch``.

    Returns:
        How many records were filled in.
    """
    done = 0
    after = 0
    while batch := missing(session, dataset_id, build.epoch, after=after):
        keys = keys_of(session, [id_ for id_, _ in batch])
        blobs = build.encrypt([keys[id_] for id_, _ in batch])()
        insert_elements(
            session,
            dataset_id,
            build.epoch,
            [(id_, digest, blob) for (id_, digest), blob in zip(batch, blobs, strict=True)],
        )
        done += len(batch)
        after = batch[-1][0]
        if build.progress is not None:
            build.progress("encrypt", done, done)
    return done


def drop_stale(session: Session, dataset_id: int, epoch: int) -> None:
    """Delete elements of ``epoch`` computed from a record's earlier content."""
    stale = (
        select(RecordRow.id)
        .where(
            RecordRow.id == RecordElementsRow.record_id,
            RecordRow.content_hash != RecordElementsRow.content_hash,
        )
        .exists()
    )
    session.execute(
        delete(RecordElementsRow).where(
            RecordElementsRow.dataset_id == dataset_id, RecordElementsRow.epoch == epoch, stale
        ),
        execution_options={"synchronize_session": False},
    )


def drop_epochs(session: Session, dataset_id: int, *, keep: int | None) -> None:
    """Delete the dataset's elements of every epoch but ``keep`` (of all, with None)."""
    condition = RecordElementsRow.dataset_id == dataset_id
    if keep is not None:
        condition = condition & (RecordElementsRow.epoch != keep)
    session.execute(
        delete(RecordElementsRow).where(condition),
        execution_options={"synchronize_session": False},
    )


def drop_epoch(session: Session, dataset_id: int, epoch: int) -> None:
    """Delete the dataset's elements of ``epoch``."""
    session.execute(
        delete(RecordElementsRow).where(
            RecordElementsRow.dataset_id == dataset_id, RecordElementsRow.epoch == epoch
        ),
        execution_options={"synchronize_session": False},
    )


def count_records(session: Session, dataset_id: int) -> int:
    """Return how many records the dataset holds."""
    return int(
        session.scalar(
            select(func.count()).select_from(RecordRow).where(RecordRow.dataset_id == dataset_id)
        )
        or 0
    )


def count_elements(session: Session, dataset_id: int, epoch: int) -> int:
    """Return how many records hold elements of ``epoch``."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(RecordElementsRow)
            .where(RecordElementsRow.dataset_id == dataset_id, RecordElementsRow.epoch == epoch)
        )
        or 0
    )


def blobs(session: Session, dataset_id: int, epoch: int) -> Iterator[bytes]:
    """Yield every element blob of the dataset's ``epoch``, streamed in pages by record id."""
    after = -1
    while True:
        page = session.execute(
            select(RecordElementsRow.record_id, RecordElementsRow.elements)
            .where(
                RecordElementsRow.dataset_id == dataset_id,
                RecordElementsRow.epoch == epoch,
                RecordElementsRow.record_id > after,
            )
            .order_by(RecordElementsRow.record_id)
            .limit(_READ_BATCH)
        ).all()
        if not page:
            return
        for _, blob in page:
            yield blob
        after = page[-1][0]


def swap_in(
    session: Session, dataset_id: int, name: str, version: int, build: FilterBuild
) -> StoredFilter:
    """Make a new epoch's elements whole under the import lock, and build its filter.

    Rows computed from a record's earlier content are replaced, missing ones
    computed (the few records an import touched while the rotation filled
    in the rest), then the filter of ``version`` is built by hashing.
    """
    drop_stale(session, dataset_id, build.epoch)
    fill(session, dataset_id, build)
    return build_filter(session, dataset_id, name, version, build)


def build_filter(
    session: Session, dataset_id: int, name: str, version: int, build: FilterBuild
) -> StoredFilter:
    """Build the filter of ``version`` from the kept elements of ``build.epoch`` (no curve work)."""
    total = count_elements(session, dataset_id, build.epoch)
    seen = 0

    def counted() -> Iterator[bytes]:
        nonlocal seen
        for blob in blobs(session, dataset_id, build.epoch):
            seen += 1
            if build.progress is not None and seen % FILL_BATCH == 0:
                build.progress("filter", seen, total)
            yield blob

    distinct = session.scalar(
        select(func.count(distinct_(MatchKeyRow.value))).where(MatchKeyRow.dataset_id == dataset_id)
    )
    setup, key_count = build.build(counted(), int(distinct or 0))
    if build.progress is not None:
        build.progress("filter", total, total)
    return StoredFilter(name, version, key_count, setup)


def store_filter(session: Session, dataset_id: int, stored: StoredFilter, now: datetime) -> None:
    """Store a filter (replacing one of the same version) and keep the newest versions only."""
    session.execute(
        delete(FilterRow).where(
            FilterRow.dataset_id == dataset_id, FilterRow.version == stored.version
        ),
        execution_options={"synchronize_session": False},
    )
    session.add(
        FilterRow(
            dataset_id=dataset_id,
            version=stored.version,
            key_count=stored.key_count,
            setup=stored.setup,
            created_at=now,
        )
    )
    session.flush()
    kept = session.scalars(
        select(FilterRow.version)
        .where(FilterRow.dataset_id == dataset_id)
        .order_by(FilterRow.version.desc())
        .limit(FILTERS_KEPT)
    ).all()
    session.execute(
        delete(FilterRow).where(FilterRow.dataset_id == dataset_id, FilterRow.version.not_in(kept)),
        execution_options={"synchronize_session": False},
    )

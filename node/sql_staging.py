"""Staged imports: batches committed as they go, applied in one short transaction.

An import writes its new and changed records, with their identifiers, keys
and elements, into the ``staged_*`` tables batch by batch, each batch its own
transaction, so that no write lock is held while keys are derived and
encrypted (on SQLite, every writer waits for the one holding the lock: the
node's answers, which write the replay guard, the ledger and the agreement
budgets, would wait for the whole import). Its last transaction applies the
staged rows to the live tables with ``INSERT ... SELECT``, builds the filter
and increments the version: readers switch from one version to the next at
that commit, and nothing of a failed import is ever visible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, insert, literal, select, update
from sqlalchemy.orm import Session

from liaison.core.errors import StorageUnavailable
from liaison.node.sql_tables import (
    IdentifierValueRow,
    ImportClaimRow,
    MatchKeyRow,
    RecordDetailRow,
    RecordElementsRow,
    RecordRow,
    StagedDetailRow,
    StagedIdentifierRow,
    StagedKeyRow,
    StagedRecordRow,
    table_of,
)

_STAGED = (StagedRecordRow, StagedIdentifierRow, StagedKeyRow, StagedDetailRow)
#: Record ids per ``DELETE ... IN`` (bounds the bound parameters of one statement).
_DELETE_BATCH = 1000


def bulk_insert(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows in bulk: ``COPY ... FROM STDIN`` on PostgreSQL (psycopg), ``executemany`` else.

    Every row must have the same keys (the columns written).
    """
    if not rows:
        return
    columns = list(rows[0])
    connection = session.connection()
    driver = connection.connection.driver_connection
    if connection.dialect.name != "postgresql" or driver is None:
        session.execute(insert(table), list(rows))
        return
    names = ", ".join(f'"{name}"' for name in columns)
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


def claim(session: Session, dataset_id: int, token: str, *, now: datetime, until: datetime) -> bool:
    """Claim the dataset's imports for ``token`` unless a live claim exists.

    An expired claim is dropped first with the rows its import staged.
    """
    expired = session.scalars(
        select(ImportClaimRow.token).where(
            ImportClaimRow.dataset_id == dataset_id, ImportClaimRow.expires_at <= now
        )
    ).all()
    for dead in expired:
        drop(session, dead)
    session.execute(
        delete(ImportClaimRow).where(
            ImportClaimRow.dataset_id == dataset_id, ImportClaimRow.expires_at <= now
        ),
        execution_options={"synchronize_session": False},
    )
    if session.get(ImportClaimRow, dataset_id) is not None:
        return False
    session.add(ImportClaimRow(dataset_id=dataset_id, token=token, expires_at=until))
    session.flush()
    return True


def renew(session: Session, dataset_id: int, token: str, *, until: datetime) -> None:
    """Extend the import claim ``token`` holds.

    Raises:
        StorageUnavailable: the claim is no longer ``token``'s.
    """
    check_claim(session, dataset_id, token)
    session.execute(
        update(ImportClaimRow)
        .where(ImportClaimRow.dataset_id == dataset_id, ImportClaimRow.token == token)
        .values(expires_at=until),
        execution_options={"synchronize_session": False},
    )


def check_claim(session: Session, dataset_id: int, token: str) -> None:
    """Check that ``token`` still holds the dataset's import claim.

    Raises:
        StorageUnavailable: it does not (it expired and another import took it).
    """
    row = session.get(ImportClaimRow, dataset_id)
    if row is None or row.token != token:
        raise StorageUnavailable("the import lost its claim on the dataset (it ran too long)")


def release(session: Session, dataset_id: int, token: str) -> None:
    """Drop the import claim if it is still ``token``'s, with anything it staged."""
    drop(session, token)
    session.execute(
        delete(ImportClaimRow).where(
            ImportClaimRow.dataset_id == dataset_id, ImportClaimRow.token == token
        ),
        execution_options={"synchronize_session": False},
    )


def drop(session: Session, token: str) -> None:
    """Delete every row staged by the import ``token``."""
    for model in _STAGED:
        session.execute(
            delete(model).where(model.token == token),
            execution_options={"synchronize_session": False},
        )


def apply(
    session: Session,
    dataset_id: int,
    token: str,
    removed: Sequence[int],
    *,
    epoch: int | None,
) -> None:
    """Apply a staged import to the live tables (inside the caller's locked transaction).

    Changed records get their contents replaced, removed ones go, new ones
    are inserted with their identifiers and keys; staged elements of
    ``epoch`` (the dataset's current key epoch) are kept, others dropped
    (a rotation swapped in meanwhile: the caller recomputes them).
    """
    staged = table_of(StagedRecordRow)
    records = table_of(RecordRow)
    changed = select(staged.c.record_id).where(
        staged.c.token == token, staged.c.record_id.is_not(None)
    )
    for model in (IdentifierValueRow, MatchKeyRow, RecordElementsRow, RecordDetailRow):
        session.execute(
            delete(model).where(model.record_id.in_(changed)),
            execution_options={"synchronize_session": False},
        )
    for start in range(0, len(removed), _DELETE_BATCH):
        batch = list(removed[start : start + _DELETE_BATCH])
        for model in (IdentifierValueRow, MatchKeyRow, RecordElementsRow, RecordDetailRow):
            session.execute(
                delete(model).where(model.record_id.in_(batch)),
                execution_options={"synchronize_session": False},
            )
        session.execute(
            delete(RecordRow).where(RecordRow.id.in_(batch)),
            execution_options={"synchronize_session": False},
        )
    new_hash = (
        select(staged.c.content_hash)
        .where(staged.c.token == token, staged.c.record_id == records.c.id)
        .scalar_subquery()
    )
    session.execute(
        update(records).where(records.c.id.in_(changed)).values(content_hash=new_hash),
        execution_options={"synchronize_session": False},
    )
    session.execute(
        insert(records).from_select(
            ["dataset_id", "ref", "content_hash"],
            select(literal(dataset_id), staged.c.ref, staged.c.content_hash).where(
                staged.c.token == token, staged.c.record_id.is_(None)
            ),
        )
    )
    _insert_contents(session, dataset_id, token, epoch)


def _insert_contents(session: Session, dataset_id: int, token: str, epoch: int | None) -> None:
    """Copy staged identifiers, keys, details and elements to the live tables, by record ref."""
    records = table_of(RecordRow)
    live_details = (records.c.dataset_id == dataset_id) & (records.c.ref == StagedDetailRow.ref)
    session.execute(
        insert(table_of(RecordDetailRow)).from_select(
            ["record_id", "name", "value"],
            select(records.c.id, StagedDetailRow.name, StagedDetailRow.value)
            .join(records, live_details)
            .where(StagedDetailRow.token == token),
        )
    )
    live = (records.c.dataset_id == dataset_id) & (records.c.ref == StagedIdentifierRow.ref)
    session.execute(
        insert(table_of(IdentifierValueRow)).from_select(
            ["record_id", "kind", "position", "value"],
            select(
                records.c.id,
                StagedIdentifierRow.kind,
                StagedIdentifierRow.position,
                StagedIdentifierRow.value,
            )
            .join(records, live)
            .where(StagedIdentifierRow.token == token),
        )
    )
    live_keys = (records.c.dataset_id == dataset_id) & (records.c.ref == StagedKeyRow.ref)
    session.execute(
        insert(table_of(MatchKeyRow)).from_select(
            ["record_id", "dataset_id", "kind", "value", "key_spec"],
            select(
                records.c.id,
                literal(dataset_id),
                StagedKeyRow.kind,
                StagedKeyRow.value,
                StagedKeyRow.key_spec,
            )
            .join(records, live_keys)
            .where(StagedKeyRow.token == token),
        )
    )
    if epoch is None:
        return
    live_records = (records.c.dataset_id == dataset_id) & (records.c.ref == StagedRecordRow.ref)
    session.execute(
        insert(table_of(RecordElementsRow)).from_select(
            ["record_id", "epoch", "dataset_id", "content_hash", "elements"],
            select(
                records.c.id,
                StagedRecordRow.epoch,
                literal(dataset_id),
                StagedRecordRow.content_hash,
                StagedRecordRow.elements,
            )
            .join(records, live_records)
            .where(
                StagedRecordRow.token == token,
                StagedRecordRow.epoch == epoch,
                StagedRecordRow.elements.is_not(None),
            ),
        )
    )

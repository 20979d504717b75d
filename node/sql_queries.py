"""Small queries shared by the node store's modules: finding a dataset, its sizes."""

from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from liaison.core.errors import NotFound
from liaison.node.sql_tables import DatasetRow, MatchKeyRow, RecordRow
from liaison.node.store import DatasetInfo


def find_dataset(session: Session, name: str, *, for_update: bool = False) -> DatasetRow | None:
    """Return the dataset's row, or None; ``for_update`` takes the import's row lock."""
    query = select(DatasetRow).where(DatasetRow.name == name)
    if for_update:
        # FOR NO KEY UPDATE, not FOR UPDATE: it still serialises imports, but
        # lets put_filter insert rows referencing the dataset meanwhile (their
        # foreign-key check takes FOR KEY SHARE, which FOR UPDATE would block).
        query = query.with_for_update(key_share=True)
    return session.scalar(query)


def get_dataset(session: Session, name: str, *, for_update: bool = False) -> DatasetRow:
    """Return the dataset's row (see :func:`find_dataset`).

    Raises:
        NotFound: no such dataset.
    """
    dataset = find_dataset(session, name, for_update=for_update)
    if dataset is None:
        raise NotFound(f"unknown dataset {name!r}")
    return dataset


def dataset_infos(session: Session, name: str | None) -> list[DatasetInfo]:
    """Return DatasetInfo of one dataset (or all), counts included, in one statement."""
    # Correlated subqueries: each count uses the (dataset_id, ...) index of
    # its table and touches only that dataset's rows.
    records = (
        select(func.count())
        .select_from(RecordRow)
        .where(RecordRow.dataset_id == DatasetRow.id)
        .scalar_subquery()
    )
    keys = (
        select(func.count(distinct(MatchKeyRow.value)))
        .where(MatchKeyRow.dataset_id == DatasetRow.id)
        .scalar_subquery()
    )
    query = select(DatasetRow.name, records, keys, DatasetRow.version, DatasetRow.updated_at)
    if name is not None:
        query = query.where(DatasetRow.name == name)
    # Sorted in Python: the database's collation would differ between engines.
    return sorted((DatasetInfo(*row) for row in session.execute(query)), key=lambda d: d.name)

"""Key epochs on SQLAlchemy: the queries behind the store's key-rotation methods.

:class:`node.sql_store.SqlNodeStore` calls these inside its own transactions;
``docs/epochs.md`` explains what an epoch is for.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from liaison.core.errors import InvalidInput
from liaison.node.sql_tables import DatasetRow, FilterRow, KeyEpochRow, KeyRotationClaimRow
from liaison.node.store import KeyEpoch, ServingState, StoredFilter, check_aware

#: The reason recorded for epoch 0, which has no row.
CREATED = "created"
_MAX_REASON = 32
_MAX_TOKEN = 64


def _first(dataset: DatasetRow) -> KeyEpoch:
    return KeyEpoch(dataset.name, 0, 0, dataset.created_at, CREATED)


def _epoch(dataset: DatasetRow, row: KeyEpochRow) -> KeyEpoch:
    return KeyEpoch(dataset.name, row.epoch, row.version, row.started_at, row.reason)


def current_epoch(session: Session, dataset: DatasetRow) -> KeyEpoch:
    """Return the dataset's current key epoch."""
    row = session.scalar(
        select(KeyEpochRow)
        .where(KeyEpochRow.dataset_id == dataset.id)
        .order_by(KeyEpochRow.epoch.desc())
        .limit(1)
    )
    return _first(dataset) if row is None else _epoch(dataset, row)


def serving_state(session: Session, dataset: DatasetRow) -> ServingState:
    """Return the dataset's version, epoch and sealed key (call inside one transaction)."""
    return ServingState(
        dataset.name, dataset.version, current_epoch(session, dataset), dataset.sealed_server_key
    )


def epoch_history(session: Session, dataset: DatasetRow) -> list[KeyEpoch]:
    """Return every key epoch of the dataset, oldest first."""
    rows = session.scalars(
        select(KeyEpochRow).where(KeyEpochRow.dataset_id == dataset.id).order_by(KeyEpochRow.epoch)
    )
    return [_first(dataset), *(_epoch(dataset, row) for row in rows)]


def rotate(
    session: Session,
    dataset: DatasetRow,
    sealed_server_key: bytes,
    *,
    reason: str,
    now: datetime,
    if_epoch: int | None,
    new_filter: StoredFilter | None = None,
) -> KeyEpoch | None:
    """Start the next key epoch on a dataset row the caller has locked.

    With ``new_filter`` (the next version's filter, built under the new
    key), nothing happens unless its version is the dataset's plus one;
    otherwise it is stored with the new epoch.

    Raises:
        InvalidInput: empty key, empty or overlong reason, or a naive ``now``.
    """
    if not sealed_server_key:
        raise InvalidInput("sealed server key is empty")
    if not 0 < len(reason) <= _MAX_REASON:
        raise InvalidInput(f"rotation reason must be 1-{_MAX_REASON} characters")
    now = check_aware(now, "now")
    current = current_epoch(session, dataset)
    if if_epoch is not None and current.epoch != if_epoch:
        return None
    if new_filter is not None and new_filter.version != dataset.version + 1:
        # An import changed the keys while the filter was built.
        return None
    dataset.sealed_server_key = sealed_server_key
    dataset.version += 1
    row = KeyEpochRow(
        dataset_id=dataset.id,
        epoch=current.epoch + 1,
        version=dataset.version,
        started_at=now,
        reason=reason,
    )
    session.add(row)
    # Filters under the old key are useless now, and are never served again.
    session.execute(
        delete(FilterRow).where(FilterRow.dataset_id == dataset.id),
        execution_options={"synchronize_session": False},
    )
    if new_filter is not None:
        session.add(
            FilterRow(
                dataset_id=dataset.id,
                version=dataset.version,
                key_count=new_filter.key_count,
                setup=new_filter.setup,
                created_at=now,
            )
        )
    session.flush()
    return _epoch(dataset, row)


def claim(
    session: Session, dataset: DatasetRow, token: str, *, now: datetime, until: datetime
) -> bool:
    """Claim the dataset's next rotation unless a live claim exists; flush to detect a race.

    Raises:
        InvalidInput: an empty or overlong token, or a naive time.
    """
    if not 0 < len(token) <= _MAX_TOKEN:
        raise InvalidInput(f"rotation claim token must be 1-{_MAX_TOKEN} characters")
    now, until = check_aware(now, "now"), check_aware(until, "until")
    session.execute(
        delete(KeyRotationClaimRow).where(
            KeyRotationClaimRow.dataset_id == dataset.id, KeyRotationClaimRow.expires_at <= now
        ),
        execution_options={"synchronize_session": False},
    )
    if session.get(KeyRotationClaimRow, dataset.id) is not None:
        return False
    session.add(
        KeyRotationClaimRow(dataset_id=dataset.id, token=token, claimed_at=now, expires_at=until)
    )
    session.flush()
    return True


def release(session: Session, dataset: DatasetRow, token: str) -> None:
    """Drop the dataset's rotation claim if it is still ``token``'s."""
    session.execute(
        delete(KeyRotationClaimRow).where(
            KeyRotationClaimRow.dataset_id == dataset.id, KeyRotationClaimRow.token == token
        ),
        execution_options={"synchronize_session": False},
    )

"""The broker's schema as the last release before migrations created it.

A database that release made (``create_all``) has every table already; this
revision creates only what is missing.

Revision ID: broker_0001
Revises: -
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "broker_0001"
down_revision = None
branch_labels = None
depends_on = None


def _missing(table: str) -> bool:
    """Whether ``table`` is absent: a database made by ``create_all`` has some already."""
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    """Create every table of the first release that is not there yet."""
    if _missing("audit_entries"):
        op.create_table(
            "audit_entries",
            sa.Column(
                "idx",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                autoincrement=False,
                nullable=False,
            ),
            sa.Column("header", sa.LargeBinary(), nullable=False),
            sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
            sa.Column("salt", sa.LargeBinary(), nullable=True),
            sa.Column("body", sa.LargeBinary(), nullable=True),
            sa.Column("kind", sa.String(length=32), nullable=False),
            sa.Column("time_ms", sa.BigInteger(), nullable=False),
            sa.Column("erased_at_ms", sa.BigInteger(), nullable=True),
            sa.PrimaryKeyConstraint("idx", name=op.f("pk_audit_entries")),
        )
        op.create_index(
            op.f("ix_audit_entries_time_ms"), "audit_entries", ["time_ms"], unique=False
        )
    if _missing("accepted_queries"):
        op.create_table(
            "accepted_queries",
            sa.Column("query_id", sa.String(length=64), nullable=False),
            sa.Column("expires_ms", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("query_id", name=op.f("pk_accepted_queries")),
        )
        op.create_index(
            op.f("ix_accepted_queries_expires_ms"), "accepted_queries", ["expires_ms"], unique=False
        )

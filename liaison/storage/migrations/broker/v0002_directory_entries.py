"""Signed directory entries (issue 9): each agency's contact points and follow-up key.

Revision ID: broker_0002
Revises: broker_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "broker_0002"
down_revision = "broker_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create directory_entries."""
    op.create_table(
        "directory_entries",
        sa.Column("agency", sa.String(length=64), nullable=False),
        sa.Column("entry", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("certificate", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("agency", name=op.f("pk_directory_entries")),
    )

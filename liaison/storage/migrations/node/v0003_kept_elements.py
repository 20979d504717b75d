"""Kept elements and staged imports (issue 13): each record's encrypted elements per key
epoch, the staging tables of an import in batches, and the claim that lets one import
run per dataset. A database upgraded from node_0002 has no kept elements yet: the next
filter build computes what is missing (docs/storage.md).

Revision ID: node_0003
Revises: node_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "node_0003"
down_revision = "node_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create record_elements, the staged_* tables and import_claims."""
    op.create_table(
        "staged_details",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("ref", sa.String(length=256), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staged_details")),
    )
    op.create_index(op.f("ix_staged_details_token"), "staged_details", ["token"], unique=False)
    op.create_table(
        "staged_identifiers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("ref", sa.String(length=256), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staged_identifiers")),
    )
    op.create_index(
        op.f("ix_staged_identifiers_token"), "staged_identifiers", ["token"], unique=False
    )
    op.create_table(
        "staged_keys",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("ref", sa.String(length=256), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("key_spec", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staged_keys")),
    )
    op.create_index(op.f("ix_staged_keys_token"), "staged_keys", ["token"], unique=False)
    op.create_table(
        "import_claims",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_import_claims_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dataset_id", name=op.f("pk_import_claims")),
    )
    op.create_table(
        "staged_records",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("ref", sa.String(length=256), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("epoch", sa.Integer(), nullable=True),
        sa.Column("elements", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_staged_records_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", "ref", name=op.f("pk_staged_records")),
    )
    op.create_table(
        "record_elements",
        sa.Column(
            "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("elements", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_record_elements_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_record_elements_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("record_id", "epoch", name=op.f("pk_record_elements")),
    )
    op.create_index(
        op.f("ix_record_elements_dataset_id_epoch"),
        "record_elements",
        ["dataset_id", "epoch"],
        unique=False,
    )

"""The node's schema as the last release before migrations created it.

A database that release made (``create_all``) has every table already; one
made by an older release may lack the newer ones (agreements, key epochs):
this revision creates only what is missing, so both end at the same schema.

Revision ID: node_0001
Revises: -
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "node_0001"
down_revision = None
branch_labels = None
depends_on = None


def _missing(table: str) -> bool:
    """Whether ``table`` is absent: a database made by ``create_all`` has some already."""
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    """Create every table of the first release that is not there yet."""
    if _missing("datasets"):
        op.create_table(
            "datasets",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=64), nullable=False),
            sa.Column("sealed_server_key", sa.LargeBinary(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_datasets")),
            sa.UniqueConstraint("name", name=op.f("uq_datasets_name")),
        )
    if _missing("seen_queries"):
        op.create_table(
            "seen_queries",
            sa.Column("scope", sa.String(length=128), nullable=False),
            sa.Column("query_id", sa.String(length=128), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("scope", "query_id", name=op.f("pk_seen_queries")),
        )
        op.create_index(
            op.f("ix_seen_queries_expires_at"), "seen_queries", ["expires_at"], unique=False
        )
    if _missing("filters"):
        op.create_table(
            "filters",
            sa.Column("dataset_id", sa.Integer(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("key_count", sa.Integer(), nullable=False),
            sa.Column("setup", sa.LargeBinary(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(
                ["dataset_id"],
                ["datasets.id"],
                name=op.f("fk_filters_dataset_id_datasets"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("dataset_id", "version", name=op.f("pk_filters")),
        )
    if _missing("key_epochs"):
        op.create_table(
            "key_epochs",
            sa.Column("dataset_id", sa.Integer(), nullable=False),
            sa.Column("epoch", sa.Integer(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("reason", sa.String(length=32), nullable=False),
            sa.ForeignKeyConstraint(
                ["dataset_id"],
                ["datasets.id"],
                name=op.f("fk_key_epochs_dataset_id_datasets"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("dataset_id", "epoch", name=op.f("pk_key_epochs")),
        )
    if _missing("key_rotation_claims"):
        op.create_table(
            "key_rotation_claims",
            sa.Column("dataset_id", sa.Integer(), nullable=False),
            sa.Column("token", sa.String(length=64), nullable=False),
            sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(
                ["dataset_id"],
                ["datasets.id"],
                name=op.f("fk_key_rotation_claims_dataset_id_datasets"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("dataset_id", name=op.f("pk_key_rotation_claims")),
        )
    if _missing("records"):
        op.create_table(
            "records",
            sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
            sa.Column("dataset_id", sa.Integer(), nullable=False),
            sa.Column("ref", sa.String(length=256), nullable=False),
            sa.Column("content_hash", sa.String(length=64), nullable=False),
            sa.ForeignKeyConstraint(
                ["dataset_id"],
                ["datasets.id"],
                name=op.f("fk_records_dataset_id_datasets"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_records")),
            sa.UniqueConstraint("dataset_id", "ref", name=op.f("uq_records_dataset_id_ref")),
        )
    if _missing("identifiers"):
        op.create_table(
            "identifiers",
            sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
            sa.Column(
                "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
            ),
            sa.Column("kind", sa.String(length=32), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("value", sa.Text(), nullable=False),
            sa.ForeignKeyConstraint(
                ["record_id"],
                ["records.id"],
                name=op.f("fk_identifiers_record_id_records"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_identifiers")),
            sa.UniqueConstraint(
                "record_id", "kind", "position", name=op.f("uq_identifiers_record_id_kind_position")
            ),
        )
    if _missing("match_keys"):
        op.create_table(
            "match_keys",
            sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
            sa.Column(
                "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
            ),
            sa.Column("dataset_id", sa.Integer(), nullable=False),
            sa.Column("kind", sa.String(length=32), nullable=False),
            sa.Column("value", sa.Text(), nullable=False),
            sa.Column("key_spec", sa.String(length=64), nullable=False),
            sa.ForeignKeyConstraint(
                ["dataset_id"],
                ["datasets.id"],
                name=op.f("fk_match_keys_dataset_id_datasets"),
                ondelete="CASCADE",
            ),
            sa.ForeignKeyConstraint(
                ["record_id"],
                ["records.id"],
                name=op.f("fk_match_keys_record_id_records"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_match_keys")),
            sa.UniqueConstraint("record_id", "value", name=op.f("uq_match_keys_record_id_value")),
        )
        op.create_index(
            op.f("ix_match_keys_dataset_id_value"),
            "match_keys",
            ["dataset_id", "value"],
            unique=False,
        )
    if _missing("local_users"):
        op.create_table(
            "local_users",
            sa.Column("name", sa.String(length=128), nullable=False),
            sa.Column("role", sa.String(length=16), nullable=False),
            sa.Column("enabled", sa.Boolean(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("secret_hash", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("name", name=op.f("pk_local_users")),
        )
    if _missing("agreement_usage"):
        op.create_table(
            "agreement_usage",
            sa.Column("partner", sa.String(length=64), nullable=False),
            sa.Column("period", sa.String(length=8), nullable=False),
            sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
            sa.Column("amount", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("partner", "period", name=op.f("pk_agreement_usage")),
        )
    if _missing("agreements"):
        op.create_table(
            "agreements",
            sa.Column("partner", sa.String(length=64), nullable=False),
            sa.Column("datasets", sa.Text(), nullable=False),
            sa.Column("purposes", sa.Text(), nullable=False),
            sa.Column("mode", sa.String(length=8), nullable=False),
            sa.Column("max_keys_per_query", sa.BigInteger(), nullable=False),
            sa.Column("max_keys_per_day", sa.BigInteger(), nullable=False),
            sa.Column("queries_per_minute", sa.Integer(), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("partner", name=op.f("pk_agreements")),
        )
    if _missing("ledger_entries"):
        op.create_table(
            "ledger_entries",
            sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
            sa.Column("time", sa.DateTime(timezone=True), nullable=False),
            sa.Column("direction", sa.String(length=8), nullable=False),
            sa.Column("query_id", sa.Text(), nullable=False),
            sa.Column("counterpart", sa.Text(), nullable=False),
            sa.Column("investigator_id", sa.Text(), nullable=False),
            sa.Column("case_id", sa.Text(), nullable=False),
            sa.Column("purpose", sa.Text(), nullable=False),
            sa.Column("legal_basis", sa.Text(), nullable=False),
            sa.Column("key_count", sa.BigInteger(), nullable=False),
            sa.Column("outcome", sa.Text(), nullable=False),
            sa.Column("receipt", sa.Text(), nullable=True),
            sa.Column("prev_hash", sa.LargeBinary(length=32), nullable=False),
            sa.Column("entry_hash", sa.LargeBinary(length=32), nullable=False),
            sa.PrimaryKeyConstraint("seq", name=op.f("pk_ledger_entries")),
        )
        op.create_index(
            op.f("ix_ledger_entries_query_id"), "ledger_entries", ["query_id"], unique=False
        )

"""Step two and watches (issue 9): follow-ups, hit notices, standing watches, notices,
records' releasable and source fields, the agreement's hit-notice setting.

Revision ID: node_0002
Revises: node_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "node_0002"
down_revision = "node_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the follow-up, watch and notice tables; add agreements.hit_notices."""
    op.create_table(
        "followup_messages",
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("sender", "message_id", name=op.f("pk_followup_messages")),
    )
    op.create_table(
        "followups",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("query_id", sa.String(length=128), nullable=False),
        sa.Column("partner", sa.String(length=64), nullable=False),
        sa.Column("dataset", sa.String(length=64), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("row_ref", sa.Text(), nullable=False),
        sa.Column("investigator", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("identifiers", sa.Text(), nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("matched_refs", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("officer", sa.Text(), nullable=False),
        sa.Column("handling", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("released", sa.Text(), nullable=False),
        sa.Column("overdue_flagged", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", "side", name=op.f("pk_followups")),
    )
    op.create_index(op.f("ix_followups_created_at"), "followups", ["created_at"], unique=False)
    op.create_table(
        "hit_notices",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("requester", sa.String(length=64), nullable=False),
        sa.Column("query_id", sa.String(length=128), nullable=False),
        sa.Column("dataset", sa.String(length=64), nullable=False),
        sa.Column("refs", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hit_notices")),
    )
    op.create_index(
        op.f("ix_hit_notices_received_at"), "hit_notices", ["received_at"], unique=False
    )
    op.create_table(
        "match_hits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("query_id", sa.String(length=128), nullable=False),
        sa.Column("partner", sa.String(length=64), nullable=False),
        sa.Column("dataset", sa.String(length=64), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_hits")),
    )
    op.create_index(op.f("ix_match_hits_query_id"), "match_hits", ["query_id"], unique=False)
    op.create_table(
        "notices",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("recipient", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    op.create_index(op.f("ix_notices_recipient_id"), "notices", ["recipient", "id"], unique=False)
    op.create_table(
        "watch_hits",
        sa.Column("watch_id", sa.String(length=32), nullable=False),
        sa.Column("agency", sa.String(length=64), nullable=False),
        sa.Column("dataset", sa.String(length=128), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=False),
        sa.Column("keys", sa.Text(), nullable=False),
        sa.Column("strength", sa.String(length=16), nullable=False),
        sa.Column("query_id", sa.String(length=64), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("watch_id", "agency", "dataset", "row", name=op.f("pk_watch_hits")),
    )
    op.create_table(
        "watches",
        sa.Column("watch_id", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("partners", sa.Text(), nullable=False),
        sa.Column("records", sa.Text(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("key_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_query_id", sa.String(length=64), nullable=False),
        sa.Column("last_outcome", sa.Text(), nullable=False),
        sa.Column("seen", sa.Text(), nullable=False),
        sa.Column("retry_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("watch_id", name=op.f("pk_watches")),
    )
    op.create_index(op.f("ix_watches_owner"), "watches", ["owner"], unique=False)
    op.create_index(op.f("ix_watches_state"), "watches", ["state"], unique=False)
    op.create_table(
        "record_details",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_record_details_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_details")),
        sa.UniqueConstraint("record_id", "name", name=op.f("uq_record_details_record_id_name")),
    )
    op.add_column(
        "agreements",
        sa.Column("hit_notices", sa.Boolean(), server_default=sa.false(), nullable=False),
    )

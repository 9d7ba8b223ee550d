"""factual accuracy

The factual-accuracy round: a stored draft circulated with a deadline, its recipients and their comments with the
chair's responses (issue 12).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString: engineering-notes §3.1)
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accuracy_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("circulated_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("circulated_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_case.id"], name=op.f("fk_accuracy_round_case_id_review_case")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["generated_document.id"], name=op.f("fk_accuracy_round_document_id_generated_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accuracy_round")),
    )
    with op.batch_alter_table("accuracy_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accuracy_round_case_id"), ["case_id"], unique=False)

    op.create_table(
        "accuracy_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("evidence_request_id", sa.Integer(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_accuracy_recipient_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_case.id"], name=op.f("fk_accuracy_recipient_case_id_review_case")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_request_id"],
            ["evidence_request.id"],
            name=op.f("fk_accuracy_recipient_evidence_request_id_evidence_request"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["accuracy_round.id"], name=op.f("fk_accuracy_recipient_round_id_accuracy_round")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accuracy_recipient")),
    )
    with op.batch_alter_table("accuracy_recipient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accuracy_recipient_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_accuracy_recipient_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_accuracy_recipient_round_id"), ["round_id"], unique=False)

    op.create_table(
        "accuracy_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=True),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("response", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=True),
        sa.Column("responded_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_case.id"], name=op.f("fk_accuracy_comment_case_id_review_case")),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["accuracy_recipient.id"],
            name=op.f("fk_accuracy_comment_recipient_id_accuracy_recipient"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accuracy_comment")),
    )
    with op.batch_alter_table("accuracy_comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accuracy_comment_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_accuracy_comment_recipient_id"), ["recipient_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("accuracy_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accuracy_comment_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_accuracy_comment_case_id"))

    op.drop_table("accuracy_comment")
    with op.batch_alter_table("accuracy_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accuracy_recipient_round_id"))
        batch_op.drop_index(batch_op.f("ix_accuracy_recipient_case_id"))
        batch_op.drop_index(batch_op.f("ix_accuracy_recipient_agency_id"))

    op.drop_table("accuracy_recipient")
    with op.batch_alter_table("accuracy_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accuracy_round_case_id"))

    op.drop_table("accuracy_round")

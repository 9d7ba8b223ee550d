"""family involvement

The family's involvement, completed (issue 13): the document format a family member wants, what the family asked
the review to consider (recorded in the terms of reference), and which stored draft version was shared with whom.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString: engineering-notes §3.1)
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_format", AutoString(length=20), nullable=True))
    op.create_table(
        "family_tor_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("text", AutoString(length=4000), nullable=False),
        sa.Column("recorded_by", AutoString(length=320), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_case.id"], name=op.f("fk_family_tor_input_case_id_review_case")),
        sa.ForeignKeyConstraint(
            ["member_id"], ["family_member.id"], name=op.f("fk_family_tor_input_member_id_family_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_tor_input")),
    )
    with op.batch_alter_table("family_tor_input", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_tor_input_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_family_tor_input_member_id"), ["member_id"], unique=False)
    op.create_table(
        "family_draft_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("shared_on", sa.Date(), nullable=False),
        sa.Column("how", AutoString(length=20), nullable=False),
        sa.Column("response", AutoString(length=4000), nullable=True),
        sa.Column("recorded_by", AutoString(length=320), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_case.id"], name=op.f("fk_family_draft_share_case_id_review_case")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["generated_document.id"],
            name=op.f("fk_family_draft_share_document_id_generated_document"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["family_member.id"], name=op.f("fk_family_draft_share_member_id_family_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_draft_share")),
    )
    with op.batch_alter_table("family_draft_share", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_draft_share_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_family_draft_share_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_family_draft_share_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    op.drop_table("family_draft_share")
    op.drop_table("family_tor_input")
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.drop_column("document_format")

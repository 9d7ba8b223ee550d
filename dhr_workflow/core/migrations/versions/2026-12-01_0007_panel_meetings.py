"""panel meetings

Review panel meetings, whose invitations go out through the reminder ledger (issue 3: ICS invites for panel
meetings, sent exactly once). Follows 0006 (hand-off journal).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString: engineering-notes §3.1)
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "panel_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_case.id"], name=op.f("fk_panel_meeting_case_id_review_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_meeting")),
    )
    with op.batch_alter_table("panel_meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_panel_meeting_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("panel_meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_panel_meeting_case_id"))
    op.drop_table("panel_meeting")

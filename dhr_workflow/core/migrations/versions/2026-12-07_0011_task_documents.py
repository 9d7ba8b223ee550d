"""task documents

A stored document version shared with a task, so its assignee can open exactly that version (issue 14).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 13:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString: engineering-notes §3.1)
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "task_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("shared_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["generated_document.id"], name=op.f("fk_task_document_document_id_generated_document")
        ),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_document_task_id_task")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_document")),
        sa.UniqueConstraint("task_id", "document_id", name=op.f("uq_task_document_task_id_document_id")),
    )
    with op.batch_alter_table("task_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_document_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_document_task_id"))
    op.drop_table("task_document")

"""delivery attempt hand-off journal

Each delivery attempt records which hand-off journal its transport wrote to (issue 3, ADR 0014), so that after a
crash only a worker reading that same journal decides whether the message had left. Follows 0005 (lessons).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString: engineering-notes §3.1)
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("delivery_attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handoff_journal", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivery_attempt", schema=None) as batch_op:
        batch_op.drop_column("handoff_journal")

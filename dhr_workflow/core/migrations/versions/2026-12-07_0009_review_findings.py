"""review findings

Recommendations as records of the review (issue 13): who they are addressed to (type and name), whether a
single-agency recommendation came from an agency's report, and their status (proposed, agreed by the panel, accepted
by the addressee, or rejected with reasons). Recommendations already in the Delivery Plan were agreed before they
were entered, so existing rows read 'agreed'.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-07 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString: engineering-notes §3.1)
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("addressee_type", AutoString(length=30), nullable=True))
        batch_op.add_column(sa.Column("source_agency", AutoString(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("status", AutoString(length=20), nullable=False, server_default=sa.text("'agreed'"))
        )
        batch_op.add_column(sa.Column("agreed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("responded_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("rejection_reason", AutoString(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        for column in ("rejection_reason", "responded_on", "agreed_on", "status", "source_agency", "addressee_type"):
            batch_op.drop_column(column)

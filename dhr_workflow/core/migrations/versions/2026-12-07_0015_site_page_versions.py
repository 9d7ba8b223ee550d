"""site page versions

The accessibility statement and privacy notice, edited by an admin in the browser or with `dhr site page set`:
every saved version kept, with who saved it and when (issue 14).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString: engineering-notes §3.1)
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_page_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("saved_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_page_version")),
        sa.UniqueConstraint("kind", "version", name=op.f("uq_site_page_version_kind_version")),
    )
    with op.batch_alter_table("site_page_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_page_version_kind"), ["kind"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("site_page_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_page_version_kind"))
    op.drop_table("site_page_version")

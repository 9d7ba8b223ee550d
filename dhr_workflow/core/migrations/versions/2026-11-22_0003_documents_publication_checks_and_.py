"""documents, publication checks and accessible-format requests

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22 02:05:16.260314
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString: engineering-notes §3.1)
from alembic import op

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Documents, publication leak checks and accessible-format requests. reminder.case_id becomes nullable:
    # a request from the public about a published review need not belong to a case, but still has deadlines.
    op.create_table(
        "generated_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("template", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("template_version", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("data_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("publication", sa.Boolean(), nullable=False),
        sa.Column("generated_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_case.id"], name=op.f("fk_generated_document_case_id_review_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generated_document")),
        sa.UniqueConstraint(
            "case_id", "template", "version", name=op.f("uq_generated_document_case_id_template_version")
        ),
    )
    with op.batch_alter_table("generated_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_generated_document_case_id"), ["case_id"], unique=False)

    op.create_table(
        "publication_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("clean", sa.Boolean(), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("covered", sa.JSON(), nullable=False),
        sa.Column("hits", sa.JSON(), nullable=False),
        sa.Column("ran_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_case.id"], name=op.f("fk_publication_check_case_id_review_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_check")),
    )
    with op.batch_alter_table("publication_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publication_check_case_id"), ["case_id"], unique=False)

    op.create_table(
        "document_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("variant", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["generated_document.id"], name=op.f("fk_document_file_document_id_generated_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_file")),
        sa.UniqueConstraint(
            "document_id", "format", "variant", name=op.f("uq_document_file_document_id_format_variant")
        ),
    )
    with op.batch_alter_table("document_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_file_document_id"), ["document_id"], unique=False)

    op.create_table(
        "access_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("requester_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("postal_address", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("document", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("template", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("details", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("acknowledge_by", sa.Date(), nullable=False),
        sa.Column("deliver_by", sa.Date(), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("fulfilled_on", sa.Date(), nullable=True),
        sa.Column("supplier", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("document_file_id", sa.Integer(), nullable=True),
        sa.Column("fulfilment_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_case.id"], name=op.f("fk_access_request_case_id_review_case")),
        sa.ForeignKeyConstraint(
            ["document_file_id"], ["document_file.id"], name=op.f("fk_access_request_document_file_id_document_file")
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"], ["partnership.id"], name=op.f("fk_access_request_partnership_id_partnership")
        ),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_access_request_task_id_task")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_request")),
    )
    with op.batch_alter_table("access_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_request_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_request_partnership_id"), ["partnership_id"], unique=False)

    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.INTEGER(), nullable=True)


def downgrade() -> None:
    # Reminders about requests not tied to a case cannot survive the NOT NULL constraint coming back.
    op.execute("DELETE FROM reminder WHERE case_id IS NULL")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.INTEGER(), nullable=False)

    with op.batch_alter_table("access_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_request_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_access_request_case_id"))

    op.drop_table("access_request")
    with op.batch_alter_table("document_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_file_document_id"))

    op.drop_table("document_file")
    with op.batch_alter_table("publication_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_check_case_id"))

    op.drop_table("publication_check")
    with op.batch_alter_table("generated_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_generated_document_case_id"))

    op.drop_table("generated_document")

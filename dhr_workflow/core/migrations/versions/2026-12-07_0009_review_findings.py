"""review findings

Recommendations as records of the review (issue 13): who they are addressed to (type and name), whether a
single-agency recommendation came from an agency's report, and their status (proposed, agreed by the panel, accepted
by the addressee, or rejected with reasons). Recommendations already in the Delivery Plan were agreed before they
were entered, so existing rows read 'agreed'. Home Office QA feedback as rounds (one per feedback letter) of items,
each with its response and where it was addressed. The family's involvement: family members (beside their party
row) and the need-to-know contact log. The chair's sections of the overview report, every version kept.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString: engineering-notes §3.1)
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
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
    op.create_table(
        "qa_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("letter_date", sa.Date(), nullable=True),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column("created_by", AutoString(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_case.id"], name=op.f("fk_qa_round_case_id_review_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_round")),
        sa.UniqueConstraint("case_id", "number", name=op.f("uq_qa_round_case_id_number")),
    )
    with op.batch_alter_table("qa_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_qa_round_case_id"), ["case_id"], unique=False)
    op.create_table(
        "qa_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", AutoString(length=4000), nullable=False),
        sa.Column("response", AutoString(length=4000), nullable=True),
        sa.Column("section", AutoString(length=500), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", AutoString(length=320), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["qa_round.id"], name=op.f("fk_qa_item_round_id_qa_round")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_item")),
        sa.UniqueConstraint("round_id", "number", name=op.f("uq_qa_item_round_id_number")),
    )
    with op.batch_alter_table("qa_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_qa_item_round_id"), ["round_id"], unique=False)
    op.create_table(
        "family_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("contact_preference", AutoString(length=500), nullable=True),
        sa.Column("language", AutoString(length=100), nullable=True),
        sa.Column("accessibility_needs", AutoString(length=500), nullable=True),
        sa.Column("wants_involvement", AutoString(length=10), nullable=True),
        sa.Column("advocate", AutoString(length=10), nullable=False),
        sa.Column("advocate_name", AutoString(length=200), nullable=True),
        sa.Column("pseudonym_consent", AutoString(length=20), nullable=True),
        sa.Column("pseudonym_reason", AutoString(length=500), nullable=True),
        sa.Column("thanked_by_name", sa.Boolean(), nullable=True),
        sa.Column("created_by", AutoString(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_case.id"], name=op.f("fk_family_member_case_id_review_case")),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"], name=op.f("fk_family_member_party_id_party")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_member")),
        sa.UniqueConstraint("party_id", name=op.f("uq_family_member_party_id")),
    )
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_member_case_id"), ["case_id"], unique=False)
    op.create_table(
        "family_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("contact_by", AutoString(length=320), nullable=False),
        sa.Column("how", AutoString(length=10), nullable=False),
        sa.Column("note", AutoString(length=4000), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_case.id"], name=op.f("fk_family_contact_case_id_review_case")),
        sa.ForeignKeyConstraint(
            ["member_id"], ["family_member.id"], name=op.f("fk_family_contact_member_id_family_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_contact")),
    )
    with op.batch_alter_table("family_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_contact_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_family_contact_member_id"), ["member_id"], unique=False)
    op.create_table(
        "report_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", AutoString(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", AutoString(length=100000), nullable=False),
        sa.Column("written_by", AutoString(length=320), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_case.id"], name=op.f("fk_report_section_case_id_review_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_section")),
        sa.UniqueConstraint("case_id", "name", "version", name=op.f("uq_report_section_case_id_name_version")),
    )
    with op.batch_alter_table("report_section", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_section_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_table("report_section")
    op.drop_table("family_contact")
    op.drop_table("family_member")
    for table in ("qa_item", "qa_round"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{'round_id' if table == 'qa_item' else 'case_id'}"))
        op.drop_table(table)
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        for column in ("rejection_reason", "responded_on", "agreed_on", "status", "source_agency", "addressee_type"):
            batch_op.drop_column(column)

"""The reminder ledger: one row per reminder the database says is due. Cases, documents and lessons write rows here
in their own transactions; notifications.delivery claims them and marks each sent once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime, Index
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import instant_column


class Reminder(SQLModel, table=True):
    """A reminder the database says is due; delivery (notifications/delivery.py) claims rows and marks them sent once.

    `case_id` is empty for things that belong to no case (a daily digest, a partnership-level action).
    """

    __tablename__ = "reminder"
    __table_args__ = (
        Index("ix_reminder_status_send_on", "status", "send_on", "id"),
        Index("ix_reminder_status_claimed_until", "status", "claimed_until"),
        Index("ix_reminder_group", "subject", "recipient_id", "channel"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="review_case.id", index=True)
    subject: str = Field(max_length=80)  # "clock:decision:1", "task:17", "digest:4", "access_request:9", ...
    rule: str = Field(max_length=40)  # "before:10", "due", "overdue:1", "escalation", "digest"
    deadline_on: date
    send_on: date
    recipient_id: int = Field(foreign_key="account.id", index=True)
    channel: str = Field(default="email", max_length=20)
    # pending, claimed, sending, sent, cancelled, failed, superseded, digested
    status: str = Field(default="pending", max_length=20)
    idem_key: str = Field(max_length=200, unique=True)
    claimed_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    not_before: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    digest_id: int | None = Field(default=None, index=True)  # the digest row this reminder was folded into
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = instant_column()

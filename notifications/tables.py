"""Tables of reminder delivery: the ledger of attempts, in-app notifications, people's delivery preferences and
the failures a coordinator must see. Imported at the bottom of tables.py so Alembic and all code see them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import utcnow


def _at(**kw: object) -> object:
    return Field(sa_type=DateTime(timezone=True), **kw)  # type: ignore[call-overload]


class DeliveryAttempt(SQLModel, table=True):
    """One try at delivering one reminder. Outcomes: started, then sent, temporary_failure or permanent_failure;
    unknown when the worker died mid-send, until the next attempt settles it from the transport's evidence (ADR 0014)
    as sent or not_sent, or leaves it unknown; confirmed when an attempt sent nothing because an earlier one had got
    through."""

    __tablename__ = "delivery_attempt"
    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int = Field(foreign_key="reminder.id", index=True)
    idem_key: str = Field(max_length=200)
    channel: str = Field(max_length=20)
    transport: str = Field(max_length=20)  # smtp, notify, in_app
    attempt_no: int
    outcome: str = Field(default="started", max_length=30)
    provider_id: str | None = Field(default=None, max_length=200)
    handoff_journal: str | None = Field(default=None, max_length=64)  # where the transport noted how far it got
    error: str | None = Field(default=None, max_length=1000)
    started_at: datetime = _at(default_factory=utcnow)  # type: ignore[assignment]
    finished_at: datetime | None = _at(default=None)  # type: ignore[assignment]


class InAppNotification(SQLModel, table=True):
    """What the web app lists for a signed-in person. Same content rules as email: no names, no case facts."""

    __tablename__ = "in_app_notification"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="account.id", index=True)
    idem_key: str = Field(max_length=220, unique=True)
    kind: str = Field(default="reminder", max_length=30)  # reminder, delivery_problem
    title: str = Field(max_length=300)
    body: str = Field(max_length=2000)
    link: str = Field(max_length=500)
    created_at: datetime = _at(default_factory=utcnow)  # type: ignore[assignment]
    read_at: datetime | None = _at(default=None)  # type: ignore[assignment]


class NotificationPreference(SQLModel, table=True):
    """How a person wants reminders: one message each (default) or one daily digest; an SMS number for Notify."""

    __tablename__ = "notification_preference"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="account.id", unique=True)
    digest: bool = False
    sms_number: str | None = Field(default=None, max_length=30)
    updated_at: datetime = _at(default_factory=utcnow)  # type: ignore[assignment]


class DeliveryProblem(SQLModel, table=True):
    """A reminder that could not be delivered (permanent failure): coordinators list and resolve these."""

    __tablename__ = "delivery_problem"
    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int = Field(foreign_key="reminder.id", unique=True)
    case_id: int | None = Field(default=None, foreign_key="review_case.id", index=True)
    recipient_id: int = Field(foreign_key="account.id")
    channel: str = Field(max_length=20)
    error: str = Field(max_length=1000)
    flagged_at: datetime = _at(default_factory=utcnow)  # type: ignore[assignment]
    resolved_at: datetime | None = _at(default=None)  # type: ignore[assignment]

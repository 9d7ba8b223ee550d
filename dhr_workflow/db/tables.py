"""The database tables. Singular snake_case names; `_on` columns are Europe/London dates, `_at` are UTC instants."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Integer, MetaData, UniqueConstraint
from sqlalchemy.ext.mutable import MutableDict
from sqlmodel import Field, SQLModel

# Explicit constraint names keep Alembic migrations stable across SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    return datetime.now(UTC)


def _instant(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kw)  # type: ignore[call-overload]


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(MutableDict.as_mutable(JSON), nullable=False))


class Partnership(SQLModel, table=True):
    __tablename__ = "partnership"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=60, unique=True)
    created_at: datetime = _instant()


class User(SQLModel, table=True):
    __tablename__ = "account"
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    email: str = Field(max_length=320, unique=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=40)
    password_hash: str | None = Field(default=None, max_length=200)
    active: bool = True
    created_at: datetime = _instant()


# Optimistic locking (engineering-notes §3.2): the string form of version_id_col fails on SQLAlchemy 2.1, so the
# Column object is shared between the field and the mapper arguments.
_case_version = Column("version", Integer, nullable=False, default=1)


class Case(SQLModel, table=True):
    __tablename__ = "review_case"
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    ref: str = Field(max_length=40, unique=True)
    review_type: str = Field(max_length=20)
    workflow_name: str = Field(max_length=60)
    workflow_version: str = Field(max_length=40)
    state: str = Field(max_length=60, index=True)
    version: int = Field(default=1, sa_column=_case_version)
    death_date: date
    notified_date: date
    police_ref: str = Field(max_length=100)
    fields: dict[str, Any] = _json()
    last_event_on: date
    created_at: datetime = _instant()
    updated_at: datetime = _instant()

    __mapper_args__ = {"version_id_col": _case_version}


class CaseMember(SQLModel, table=True):
    __tablename__ = "case_member"
    __table_args__ = (UniqueConstraint("case_id", "user_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    user_id: int = Field(foreign_key="account.id", index=True)
    role: str = Field(max_length=40)
    added_at: datetime = _instant()


class Party(SQLModel, table=True):
    """A person in the case. Real names live only here, apart from the case row, beside their pseudonym."""

    __tablename__ = "party"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    kind: str = Field(max_length=20)  # victim, perpetrator, family, other
    real_name: str = Field(max_length=200)
    pseudonym: str = Field(max_length=100)
    age: int | None = None
    date_of_birth: date | None = None
    address: str | None = Field(default=None, max_length=500)
    relationship: str | None = Field(default=None, max_length=200)


class Clock(SQLModel, table=True):
    __tablename__ = "clock"
    __table_args__ = (UniqueConstraint("case_id", "name", "round"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    name: str = Field(max_length=60)
    round: int = 1
    started_on: date
    due_on: date
    stopped_on: date | None = None
    paused: bool = False
    paused_days: int = 0
    extension_days: int = 0  # sum of clock_extension rows, so a clock never extended needs no lookup
    rule: str = Field(max_length=100)
    calendar_version: str = Field(max_length=100)
    explanation: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ClockPause(SQLModel, table=True):
    __tablename__ = "clock_pause"
    id: int | None = Field(default=None, primary_key=True)
    clock_id: int = Field(foreign_key="clock.id", index=True)
    reason: str = Field(max_length=60)
    note: str | None = Field(default=None, max_length=2000)
    agreed_by: str | None = Field(default=None, max_length=200)
    paused_on: date
    resumed_on: date | None = None
    recorded_by: str = Field(max_length=320)
    recorded_at: datetime = _instant()


class ClockExtension(SQLModel, table=True):
    """More time agreed for a clock, with who agreed it and why."""

    __tablename__ = "clock_extension"
    id: int | None = Field(default=None, primary_key=True)
    clock_id: int = Field(foreign_key="clock.id", index=True)
    days: int
    reason: str = Field(max_length=2000)
    agreed_by: str = Field(max_length=200)
    agreed_on: date
    recorded_by: str = Field(max_length=320)
    recorded_at: datetime = _instant()


class Task(SQLModel, table=True):
    __tablename__ = "task"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    kind: str = Field(default="general", max_length=40)
    title: str = Field(max_length=300)
    assignee_id: int = Field(foreign_key="account.id", index=True)
    due_on: date
    done_on: date | None = None
    created_by: str = Field(max_length=320)
    created_at: datetime = _instant()


class PanelMeeting(SQLModel, table=True):
    """A review panel meeting. Each change raises `sequence`, which invitations carry so calendars replace the entry;
    a cancelled meeting keeps its row (its cancellation went out with the next sequence)."""

    __tablename__ = "panel_meeting"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    starts_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    ends_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    sequence: int = 0
    cancelled_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    created_by: str = Field(max_length=320)
    created_at: datetime = _instant()


class AuditEvent(SQLModel, table=True):
    """Append-only and hash-chained: each event's hash covers its content and the previous event's hash."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True)
    case_id: int | None = Field(default=None, foreign_key="review_case.id", index=True)
    actor: str = Field(max_length=320)
    action: str = Field(max_length=60)
    occurred_on: date
    recorded_at: datetime = _instant()
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """One row: the chain's last seq and hash. Locking it serialises appends so the chain never forks."""

    __tablename__ = "audit_head"
    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = Field(default="0" * 64, max_length=64)


class Reminder(SQLModel, table=True):
    """A reminder the database says is due; delivery (services/delivery.py) claims rows and marks them sent once.

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
    created_at: datetime = _instant()


class HolidayOverride(SQLModel, table=True):
    """A one-off bank holiday (or a cancelled one) not yet in the `holidays` package."""

    __tablename__ = "holiday_override"
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    name: str = Field(max_length=200)
    is_holiday: bool = True
    created_by: str = Field(max_length=320)
    created_at: datetime = _instant()


class ReferenceCounter(SQLModel, table=True):
    __tablename__ = "reference_counter"
    __table_args__ = (UniqueConstraint("partnership_id", "prefix", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    prefix: str = Field(max_length=10)
    year: int
    last: int = 0


# Every area's tables, so Alembic and all code see the whole schema.
from dhr_workflow.db import documents_tables, lessons_tables, reminders_tables, web_tables  # noqa: E402,F401

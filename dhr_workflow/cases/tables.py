"""The case's tables: the case row, its members and parties, clocks, tasks and their files, panel meetings and the
reference counter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Integer, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import instant_column, json_column

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
    fields: dict[str, Any] = json_column()
    last_event_on: date
    created_at: datetime = instant_column()
    updated_at: datetime = instant_column()

    __mapper_args__ = {"version_id_col": _case_version}


class CaseMember(SQLModel, table=True):
    __tablename__ = "case_member"
    __table_args__ = (UniqueConstraint("case_id", "user_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    user_id: int = Field(foreign_key="account.id", index=True)
    role: str = Field(max_length=40)
    added_at: datetime = instant_column()


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
    recorded_at: datetime = instant_column()


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
    recorded_at: datetime = instant_column()


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
    created_at: datetime = instant_column()


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
    created_at: datetime = instant_column()


class ReferenceCounter(SQLModel, table=True):
    __tablename__ = "reference_counter"
    __table_args__ = (UniqueConstraint("partnership_id", "prefix", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    prefix: str = Field(max_length=10)
    year: int
    last: int = 0


class TaskFile(SQLModel, table=True):
    """What someone uploaded when doing a task (an agency report, a chronology). Kept in the database, like every
    other record of the case, so a backup holds it and access goes through the same need-to-know checks."""

    __tablename__ = "task_file"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    filename: str = Field(max_length=200)
    media_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary)  # type: ignore[call-overload]
    uploaded_by: str = Field(max_length=320)
    uploaded_at: datetime = instant_column()


# Indexes on core tables for the paginated case list (bench/web.py, docs/benchmarks.md): the page is read in ref
# order within a partnership straight off an index, and "overdue" finds open, running clocks past due without
# scanning every clock.
Index("ix_review_case_partnership_id_ref", Case.partnership_id, Case.ref)
Index("ix_clock_open_due", Clock.stopped_on, Clock.paused, Clock.due_on, Clock.case_id)

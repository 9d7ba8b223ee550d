"""Tables of the web app: signed-in sessions, personal API tokens and sign-in throttling. Only hashes of session
ids and tokens are stored, so a copy of the database cannot be used to sign in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, LargeBinary
from sqlmodel import Field, SQLModel

from dhr_workflow.db.tables import Case, Clock, _instant


class WebSession(SQLModel, table=True):
    __tablename__ = "web_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="account.id", index=True)
    csrf_secret: str = Field(max_length=64)
    created_at: datetime = _instant()
    last_seen_at: datetime = _instant()
    ended_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)  # shown in listings so a person can tell their tokens apart
    user_id: int = Field(foreign_key="account.id", index=True)
    label: str = Field(default="", max_length=100)
    created_at: datetime = _instant()
    last_used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins per email address; enough of them in a row lock the address for a while."""

    __tablename__ = "sign_in_throttle"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    failures: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    last_failure_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


# Indexes on core tables for the paginated case list (bench/web.py, docs/benchmarks.md): the page is read in ref
# order within a partnership straight off an index, and "overdue" finds open, running clocks past due without
# scanning every clock.
Index("ix_review_case_partnership_id_ref", Case.partnership_id, Case.ref)
Index("ix_clock_open_due", Clock.stopped_on, Clock.paused, Clock.due_on, Clock.case_id)


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
    uploaded_at: datetime = _instant()

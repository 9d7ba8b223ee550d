"""Tables every capability shares: the partnership, the audit chain and the calendar's one-off bank holidays, plus
the column helpers and naming convention all table modules use. Singular snake_case names; `_on` columns are
Europe/London dates, `_at` are UTC instants."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData
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


def instant_column(**kw: Any) -> Any:
    """A UTC timestamp column that defaults to now."""
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kw)  # type: ignore[call-overload]


def json_column() -> Any:
    """A JSON object column whose in-place changes are tracked."""
    return Field(default_factory=dict, sa_column=Column(MutableDict.as_mutable(JSON), nullable=False))


class Partnership(SQLModel, table=True):
    __tablename__ = "partnership"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=60, unique=True)
    created_at: datetime = instant_column()


class AuditEvent(SQLModel, table=True):
    """Append-only and hash-chained: each event's hash covers its content and the previous event's hash, and its MAC
    (under the key named by `key_id`, kept outside the database: ADR 0052) covers the hash. Events recorded before the
    key was introduced have neither."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True)
    case_id: int | None = Field(default=None, foreign_key="review_case.id", index=True)
    actor: str = Field(max_length=320)
    action: str = Field(max_length=60)
    occurred_on: date
    recorded_at: datetime = instant_column()
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    mac: str | None = Field(default=None, max_length=64)
    key_id: str | None = Field(default=None, max_length=16)


class AuditHead(SQLModel, table=True):
    """One row: the chain's last seq and hash. Locking it serialises appends so the chain never forks."""

    __tablename__ = "audit_head"
    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = Field(default="0" * 64, max_length=64)
    key_id: str | None = Field(default=None, max_length=16)  # the key of the last event: a change means a rotation


class HolidayOverride(SQLModel, table=True):
    """A one-off bank holiday (or a cancelled one) not yet in the `holidays` package."""

    __tablename__ = "holiday_override"
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    name: str = Field(max_length=200)
    is_holiday: bool = True
    created_by: str = Field(max_length=320)
    created_at: datetime = instant_column()

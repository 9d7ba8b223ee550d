"""People's tables: accounts, signed-in sessions, personal API tokens and sign-in throttling. Only hashes of session
ids and tokens are stored, so a copy of the database cannot be used to sign in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import instant_column


class User(SQLModel, table=True):
    __tablename__ = "account"
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    email: str = Field(max_length=320, unique=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=40)
    password_hash: str | None = Field(default=None, max_length=200)
    active: bool = True
    created_at: datetime = instant_column()


class WebSession(SQLModel, table=True):
    __tablename__ = "web_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="account.id", index=True)
    csrf_secret: str = Field(max_length=64)
    created_at: datetime = instant_column()
    last_seen_at: datetime = instant_column()
    ended_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)  # shown in listings so a person can tell their tokens apart
    user_id: int = Field(foreign_key="account.id", index=True)
    label: str = Field(default="", max_length=100)
    created_at: datetime = instant_column()
    last_used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # Tokens made before expiry existed have none: they expire DHR_API_TOKEN_DAYS after they were made.
    expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins per email address; enough of them in a row lock the address for a while."""

    __tablename__ = "sign_in_throttle"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    failures: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    last_failure_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))

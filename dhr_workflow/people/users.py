"""People and partnerships."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.tables import Partnership, utcnow
from dhr_workflow.core.text import clean_text
from dhr_workflow.people.roles import ROLES
from dhr_workflow.people.tables import User

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 12


def default_partnership(session: Session) -> Partnership:
    """The single partnership of an embedded install, created on first use (race-free: two first notifications in
    parallel must not both create it)."""
    partnership = session.scalars(select(Partnership).order_by(Partnership.id)).first()
    if partnership is None:
        session.execute(
            insert_ignoring_conflicts(session, Partnership).values(
                name="Community Safety Partnership", slug="csp", created_at=utcnow()
            )
        )
        partnership = session.scalars(select(Partnership).order_by(Partnership.id)).one()
    return partnership


def insert_ignoring_conflicts(session: Session, table: Any) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING for the session's dialect."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing()


def normalise_email(email: str) -> str:
    text = email.strip().lower()
    if not _EMAIL.match(text) or len(text) > 320:
        raise InvalidInput(f"'{email}' is not an email address")
    return text


def user_by_email(session: Session, email: str) -> User:
    user = session.scalars(select(User).where(User.email == normalise_email(email))).first()
    if user is None or not user.active:
        raise NotFound(f"no user {email}; add them with `dhr user add --email {email} --name ... --role ...`")
    return user


def hash_password(password: str) -> str:
    from argon2 import PasswordHasher

    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    return PasswordHasher().hash(password)


def add_user(
    ctx: AppContext, email: str, name: str, role: str, password: str | None = None, by: str = "system"
) -> User:
    if role not in ROLES:
        raise InvalidInput(f"'{role}' is not a role; roles: {', '.join(ROLES)}")
    email = normalise_email(email)
    name = clean_text(name, "the name", 200)
    password_hash = hash_password(password) if password else None
    with ctx.db.write() as session:
        if session.scalars(select(User).where(User.email == email)).first() is not None:
            raise InvalidInput(f"{email} already has an account")
        user = User(
            partnership_id=default_partnership(session).id or 0,
            email=email,
            name=name,
            role=role,
            password_hash=password_hash,
        )
        session.add(user)
        session.flush()
        audit.append(
            session,
            actor=by,
            action="user_added",
            occurred_on=ctx.today(),
            payload={"user_id": user.id, "role": role},
        )
        return user


def list_users(ctx: AppContext) -> list[User]:
    with ctx.db.read() as session:
        return list(session.scalars(select(User).order_by(User.email)).all())


SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class Actor:
    label: str
    user: User | None = None


def actor_for(session: Session, by: str | None) -> Actor:
    if by is None:
        return Actor(SYSTEM_ACTOR)
    user = user_by_email(session, by)
    return Actor(user.email, user)

"""The web app's part of `dhr demo`: on an already-seeded database, fresh passwords for the demo accounts (the
first ones were printed once and are not stored), so `make demo` can always print working credentials."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.demo.seed import DEMO_DOMAIN
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import hash_password


def reset_demo_passwords(ctx: AppContext, password: str | None = None) -> dict[str, str]:
    """New passwords for the @demo.example accounts only; real accounts are never touched."""
    new: dict[str, str] = {}
    with ctx.db.read() as session:
        emails = list(session.scalars(select(User.email).where(User.email.endswith(f"@{DEMO_DOMAIN}"))))  # type: ignore[attr-defined]
    hashes = {email: (password or secrets.token_urlsafe(12)) for email in emails}
    with ctx.db.write() as session:
        for user in session.scalars(select(User).where(User.email.in_(emails))):  # type: ignore[attr-defined]
            user.password_hash = hash_password(hashes[user.email])
            new[user.email] = hashes[user.email]
        audit.append(session, actor="system", action="demo_passwords_reset", occurred_on=ctx.today(), payload={})
    return dict(sorted(new.items()))

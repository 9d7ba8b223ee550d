"""Personal API tokens as an administrator sees them: who owns each, when it was made and last used, when it
expires, and revoking one. (Making and checking tokens is in sign_in.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.tables import utcnow
from dhr_workflow.people.sign_in import token_expiry
from dhr_workflow.people.tables import ApiToken, User
from dhr_workflow.people.users import actor_for, normalise_email

MAX_TOKEN_ID = 2**31 - 1


@dataclass(frozen=True)
class TokenView:
    id: int
    owner: str
    label: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    revoked_at: datetime | None
    status: str  # active, expired, revoked, owner deactivated

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "owner": self.owner,
            "label": self.label,
            "prefix": self.prefix,
            "created_at": self.created_at.isoformat(),
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
            "expires_at": self.expires_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "status": self.status,
        }


def list_tokens(ctx: AppContext, owner: str | None = None) -> list[TokenView]:
    query = select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if owner is not None:
        query = query.where(User.email == normalise_email(owner))
    now = utcnow()
    views = []
    with ctx.db.read() as session:
        for token, user in session.execute(query):
            expires = token_expiry(token, ctx.settings.api_token_days)
            if token.revoked_at is not None:
                status = "revoked"
            elif not user.active:
                status = "owner deactivated"
            elif now >= expires:
                status = "expired"
            else:
                status = "active"
            views.append(
                TokenView(
                    token.id or 0,
                    user.email,
                    token.label,
                    token.prefix,
                    _utc(token.created_at),
                    _utc(token.last_used_at) if token.last_used_at else None,
                    expires,
                    _utc(token.revoked_at) if token.revoked_at else None,
                    status,
                )
            )
    return views


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def revoke_token(ctx: AppContext, token_id: int, *, by: str | None = None) -> None:
    """Stop a token working at once. Its row stays, so listings still show who had it and when it was used."""
    if not 0 < token_id <= MAX_TOKEN_ID:
        raise NotFound(f"no API token {token_id}")
    with ctx.db.write() as session:
        actor = actor_for(session, by)
        token = session.get(ApiToken, token_id)
        if token is None:
            raise NotFound(f"no API token {token_id}")
        if token.revoked_at is not None:
            raise InvalidInput(f"API token {token_id} was already revoked")
        token.revoked_at = utcnow()
        audit.append(
            session,
            actor=actor.label,
            action="api_token_revoked",
            occurred_on=ctx.today(),
            payload={"token_id": token_id, "user_id": token.user_id},
        )

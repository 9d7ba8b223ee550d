"""Signing in to the web app and the API: password checks with throttling and lockout, server-side sessions with
an idle timeout, and personal API tokens. Only SHA-256 hashes of session ids and tokens are stored.

No FastAPI here: the web layer hands in what it read from the request and gets plain values back."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import DhrError, InvalidInput
from dhr_workflow.core.tables import utcnow
from dhr_workflow.people.tables import ApiToken, SignInThrottle, User, WebSession
from dhr_workflow.people.users import normalise_email, user_by_email

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)  # write last_seen_at at most once a minute per session
TOKEN_PREFIX = "dhr_"
# A real argon2 hash of a random password: unknown emails are checked against it, so timing does not tell
# whether an account exists.
_DUMMY_HASH: list[str] = []


class SignInFailed(DhrError):
    """Wrong email or password, or a locked account. The message never says which email exists."""

    exit_code = 8


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def verify_password(password_hash: str | None, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = PasswordHasher()
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hasher.hash(secrets.token_urlsafe(16)))
    try:
        matched = hasher.verify(password_hash or _DUMMY_HASH[0], password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes (stored as UTC), PostgreSQL aware ones.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


@dataclass(frozen=True)
class NewSession:
    token: str  # goes in the cookie; only its hash is stored
    user: User


def sign_in(ctx: AppContext, email: str, password: str) -> NewSession:
    """Check a password and open a session; after MAX_FAILURES wrong passwords in a row the address is locked."""
    wrong = SignInFailed("Enter a correct email address and password")
    try:
        email = normalise_email(email)
    except InvalidInput:
        raise wrong from None
    with ctx.db.read() as session:
        throttle = session.scalars(select(SignInThrottle).where(SignInThrottle.email == email)).first()
        user = session.scalars(select(User).where(User.email == email, User.active.is_(True))).first()  # type: ignore[attr-defined]
    locked_until = _aware(throttle.locked_until) if throttle else None
    if locked_until and locked_until > utcnow():
        raise SignInFailed(
            "This account is locked after too many wrong passwords. Try again in 15 minutes, or ask a coordinator"
        )
    # The slow argon2 check runs outside the write transaction so it never holds SQLite's write lock.
    if user is None or not verify_password(user.password_hash, password):
        _record_failure(ctx, email)
        raise wrong
    token = secrets.token_urlsafe(32)
    with ctx.db.write() as session:
        _throttle(session, email).failures = 0
        session.add(WebSession(token_hash=digest(token), user_id=user.id or 0, csrf_secret=secrets.token_hex(32)))
        audit.append(session, actor=user.email, action="signed_in", occurred_on=ctx.today(), payload={})
    return NewSession(token, user)


def _throttle(session: Session, email: str) -> SignInThrottle:
    row = session.scalars(select(SignInThrottle).where(SignInThrottle.email == email)).first()
    if row is None:
        row = SignInThrottle(email=email)
        session.add(row)
        session.flush()
    return row


def _record_failure(ctx: AppContext, email: str) -> None:
    now = utcnow()
    with ctx.db.write() as session:
        throttle = _throttle(session, email)
        throttle.failures += 1
        throttle.last_failure_at = now
        if throttle.failures >= MAX_FAILURES:
            throttle.locked_until = now + LOCKOUT
            throttle.failures = 0
            audit.append(session, actor="system", action="sign_in_locked", occurred_on=ctx.today(), payload={})


@dataclass(frozen=True)
class ActiveSession:
    id: int
    user: User
    csrf_secret: str


def session_user(ctx: AppContext, token: str | None) -> ActiveSession | None:
    """The person behind a session cookie, or None if it is unknown, signed out, idle too long or too old."""
    if not token or len(token) > 200:
        return None
    now = utcnow()
    with ctx.db.read() as session:
        row = session.execute(
            select(WebSession, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_hash == digest(token), WebSession.ended_at.is_(None))  # type: ignore[union-attr]
        ).first()
    if row is None:
        return None
    web, user = row
    last_seen, created = _aware(web.last_seen_at), _aware(web.created_at)
    if (
        not user.active
        or (last_seen and now - last_seen > IDLE_TIMEOUT)
        or (created and now - created > ABSOLUTE_TIMEOUT)
    ):
        return None
    if last_seen is None or now - last_seen > TOUCH_EVERY:
        with ctx.db.write() as session:
            session.execute(update(WebSession).where(WebSession.id == web.id).values(last_seen_at=now))
    return ActiveSession(web.id or 0, user, web.csrf_secret)


def sign_out(ctx: AppContext, token: str | None) -> None:
    if not token:
        return
    with ctx.db.write() as session:
        web = session.scalars(select(WebSession).where(WebSession.token_hash == digest(token))).first()
        if web is not None and web.ended_at is None:
            web.ended_at = utcnow()
            user = session.get(User, web.user_id)
            audit.append(session, actor=user.email if user else "unknown", action="signed_out", occurred_on=ctx.today())


def csrf_token(secret: str, scope: str) -> str:
    """The token a form carries: bound to the session (or the anonymous CSRF cookie) by an HMAC."""
    return hmac.new(secret.encode(), scope.encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: str, scope: str, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(csrf_token(secret, scope), presented or "")


def create_api_token(ctx: AppContext, email: str, label: str = "", by: str = "system") -> str:
    """A new personal API token for `email`: returned once, stored only as a hash."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with ctx.db.write() as session:
        user = user_by_email(session, email)
        row = ApiToken(
            token_hash=digest(token),
            prefix=token[:12],
            user_id=user.id or 0,
            label=label[:100],
            expires_at=utcnow() + timedelta(days=ctx.settings.api_token_days),
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            actor=by,
            action="api_token_created",
            occurred_on=ctx.today(),
            payload={"user_id": user.id, "token_id": row.id},
        )
    return token


def token_user(ctx: AppContext, token: str | None) -> User | None:
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with ctx.db.read() as session:
        row = session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None))  # type: ignore[union-attr]
        ).first()
    if row is None or not row[1].active:
        return None
    api_token, user = row
    now = utcnow()
    if now >= token_expiry(api_token, ctx.settings.api_token_days):
        return None
    last_used = _aware(api_token.last_used_at)
    if last_used is None or now - last_used > TOUCH_EVERY:
        with ctx.db.write() as session:
            session.execute(update(ApiToken).where(ApiToken.id == api_token.id).values(last_used_at=now))
    return user  # type: ignore[no-any-return]


def token_expiry(token: ApiToken, default_days: int) -> datetime:
    """When a token stops working: its own expiry, or (made before expiry existed) `default_days` after it was made."""
    expires = _aware(token.expires_at)
    if expires is None:
        expires = (_aware(token.created_at) or utcnow()) + timedelta(days=default_days)
    return expires

"""Leavers: switching a person off at once. Their account stops signing in, their sessions end and their API tokens
are revoked, all in one transaction with the audit event. Their case assignments stay for the record; the reminders
planned for them are re-planned for the case's coordinator (`reminder_plan` skips deactivated people), and reminders
that belong to no case are cancelled."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dhr_workflow.cases import reminder_plan
from dhr_workflow.cases.tables import Case, CaseMember, Task
from dhr_workflow.core import audit
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import utcnow
from dhr_workflow.people.tables import ApiToken, User, WebSession
from dhr_workflow.people.users import actor_for, normalise_email
from notifications.ledger.tables import Reminder

OPEN_REMINDER = ("pending", "claimed")


@dataclass(frozen=True)
class Deactivated:
    email: str
    sessions_ended: int
    tokens_revoked: int
    cases_replanned: int
    reminders_cancelled: int


def deactivate_user(ctx: AppContext, email: str, *, by: str | None = None) -> Deactivated:
    email = normalise_email(email)
    with ctx.db.write() as session:
        actor = actor_for(session, by)
        user = session.scalars(select(User).where(User.email == email)).first()
        if user is None:
            raise NotFound(f"no user {email}")
        if not user.active:
            raise InvalidInput(f"{email} is already deactivated")
        if actor.user is not None and actor.user.id == user.id:
            raise InvalidInput("You cannot deactivate your own account: ask another administrator")
        if user.role == "admin":
            if actor.user is not None and actor.user.role != "admin":
                raise NotPermitted("Only an administrator can deactivate another administrator")
            others = session.scalar(
                select(func.count(User.id)).where(User.role == "admin", User.active.is_(True), User.id != user.id)  # type: ignore[arg-type]
            )
            if not others:
                raise InvalidInput(f"{email} is the last active administrator: add another one first")
        now = utcnow()
        user.active = False
        ended = session.execute(
            update(WebSession)
            .where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))  # type: ignore[union-attr]
            .values(ended_at=now)
        ).rowcount
        revoked = session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))  # type: ignore[union-attr]
            .values(revoked_at=now)
        ).rowcount
        session.flush()
        case_ids = _cases_touching(session, user.id or 0)
        cal = load_calendar(session) if case_ids else None
        for case in session.scalars(select(Case).where(Case.id.in_(case_ids))):  # type: ignore[union-attr]
            definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
            reminder_plan.sync_case_reminders(session, case, definition, cal)  # type: ignore[arg-type]
        cancelled = session.execute(
            update(Reminder)
            .where(Reminder.recipient_id == user.id, Reminder.status.in_(OPEN_REMINDER))  # type: ignore[attr-defined]
            .values(status="cancelled", last_error="the recipient's account was deactivated")
        ).rowcount
        audit.append(
            session,
            actor=actor.label,
            action="user_deactivated",
            occurred_on=ctx.today(),
            payload={
                "user_id": user.id,
                "sessions_ended": ended,
                "tokens_revoked": revoked,
                "cases_replanned": len(case_ids),
                "reminders_cancelled": cancelled,
            },
        )
    return Deactivated(email, ended, revoked, len(case_ids), cancelled)


def _cases_touching(session: Session, user_id: int) -> list[int]:
    ids: set[int] = set()
    ids |= set(session.scalars(select(CaseMember.case_id).where(CaseMember.user_id == user_id)))
    ids |= set(session.scalars(select(Task.case_id).where(Task.assignee_id == user_id, Task.done_on.is_(None))))  # type: ignore[union-attr]
    ids |= {
        cid
        for cid in session.scalars(
            select(Reminder.case_id).where(
                Reminder.recipient_id == user_id,
                Reminder.status.in_(OPEN_REMINDER),  # type: ignore[attr-defined]
                Reminder.case_id.is_not(None),  # type: ignore[union-attr]
            )
        )
        if cid is not None
    }
    return sorted(ids)

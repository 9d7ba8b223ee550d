"""Looking at reminders and their delivery: what is scheduled, sent and failed; delivery problems; preferences."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from dhr_workflow.cases.tables import Case
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.tables import utcnow
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import user_by_email
from notifications.ledger.tables import Reminder
from notifications.tables import DeliveryAttempt, DeliveryProblem, NotificationPreference

STATUSES = ("pending", "claimed", "sending", "sent", "failed", "cancelled", "superseded", "digested")
_PHONE = re.compile(r"^\+?[0-9 ]{7,20}$")


def list_reminders(ctx: AppContext, status: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"'{status}' is not a reminder status; statuses: {', '.join(STATUSES)}")
    with ctx.db.read() as session:
        query = (
            select(Reminder, Case.ref, User.email)
            .outerjoin(Case, Case.id == Reminder.case_id)
            .join(User, User.id == Reminder.recipient_id)
        )
        if status is not None:
            query = query.where(Reminder.status == status)
        rows = session.execute(query.order_by(Reminder.send_on, Reminder.id).limit(limit)).all()
        return [
            {
                "id": r.id,
                "case": ref,
                "subject": r.subject,
                "rule": r.rule,
                "deadline_on": r.deadline_on.isoformat(),
                "send_on": r.send_on.isoformat(),
                "recipient": email,
                "channel": r.channel,
                "status": r.status,
                "attempts": r.attempts,
                "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                "last_error": r.last_error,
            }
            for r, ref, email in rows
        ]


def list_attempts(ctx: AppContext, reminder_id: int) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        rows = session.scalars(
            select(DeliveryAttempt).where(DeliveryAttempt.reminder_id == reminder_id).order_by(DeliveryAttempt.id)
        ).all()
        return [
            {
                "attempt": a.attempt_no,
                "transport": a.transport,
                "outcome": a.outcome,
                "provider_id": a.provider_id,
                "error": a.error,
                "started_at": a.started_at.isoformat(),
            }
            for a in rows
        ]


def list_problems(ctx: AppContext, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        query = (
            select(DeliveryProblem, Case.ref, User.email)
            .outerjoin(Case, Case.id == DeliveryProblem.case_id)
            .join(User, User.id == DeliveryProblem.recipient_id)
        )
        if not include_resolved:
            query = query.where(DeliveryProblem.resolved_at.is_(None))
        return [
            {
                "id": p.id,
                "reminder_id": p.reminder_id,
                "case": ref,
                "recipient": email,
                "channel": p.channel,
                "error": p.error,
                "flagged_at": p.flagged_at.isoformat(),
                "resolved": p.resolved_at is not None,
            }
            for p, ref, email in session.execute(query.order_by(DeliveryProblem.id)).all()
        ]


def resolve_problem(ctx: AppContext, problem_id: int) -> None:
    with ctx.db.write() as session:
        problem = session.get(DeliveryProblem, problem_id)
        if problem is None:
            raise NotFound(f"no delivery problem {problem_id}; `dhr reminders problems` lists them")
        problem.resolved_at = problem.resolved_at or utcnow()


def set_preference(ctx: AppContext, email: str, *, digest: bool | None = None, sms_number: str | None = None) -> None:
    """One daily digest instead of single reminders, and/or a mobile number for SMS over GOV.UK Notify."""
    if sms_number is not None and sms_number != "" and not _PHONE.match(sms_number):
        raise InvalidInput(f"'{sms_number}' is not a phone number (digits, spaces and an optional leading +)")
    with ctx.db.write() as session:
        user = user_by_email(session, email)
        pref = session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        ).first() or NotificationPreference(user_id=user.id or 0)
        if digest is not None:
            pref.digest = digest
        if sms_number is not None:
            pref.sms_number = sms_number.replace(" ", "") or None
        pref.updated_at = utcnow()
        session.add(pref)


def get_preference(ctx: AppContext, email: str) -> dict[str, Any]:
    with ctx.db.read() as session:
        user = user_by_email(session, email)
        pref = session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id)).first()
        return {
            "email": user.email,
            "digest": bool(pref and pref.digest),
            "sms_number": pref.sms_number if pref else None,
        }

"""The kinds of record that belong to no one closed case: accessible-format requests, leavers' accounts, in-app
notifications and the reminder ledger. Rows tied to a case under a legal hold are never due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from dhr_workflow.cases.tables import CaseMember
from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.documents.tables import AccessRequest
from dhr_workflow.people.tables import SignInThrottle, User
from dhr_workflow.retention.schedule import Rule
from dhr_workflow.retention.scope import ANONYMISED, Due, Scope
from notifications.ledger.tables import Reminder
from notifications.tables import DeliveryAttempt, DeliveryProblem, InAppNotification, NotificationPreference

SETTLED_REMINDERS = ("sent", "cancelled", "failed", "superseded", "digested")
LEFT_DOMAIN = "anonymised.invalid"  # RFC 2606: can never be a real address


def find_access_requests(session: Session, scope: Scope, rule: Rule) -> list[Due]:
    identifying = or_(
        AccessRequest.requester_name != ANONYMISED,
        *(getattr(AccessRequest, c).is_not(None) for c in ("email", "phone", "postal_address", "details")),
    )
    rows = session.execute(
        select(AccessRequest.id, AccessRequest.case_id, AccessRequest.fulfilled_on)
        .where(AccessRequest.fulfilled_on.is_not(None))
        .where(identifying if rule.action == "anonymise" else AccessRequest.id.is_not(None))
        .order_by(AccessRequest.id)
    )
    return [d for rid, cid, settled in rows if (d := scope.due(rule, rid, cid, settled)) is not None]


def act_access_requests(session: Session, ids: list[int], action: str) -> dict[str, int]:
    if action == "delete":
        session.execute(delete(AccessRequest).where(AccessRequest.id.in_(ids)))
        return {}
    session.execute(
        update(AccessRequest)
        .where(AccessRequest.id.in_(ids))
        .values(requester_name=ANONYMISED, email=None, phone=None, postal_address=None, details=None)
    )
    return {}


def find_leavers(session: Session, scope: Scope, rule: Rule) -> list[Due]:
    """Deactivated accounts, counted from their deactivation (its audit event); not while they are on a held case."""
    left = {u.id: u for u in session.scalars(select(User).where(User.active.is_(False), User.name != ANONYMISED))}
    if not left:
        return []
    on_held = set(session.scalars(select(CaseMember.user_id).where(CaseMember.case_id.in_(scope.held or {-1}))))
    left_on: dict[int, date] = {}
    for payload, day in session.execute(
        select(AuditEvent.payload, AuditEvent.occurred_on).where(AuditEvent.action == "user_deactivated")
    ):
        uid = payload.get("user_id") if isinstance(payload, dict) else None
        if isinstance(uid, int) and uid in left:
            left_on[uid] = max(day, left_on.get(uid, day))
    found = []
    for uid in sorted(left_on):
        due = scope.due(rule, uid, None, left_on[uid]) if uid not in on_held else None
        if due is not None:
            found.append(due)
    return found


def act_leavers(session: Session, ids: list[int], action: str) -> dict[str, int]:
    """Name and address replaced, no password; their sign-in throttle row and SMS number go too."""
    emails = list(session.scalars(select(User.email).where(User.id.in_(ids))))
    session.execute(delete(SignInThrottle).where(SignInThrottle.email.in_(emails)))
    session.execute(
        update(NotificationPreference).where(NotificationPreference.user_id.in_(ids)).values(sms_number=None)
    )
    for uid in ids:
        session.execute(
            update(User)
            .where(User.id == uid)
            .values(name=ANONYMISED, email=f"left-{uid}@{LEFT_DOMAIN}", password_hash=None)
        )
    return {}


def find_in_app(session: Session, scope: Scope, rule: Rule) -> list[Due]:
    rows = session.execute(select(InAppNotification.id, InAppNotification.created_at).order_by(InAppNotification.id))
    return [d for nid, at in rows if (d := scope.due(rule, nid, None, at.date())) is not None]


def act_in_app(session: Session, ids: list[int], action: str) -> dict[str, int]:
    session.execute(delete(InAppNotification).where(InAppNotification.id.in_(ids)))
    return {}


def find_ledger(session: Session, scope: Scope, rule: Rule) -> list[Due]:
    rows = session.execute(
        select(Reminder.id, Reminder.case_id, Reminder.created_at)
        .where(Reminder.status.in_(SETTLED_REMINDERS))
        .order_by(Reminder.id)
    )
    return [d for rid, cid, at in rows if (d := scope.due(rule, rid, cid, at.date())) is not None]


def act_ledger(session: Session, ids: list[int], action: str) -> dict[str, int]:
    attempts = session.execute(delete(DeliveryAttempt).where(DeliveryAttempt.reminder_id.in_(ids))).rowcount
    session.execute(delete(DeliveryProblem).where(DeliveryProblem.reminder_id.in_(ids)))
    session.execute(delete(Reminder).where(Reminder.id.in_(ids)))
    return {"delivery_attempts_deleted": attempts}


FINDERS: dict[str, Callable[[Session, Scope, Rule], list[Due]]] = {
    "access_requests": find_access_requests,
    "leavers": find_leavers,
    "in_app_notifications": find_in_app,
    "delivery_ledger": find_ledger,
}
ACTORS: dict[str, Callable[[Session, list[int], str], dict[str, int]]] = {
    "access_requests": act_access_requests,
    "leavers": act_leavers,
    "in_app_notifications": act_in_app,
    "delivery_ledger": act_ledger,
}

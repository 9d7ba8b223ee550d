"""Which reminders a case's deadlines call for, written as rows in the transaction that sets the deadlines.

Each row has an idempotency key built from (case, subject, rule, deadline, recipient, channel): when a deadline moves
the keys change, so pending rows for the old deadline are cancelled and new ones written; rows already sent stay.
Rows are written with bulk statements: a transition may plan a dozen reminders, and ORM objects for each would cost
more than the transition itself (bench/transitions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from dhr_workflow.db.tables import Case, CaseMember, Clock, Reminder, Task, User, utcnow
from dhr_workflow.domain.calendar import WorkingCalendar
from dhr_workflow.domain.reminders import PlannedSend, plan_sends
from dhr_workflow.workflow.definition import ReminderRuleDef, WorkflowDefinition


@dataclass(frozen=True)
class Deadline:
    subject: str
    deadline: date
    rule: ReminderRuleDef
    recipients: tuple[int, ...]
    escalation: tuple[int, ...]


def sync_case_reminders(
    session: Session,
    case: Case,
    definition: WorkflowDefinition,
    cal: WorkingCalendar,
    channel: str = "email",
    clocks: list[Clock] | None = None,
) -> None:
    """Make the case's pending reminder rows match its live deadlines. `clocks` saves a query when the caller has
    the case's clocks already."""
    assert case.id is not None
    wanted = {
        _key(case.id, d, send, who, channel): (d, send, who)
        for d in _deadlines(session, case, definition, clocks)
        for send in plan_sends(d.deadline, d.rule, cal)
        for who in _recipients_for(d, send)
    }
    existing: dict[str, str] = dict(
        session.execute(select(Reminder.idem_key, Reminder.status).where(Reminder.case_id == case.id)).all()
    )
    stale = [key for key, status in existing.items() if status == "pending" and key not in wanted]
    revived = [key for key, status in existing.items() if status == "cancelled" and key in wanted]
    _set_status(session, stale, "cancelled")
    _set_status(session, revived, "pending")
    new_rows = [_row(case.id, key, *wanted[key], channel) for key in wanted if key not in existing]
    if new_rows:
        session.execute(insert(Reminder), new_rows)


def _set_status(session: Session, keys: list[str], status: str) -> None:
    if keys:
        session.execute(update(Reminder).where(Reminder.idem_key.in_(keys)).values(status=status))  # type: ignore[attr-defined]


def _row(case_id: int, key: str, d: Deadline, send: PlannedSend, who: int, channel: str) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "subject": d.subject,
        "rule": send.rule,
        "deadline_on": d.deadline,
        "send_on": send.send_on,
        "recipient_id": who,
        "channel": channel,
        "status": "pending",
        "idem_key": key,
        "attempts": 0,
        "created_at": utcnow(),
    }


def _key(case_id: int, d: Deadline, send: PlannedSend, recipient: int, channel: str) -> str:
    return f"{case_id}:{d.subject}:{send.rule}:{d.deadline.isoformat()}:{recipient}:{channel}"


def _recipients_for(d: Deadline, send: PlannedSend) -> tuple[int, ...]:
    return d.escalation if send.rule == "escalation" else d.recipients


def _deadlines(
    session: Session, case: Case, definition: WorkflowDefinition, clocks: list[Clock] | None
) -> list[Deadline]:
    members = session.execute(select(CaseMember.role, CaseMember.user_id).where(CaseMember.case_id == case.id)).all()
    fallback: dict[str, list[int]] = {}

    def people(roles: list[str]) -> tuple[int, ...]:
        """Case members in these roles; where the case has none, the partnership's people in them."""
        found = {uid for role, uid in members if role in roles}
        if not found and not fallback:
            fallback.update(_partnership_users_by_role(session, case.partnership_id))
        return tuple(sorted(found or {uid for role in roles for uid in fallback.get(role, [])}))

    if clocks is None:
        clocks = list(session.scalars(select(Clock).where(Clock.case_id == case.id)))
    deadlines = []
    for clock in clocks:
        spec = definition.clocks.get(clock.name)
        if spec is None or clock.paused or clock.stopped_on is not None:
            continue
        recipients, escalation = people(spec.reminders.recipients), people(spec.reminders.escalate_to)
        deadlines.append(
            Deadline(f"clock:{clock.name}:{clock.round}", clock.due_on, spec.reminders, recipients, escalation)
        )
    for task in session.scalars(select(Task).where(Task.case_id == case.id, Task.done_on.is_(None))):  # type: ignore[union-attr]
        rule = definition.task_reminders
        deadlines.append(Deadline(f"task:{task.id}", task.due_on, rule, (task.assignee_id,), people(rule.escalate_to)))
    return deadlines


def _partnership_users_by_role(session: Session, partnership_id: int) -> dict[str, list[int]]:
    by_role: dict[str, list[int]] = {}
    query = select(User.role, User.id).where(User.partnership_id == partnership_id, User.active.is_(True))  # type: ignore[attr-defined]
    for role, uid in session.execute(query):
        by_role.setdefault(role, []).append(uid)
    return by_role

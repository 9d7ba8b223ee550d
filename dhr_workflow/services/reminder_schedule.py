"""Which reminders a case's deadlines call for, written as rows in the transaction that sets the deadlines.

Each row has an idempotency key built from (case, subject, rule, deadline, recipient, channel): when a deadline moves
the keys change, so pending rows for the old deadline are cancelled and new ones written; rows already sent stay.
Delivery (claiming rows, sending once) lives in dhr_workflow.services.delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.db.tables import Case, CaseMember, Clock, Reminder, Task, User
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
    session: Session, case: Case, definition: WorkflowDefinition, cal: WorkingCalendar, channel: str = "email"
) -> None:
    assert case.id is not None
    wanted = {
        _key(case.id, d, send, who, channel): (d, send, who)
        for d in _deadlines(session, case, definition)
        for send in plan_sends(d.deadline, d.rule, cal)
        for who in _recipients_for(d, send)
    }
    existing = {r.idem_key: r for r in session.scalars(select(Reminder).where(Reminder.case_id == case.id))}
    for key, row in existing.items():
        if row.status == "pending" and key not in wanted:
            row.status = "cancelled"
    for key, (d, send, who) in wanted.items():
        if key not in existing:
            session.add(
                Reminder(
                    case_id=case.id,
                    subject=d.subject,
                    rule=send.rule,
                    deadline_on=d.deadline,
                    send_on=send.send_on,
                    recipient_id=who,
                    channel=channel,
                    idem_key=key,
                )
            )
        elif existing[key].status == "cancelled":
            existing[key].status = "pending"
    session.flush()


def _key(case_id: int, d: Deadline, send: PlannedSend, recipient: int, channel: str) -> str:
    return f"{case_id}:{d.subject}:{send.rule}:{d.deadline.isoformat()}:{recipient}:{channel}"


def _recipients_for(d: Deadline, send: PlannedSend) -> tuple[int, ...]:
    return d.escalation if send.rule == "escalation" else d.recipients


def _deadlines(session: Session, case: Case, definition: WorkflowDefinition) -> list[Deadline]:
    members = session.execute(select(CaseMember.role, CaseMember.user_id).where(CaseMember.case_id == case.id)).all()
    fallback = _partnership_users_by_role(session, case.partnership_id)

    def people(roles: list[str]) -> tuple[int, ...]:
        found = {uid for role, uid in members if role in roles}
        return tuple(sorted(found or {uid for role in roles for uid in fallback.get(role, [])}))

    deadlines = []
    for clock in session.scalars(select(Clock).where(Clock.case_id == case.id, Clock.stopped_on.is_(None))):
        spec = definition.clocks.get(clock.name)
        if spec is None or clock.paused:
            continue
        deadlines.append(
            Deadline(
                f"clock:{clock.name}:{clock.round}",
                clock.due_on,
                spec.reminders,
                people(spec.reminders.recipients),
                people(spec.reminders.escalate_to),
            )
        )
    for task in session.scalars(select(Task).where(Task.case_id == case.id, Task.done_on.is_(None))):
        rule = definition.task_reminders
        deadlines.append(Deadline(f"task:{task.id}", task.due_on, rule, (task.assignee_id,), people(rule.escalate_to)))
    return deadlines


def _partnership_users_by_role(session: Session, partnership_id: int) -> dict[str, list[int]]:
    by_role: dict[str, list[int]] = {}
    for role, uid in session.execute(
        select(User.role, User.id).where(User.partnership_id == partnership_id, User.active.is_(True))
    ):
        by_role.setdefault(role, []).append(uid)
    return by_role

"""The reminders an evidence request calls for, written in the transaction that sets or settles it.

Subject "evidence:ID". For a request still awaited: a reminder to the agency's contacts `remind_before` working days
before the due date, a chaser the working day after it (`overdue:1`), and the escalation to the case's coordinator
with chaser number `escalate_with_chaser`. Later chasers (every `chase_every` working days) are planned by the sweep
once the previous one went out (`plan_follow_up`), like clock reminders, so a request never holds an unbounded list
of rows. Idempotency keys carry the deadline: an extension cancels the old rows and writes new ones; rows sent stay.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.rules import OPEN_STATUSES
from dhr_workflow.agencies.tables import AgencyContact, EvidenceRequest
from dhr_workflow.cases.reminder_plan import reminder_key
from dhr_workflow.cases.tables import Case, CaseMember
from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.people.tables import User
from dhr_workflow.workflow.definition import EvidenceDef, WorkflowDefinition
from notifications.ledger.rules import subtract_working_days
from notifications.ledger.tables import Reminder

SUBJECT = "evidence"


def subject_for(request_id: int) -> str:
    return f"{SUBJECT}:{request_id}"


def chaser_on(cal: WorkingCalendar, due_on: date, spec: EvidenceDef, number: int) -> date:
    """When chaser `number` (1, 2, ...) is due: the working day after the due date, then every `chase_every`."""
    return cal.add_working_days(due_on, 1 + spec.chase_every * (number - 1))


def planned(
    session: Session, request: EvidenceRequest, spec: EvidenceDef, cal: WorkingCalendar
) -> list[tuple[str, date, int]]:
    """(rule, send_on, recipient) for an awaited request; nothing once it is settled."""
    if request.status not in OPEN_STATUSES:
        return []
    contacts = contacts_on_case(session, request)
    coordinators = coordinators_of(session, request.case_id)
    chasing = contacts or coordinators  # nobody speaks for the agency on this case: the coordinator chases
    sends: list[tuple[str, date, int]] = []
    if spec.remind_before:
        before = subtract_working_days(cal, request.due_on, spec.remind_before)
        sends += [(f"before:{spec.remind_before}", before, who) for who in chasing]
    sends += [("overdue:1", chaser_on(cal, request.due_on, spec, 1), who) for who in chasing]
    escalation = chaser_on(cal, request.due_on, spec, spec.escalate_with_chaser)
    sends += [("escalation", escalation, who) for who in coordinators]
    return sends


def sync_request(
    session: Session, request: EvidenceRequest, definition: WorkflowDefinition, cal: WorkingCalendar
) -> None:
    """Make the request's unsent reminder rows match how it stands now."""
    session.flush()
    subject = subject_for(request.id or 0)
    spec = definition.evidence[request.kind]  # type: ignore[index]
    wanted = {
        reminder_key(request.case_id, subject, rule, request.due_on, who, "email"): (rule, send_on, who)
        for rule, send_on, who in planned(session, request, spec, cal)
    }
    open_request = request.status in OPEN_STATUSES
    for row in session.scalars(select(Reminder).where(Reminder.subject == subject)):
        if row.idem_key in wanted:
            if row.status == "cancelled":
                row.status = "pending"
            continue
        follow_up = open_request and row.rule.startswith("overdue:") and row.deadline_on == request.due_on
        if row.status in ("pending", "claimed") and not follow_up:
            row.status = "cancelled"
    existing = set(session.scalars(select(Reminder.idem_key).where(Reminder.subject == subject)))
    for key, (rule, send_on, who) in wanted.items():
        if key not in existing:
            session.add(
                Reminder(
                    case_id=request.case_id,
                    subject=subject,
                    rule=rule,
                    deadline_on=request.due_on,
                    send_on=send_on,
                    recipient_id=who,
                    channel="email",
                    idem_key=key,
                )
            )
    session.flush()


def sync_case(session: Session, case: Case, definition: WorkflowDefinition, cal: WorkingCalendar) -> None:
    for request in session.scalars(select(EvidenceRequest).where(EvidenceRequest.case_id == case.id)):
        sync_request(session, request, definition, cal)


def plan_follow_up(
    session: Session, sent: Reminder, definition: WorkflowDefinition, cal: WorkingCalendar, today: date
) -> Reminder | None:
    """After chaser N went out, chaser N+1 `chase_every` working days later, while the request is still awaited
    with the same due date and the recipient still chases it."""
    if not sent.rule.startswith("overdue:") or not sent.subject.startswith(f"{SUBJECT}:"):
        return None
    request_id = sent.subject.split(":", 1)[1]
    request = session.get(EvidenceRequest, int(request_id)) if request_id.isdigit() else None
    if request is None or request.status not in OPEN_STATUSES or request.due_on != sent.deadline_on:
        return None
    spec = definition.evidence[request.kind]  # type: ignore[index]
    if sent.recipient_id not in {who for _rule, _on, who in planned(session, request, spec, cal)}:
        return None
    number = int(sent.rule.split(":", 1)[1]) + 1
    rule = f"overdue:{number}"
    key = reminder_key(request.case_id, sent.subject, rule, sent.deadline_on, sent.recipient_id, sent.channel)
    if session.scalar(select(Reminder.id).where(Reminder.idem_key == key)) is not None:
        return None
    send_on = max(chaser_on(cal, request.due_on, spec, number), cal.add_working_days(today, 1))
    row = Reminder(
        case_id=request.case_id,
        subject=sent.subject,
        rule=rule,
        deadline_on=sent.deadline_on,
        send_on=send_on,
        recipient_id=sent.recipient_id,
        channel=sent.channel,
        idem_key=key,
    )
    session.add(row)
    session.flush()
    return row


def contacts_on_case(session: Session, request: EvidenceRequest) -> list[int]:
    """The agency's contacts who are members of the case (need to know: nobody else hears of its requests)."""
    return sorted(
        set(
            session.scalars(
                select(AgencyContact.user_id)
                .join(CaseMember, CaseMember.user_id == AgencyContact.user_id)
                .join(User, User.id == AgencyContact.user_id)
                .where(
                    AgencyContact.agency_id == request.agency_id,
                    CaseMember.case_id == request.case_id,
                    User.active.is_(True),
                )
            )
        )
    )


def coordinators_of(session: Session, case_id: int) -> list[int]:
    """The case's coordinators, else the partnership's."""
    on_case = set(
        session.scalars(
            select(CaseMember.user_id).where(CaseMember.case_id == case_id, CaseMember.role == "coordinator")
        )
    )
    if on_case:
        return sorted(on_case)
    case = session.get(Case, case_id)
    return sorted(
        set(
            session.scalars(
                select(User.id).where(
                    User.partnership_id == case.partnership_id, User.role == "coordinator", User.active.is_(True)
                )
            )
        )
    )

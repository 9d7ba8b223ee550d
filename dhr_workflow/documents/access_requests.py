"""Requests for a document in an accessible format, from anyone (the public form, a family member's phone call,
a coordinator). Each has two deadlines from receipt, in working days: acknowledge (default 3) and deliver
(default 10), both configurable (DHR_ACCESS_ACKNOWLEDGE_WORKING_DAYS, DHR_ACCESS_DELIVER_WORKING_DAYS).

Formats we make ourselves (accessible PDF, large print, Word, plain text, easy read where the letter has an easy-read
version) are produced at once and attached; the rest (braille, audio, BSL, translation) become a coordinator task
with supplier guidance when the request belongs to a case. Reminders are Reminder rows with subject
"access_request:ID", written with idempotency keys in the same transaction as the deadlines, like clock reminders.
A request not tied to a case has reminders with no case (reminder.case_id is nullable since migration 0003)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases import reminder_plan as reminder_schedule
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case, CaseMember, Task
from dhr_workflow.core import audit
from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.text import is_id, not_in_future
from dhr_workflow.documents.access_formats import (
    FORMAT_LABELS,
    PRODUCIBLE,
    SUPPLIER_GUIDANCE,
    RequestInput,
    check_request,
    optional_text,
)
from dhr_workflow.documents.catalogue import template_info
from dhr_workflow.documents.tables import AccessRequest
from dhr_workflow.documents.versions import render_for_case, stored_file
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import actor_for, default_partnership
from dhr_workflow.workflow.definition import ReminderRuleDef
from notifications.ledger.rules import PlannedSend, plan_sends
from notifications.ledger.tables import Reminder

DELIVERY_REMINDERS = ReminderRuleDef(before=[2], on_due_date=True, overdue_every=5, escalate_to=["csp_chair"])


def new_request(ctx: AppContext, raw: RequestInput, *, by: str | None = None) -> AccessRequest:
    """Record a request, set its deadlines and reminders, then produce the format or hand it to the coordinator.
    `by=None` means the public form (no account)."""
    req = check_request(raw)
    acknowledge_days, deliver_days = _deadline_days(ctx)
    today = ctx.today()
    with ctx.db.write() as session:
        actor = actor_for(session, by)
        case = load_case(session, req.case_ref) if req.case_ref else None
        cal = load_calendar(session)
        row = AccessRequest(
            partnership_id=case.partnership_id if case else default_partnership(session).id or 0,
            case_id=case.id if case else None,
            requester_name=req.requester_name,
            email=req.email,
            phone=req.phone,
            postal_address=req.postal_address,
            document=req.document,
            template=req.template,
            format=req.format,
            language=req.language,
            details=req.details,
            received_on=today,
            acknowledge_by=cal.add_working_days(today, acknowledge_days),
            deliver_by=cal.add_working_days(today, deliver_days),
            created_by=actor.label if by else "public",
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            actor=actor.label if by else "public",
            action="access_request_received",
            occurred_on=today,
            case_id=row.case_id,
            payload={"request_id": row.id, "format": row.format, "deliver_by": row.deliver_by.isoformat()},
        )
        sync_request_reminders(session, row, cal)
    return _route(ctx, row, by)


def _deadline_days(ctx: AppContext) -> tuple[int, int]:
    ack, deliver = ctx.settings.access_acknowledge_working_days, ctx.settings.access_deliver_working_days
    if not (0 <= ack <= deliver <= 120):
        raise InvalidInput(
            "DHR_ACCESS_ACKNOWLEDGE_WORKING_DAYS and DHR_ACCESS_DELIVER_WORKING_DAYS must satisfy "
            f"0 <= acknowledge <= deliver <= 120 (they are {ack} and {deliver})"
        )
    return ack, deliver


def _producible(row: AccessRequest) -> tuple[str, str] | None:
    if row.template is None or row.format not in PRODUCIBLE:
        return None
    fmt, variant = PRODUCIBLE[row.format]
    if variant == "easy-read" and not template_info(row.template).easy_read:
        return None
    return fmt, variant


def _route(ctx: AppContext, row: AccessRequest, by: str | None) -> AccessRequest:
    """Produce what we can; otherwise give the case's coordinator a task with supplier guidance."""
    if _producible(row) and row.case_id is not None:
        return produce(ctx, row.id or 0, by=by)
    if row.case_id is not None:
        return _task_for_supplier(ctx, row, by)
    return row


def _case_ref(session: Session, row: AccessRequest) -> str | None:
    case = session.get(Case, row.case_id) if row.case_id else None
    return case.ref if case else None


def produce(ctx: AppContext, request_id: int, *, by: str | None = None) -> AccessRequest:
    """Make the requested format of the requested toolkit document and attach it to the request."""

    with ctx.db.read() as session:
        row = _get(session, request_id)
        ref = _case_ref(session, row)
    made = _producible(row)
    if made is None or ref is None or row.template is None:
        raise InvalidInput(f"request AFR-{request_id} is not for a format we can make from a toolkit document")
    fmt, variant = made
    rendered = render_for_case(ctx, ref, row.template, fmt, variant, by=by)
    with ctx.db.write() as session:
        row = _get(session, request_id)
        stored = stored_file(session, rendered.document_id, fmt, variant)
        row.document_file_id = stored.id if stored else None
        row.status = "produced"
        audit.append(
            session,
            actor=by or "system",
            action="access_request_produced",
            occurred_on=ctx.today(),
            case_id=row.case_id,
            payload={"request_id": row.id, "document_id": rendered.document_id, "format": fmt, "variant": variant},
        )
        return row


def _coordinator_email(session: Session, row: AccessRequest) -> str:
    query = select(User.email).where(User.partnership_id == row.partnership_id, User.active.is_(True))
    member = (
        session.scalar(
            query.join(CaseMember, CaseMember.user_id == User.id).where(
                CaseMember.case_id == row.case_id, CaseMember.role == "coordinator"
            )
        )
        if row.case_id
        else None
    )
    email = member or session.scalar(query.where(User.role == "coordinator").order_by(User.id))
    if email is None:
        raise InvalidInput("no coordinator to give the task to: add one with `dhr user add --role coordinator`")
    return email


def _task_for_supplier(ctx: AppContext, row: AccessRequest, by: str | None) -> AccessRequest:
    from dhr_workflow.cases.tasks import add_task

    with ctx.db.read() as session:
        ref = _case_ref(session, row)
        assignee = _coordinator_email(session, row)
    assert ref is not None
    label = FORMAT_LABELS[row.format] + (f" ({row.language})" if row.language else "")
    supplier = SUPPLIER_GUIDANCE.get(row.format, "a specialist supplier")
    title = f"Arrange {label} for accessible-format request AFR-{row.id}: use {supplier}"
    task = add_task(ctx, ref, title[:300], assignee, row.deliver_by, kind="accessible_format", by=by)
    with ctx.db.write() as session:
        fresh = _get(session, row.id or 0)
        fresh.task_id = task.id
        return fresh


def _get(session: Session, request_id: int) -> AccessRequest:
    row = session.get(AccessRequest, request_id) if is_id(request_id) else None
    if row is None:
        raise NotFound(f"no accessible-format request {request_id}; `dhr access-request list` shows them")
    return row


def acknowledge(ctx: AppContext, request_id: int, *, on: date | None = None, by: str | None = None) -> AccessRequest:
    day = not_in_future(on, ctx.today(), "--on") if on else ctx.today()
    with ctx.db.write() as session:
        row = _get(session, request_id)
        if row.acknowledged_on is not None:
            raise InvalidInput(f"request AFR-{request_id} was already acknowledged on {row.acknowledged_on}")
        row.acknowledged_on = day
        if row.status == "received":
            row.status = "acknowledged"
        audit.append(
            session,
            actor=actor_for(session, by).label,
            action="access_request_acknowledged",
            occurred_on=day,
            case_id=row.case_id,
            payload={"request_id": row.id},
        )
        sync_request_reminders(session, row, load_calendar(session))
        return row


def fulfil(
    ctx: AppContext,
    request_id: int,
    *,
    on: date | None = None,
    supplier: str | None = None,
    note: str | None = None,
    by: str | None = None,
) -> AccessRequest:
    """Record that the person has the document in the format they asked for: closes the supplier task and stops
    the reminders, in one transaction."""
    day = not_in_future(on, ctx.today(), "--on") if on else ctx.today()
    with ctx.db.write() as session:
        row = _get(session, request_id)
        if row.fulfilled_on is not None:
            raise InvalidInput(f"request AFR-{request_id} was already fulfilled on {row.fulfilled_on}")
        if day < row.received_on:
            raise InvalidInput(f"it cannot have been delivered before it was asked for, on {row.received_on}")
        row.fulfilled_on = day
        row.acknowledged_on = row.acknowledged_on or day
        row.status = "fulfilled"
        row.supplier = optional_text(supplier, "the supplier", 300) or row.supplier
        row.fulfilment_note = optional_text(note, "the note", 2000)
        actor = actor_for(session, by)
        _close_task(ctx, session, row, day)
        audit.append(
            session,
            actor=actor.label,
            action="access_request_fulfilled",
            occurred_on=day,
            case_id=row.case_id,
            payload={"request_id": row.id, "late": day > row.deliver_by},
        )
        sync_request_reminders(session, row, load_calendar(session))
        return row


def _close_task(ctx: AppContext, session: Session, row: AccessRequest, day: date) -> None:
    task = session.get(Task, row.task_id) if row.task_id else None
    if task is None or task.done_on is not None:
        return
    task.done_on = day
    case = session.get(Case, task.case_id)
    assert case is not None
    definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
    reminder_schedule.sync_case_reminders(session, case, definition, load_calendar(session))


def list_requests(ctx: AppContext, *, open_only: bool = False) -> list[dict[str, Any]]:
    today = ctx.today()
    with ctx.db.read() as session:
        query = select(AccessRequest).order_by(AccessRequest.id)
        if open_only:
            query = query.where(AccessRequest.fulfilled_on.is_(None))  # type: ignore[union-attr]
        return [_summary(session, r, today) for r in session.scalars(query)]


def _summary(session: Session, r: AccessRequest, today: date) -> dict[str, Any]:
    overdue = r.fulfilled_on is None and today > r.deliver_by
    ack_overdue = r.acknowledged_on is None and today > r.acknowledge_by
    return {
        "id": r.id,
        "number": f"AFR-{r.id}",
        "case": _case_ref(session, r),
        "document": r.document,
        "template": r.template,
        "format": r.format,
        "format_label": FORMAT_LABELS[r.format],
        "language": r.language,
        "status": r.status,
        "received_on": r.received_on,
        "acknowledge_by": r.acknowledge_by,
        "acknowledged_on": r.acknowledged_on,
        "deliver_by": r.deliver_by,
        "fulfilled_on": r.fulfilled_on,
        "overdue": overdue,
        "acknowledgement_overdue": ack_overdue,
        "task_id": r.task_id,
        "document_file_id": r.document_file_id,
    }


def sync_request_reminders(session: Session, row: AccessRequest, cal: WorkingCalendar, channel: str = "email") -> None:
    """Reminder rows for this request's open deadlines; pending rows for deadlines met or moved are cancelled."""
    subject = f"access_request:{row.id}"
    recipients = _recipients(session, row, ("coordinator",))
    escalation = _recipients(session, row, ("csp_chair",))
    sends: list[tuple[PlannedSend, date, tuple[int, ...]]] = []
    if row.acknowledged_on is None and row.fulfilled_on is None:
        sends.append((PlannedSend(row.acknowledge_by, "acknowledge:due"), row.acknowledge_by, recipients))
        overdue = cal.add_working_days(row.acknowledge_by, 1)
        sends.append((PlannedSend(overdue, "acknowledge:overdue:1"), row.acknowledge_by, recipients))
    if row.fulfilled_on is None:
        for send in plan_sends(row.deliver_by, DELIVERY_REMINDERS, cal):  # type: ignore[arg-type]
            people = escalation if send.rule == "escalation" else recipients
            sends.append((PlannedSend(send.send_on, f"deliver:{send.rule}"), row.deliver_by, people))
    case_part = row.case_id if row.case_id is not None else "-"
    wanted = {
        f"{case_part}:{subject}:{send.rule}:{deadline.isoformat()}:{who}:{channel}": (send, deadline, who)
        for send, deadline, group in sends
        for who in group
    }
    existing = {r.idem_key: r for r in session.scalars(select(Reminder).where(Reminder.subject == subject))}
    for key, reminder in existing.items():
        if reminder.status == "pending" and key not in wanted:
            reminder.status = "cancelled"
    for key, (send, deadline, who) in wanted.items():
        if key not in existing:
            session.add(
                Reminder(
                    case_id=row.case_id,
                    subject=subject,
                    rule=send.rule,
                    deadline_on=deadline,
                    send_on=send.send_on,
                    recipient_id=who,
                    channel=channel,
                    idem_key=key,
                )
            )
        elif existing[key].status == "cancelled":
            existing[key].status = "pending"
    session.flush()


def _recipients(session: Session, row: AccessRequest, roles: tuple[str, ...]) -> tuple[int, ...]:
    if row.case_id is not None:
        members = session.scalars(
            select(CaseMember.user_id).where(CaseMember.case_id == row.case_id, CaseMember.role.in_(roles))  # type: ignore[attr-defined]
        ).all()
        if members:
            return tuple(sorted(set(members)))
    users = session.scalars(
        select(User.id).where(
            User.partnership_id == row.partnership_id,
            User.role.in_(roles),  # type: ignore[attr-defined]
            User.active.is_(True),
        )
    ).all()
    return tuple(sorted(set(users)))

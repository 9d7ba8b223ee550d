"""Delivering reminders exactly once: the database decides what is due; transports only carry messages.

The sweep claims due rows (notifications/claims.py) and delivers each here, or hands the ids to Celery.
Delivering a row re-reads it and moves it `claimed -> sending -> sent` in short transactions around the provider
call, so a redelivered queue message finds nothing to do. Every attempt is a row in the ledger (`delivery_attempt`).

A worker that dies mid-send leaves its attempt `unknown`. The next attempt asks the transport what the earlier one
had reached before sending anything (ADR 0014): Notify is asked for the reference; SMTP reads its hand-off journal,
which notes either side of the final "." of DATA. So a crash does not send a reminder twice, except in the one
window no protocol closes (the microseconds between the "." and its note): then the message is sent again with the
same Message-ID, and the ledger says so (`unknown`).

Entry points (dhr reminders sweep, the embedded scheduler, the Celery tasks) choose the transports; this module
imports no channel or queue library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from time import monotonic

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from dhr_workflow.cases.panel_meetings import MEETING_SUBJECT
from dhr_workflow.cases.tables import Case, CaseMember
from dhr_workflow.core.audit import anchor_head as anchor_audit_head
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.tables import utcnow
from dhr_workflow.people.tables import User
from notifications.claims import SweepResult, claim_batch, follow_up
from notifications.invite_messages import render_invitation
from notifications.leases import HeldBatch, LeaseClock, usable
from notifications.ledger.tables import Reminder
from notifications.messages import RenderedMessage, SubjectInfo, item_for, render_digest, render_reminder
from notifications.send_policy import may_send_now
from notifications.tables import DeliveryAttempt, DeliveryProblem, InAppNotification, NotificationPreference
from notifications.transport import (
    MAX_ERROR,
    Earlier,
    EarlierAttempt,
    Outgoing,
    PermanentFailure,
    TemporaryFailure,
    Transport,
    TransportFor,
)

# --- the sweep -------------------------------------------------------------------------------------------------


def sweep(
    ctx: AppContext,
    transports: TransportFor,
    *,
    now: datetime | None = None,
    enqueue: Callable[[list[int]], None] | None = None,
    max_batches: int = 1000,
) -> SweepResult:
    """Claim everything due now, batch by batch, and deliver it here or hand the ids to `enqueue` (Celery).

    Outside the send window, or on a non-working day when that is configured, nothing is claimed.
    """
    started = monotonic()  # before the wall clock is read: leases written from it are never shorter than meant
    clock = LeaseClock(now or utcnow(), started)
    now = clock.now
    result = SweepResult()
    with ctx.db.read() as session:
        cal = load_calendar(session)
        anchor_audit_head(session)
    reason = may_send_now(
        now, ctx.settings.send_window, ctx.settings.send_on_working_days_only, cal, ctx.settings.timezone
    )
    if reason is not None:
        result.skipped_reason = reason
        return result
    # Queued rows have no holder to renew their leases, so only a few wait in the queue (ADR 0053): a row re-claimed
    # from a dead worker is then never stuck behind a long backlog.
    in_flight = ctx.settings.reminder_queue_limit if enqueue is not None else None
    for _ in range(max_batches):
        claimed_before, claimed_at = result.claimed, monotonic()
        ids = claim_batch(
            ctx, clock.at(claimed_at), ctx.settings.reminder_batch_size, result, in_flight_limit=in_flight
        )
        if result.claimed == claimed_before:
            break
        if enqueue is not None and ids:
            enqueue(ids)
        elif ids:
            _deliver_held(ctx, HeldBatch(ctx, ids, clock, claimed_at), transports, result)
    return result


def _deliver_held(ctx: AppContext, batch: HeldBatch, transports: TransportFor, result: SweepResult) -> None:
    """Deliver a claimed batch here; between two messages the loop renews the leases of the rows still waiting."""
    while (reminder_id := batch.next_id()) is not None:
        result.count(_deliver(ctx, reminder_id, transports, batch.clock))


# --- delivering one row ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    outgoing: Outgoing
    attempt_id: int
    attempt_no: int
    transport: Transport | None
    unknown: list[EarlierAttempt]


def deliver(ctx: AppContext, reminder_id: int, transports: TransportFor, *, now: datetime | None = None) -> str:
    """Deliver one claimed reminder. Safe to call any number of times: only a `claimed` row is sent."""
    started = monotonic()
    return _deliver(ctx, reminder_id, transports, LeaseClock(now or utcnow(), started))


def _deliver(ctx: AppContext, reminder_id: int, transports: TransportFor, clock: LeaseClock) -> str:
    started = monotonic()
    now = clock.at(started)
    prepared = _take(ctx, reminder_id, transports, now, started)
    if isinstance(prepared, str):
        return prepared
    out, transport = prepared.outgoing, prepared.transport
    name = transport.name if transport is not None else "in_app"
    earlier = Earlier("unknown") if prepared.unknown else None
    try:
        if transport is not None and prepared.unknown:
            earlier = transport.earlier_attempt(out, prepared.unknown)
        if earlier is not None and earlier.state == "sent":
            outcome = _record_sent(ctx, prepared, name, earlier.provider_id, earlier, outcome="confirmed")
        else:
            provider_id = transport.send(out) if transport is not None else None
            outcome = _record_sent(ctx, prepared, name, provider_id, earlier)
    except TemporaryFailure as err:
        outcome = _record_temporary(ctx, prepared, name, str(err), now, earlier)
    except PermanentFailure as err:
        outcome = _record_permanent(ctx, prepared, name, str(err), earlier)
    if transport is not None:
        transport.settle(out)  # only now: until the outcome is committed the transport's notes are the evidence
    return outcome


def _take(
    ctx: AppContext, reminder_id: int, transports: TransportFor, now: datetime, started: float | None = None
) -> _Prepared | str:
    """Move a claimed row to `sending` for a new attempt; its lease runs from `now`, which is `started` (monotonic,
    read before the request) by the caller's clock, and the attempt must hand over by `started` + the usable lease."""
    started = monotonic() if started is None else started
    with ctx.db.write() as session:
        query = select(Reminder).where(Reminder.id == reminder_id)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
            # Other transactions see the `sending` mark at commit either way; only its durability is relaxed. If
            # PostgreSQL itself crashes before flushing it, the row is still `claimed` and is sent after its lease
            # (the at-least-once case of ADR 0012). Halves the fsyncs per delivery; `sent` stays durable.
            session.execute(text("SET LOCAL synchronous_commit = off"))
        row = session.scalars(query).first()
        if row is None:
            return "missing"
        if row.status != "claimed":
            return f"nothing to do ({row.status})"
        recipient = session.get(User, row.recipient_id)
        if recipient is None or not recipient.active:
            row.status, row.last_error = "cancelled", "the recipient's account is closed"
            return "cancelled"
        unknown = [
            EarlierAttempt(a.attempt_no, a.transport, a.handoff_journal)
            for a in session.execute(
                select(DeliveryAttempt.attempt_no, DeliveryAttempt.transport, DeliveryAttempt.handoff_journal).where(
                    DeliveryAttempt.reminder_id == reminder_id, DeliveryAttempt.outcome == "unknown"
                )
            )
        ]
        transport = transports(row.channel)
        message = _message_for(ctx, session, row)
        row.status, row.attempts = "sending", row.attempts + 1
        row.claimed_until = now + timedelta(seconds=ctx.settings.reminder_lease_seconds)
        attempt = DeliveryAttempt(
            reminder_id=reminder_id,
            idem_key=row.idem_key,
            channel=row.channel,
            transport=transport.name if transport is not None else "in_app",
            handoff_journal=transport.journal_id if transport is not None else None,
            attempt_no=row.attempts,
        )
        session.add(attempt)
        session.flush()
        phone = session.scalar(
            select(NotificationPreference.sms_number).where(NotificationPreference.user_id == row.recipient_id)
        )
        hand_over_by = started + usable(ctx.settings.reminder_lease_seconds)
        out = Outgoing(
            reminder_id, row.idem_key, row.attempts, row.channel, recipient.email, phone, message, hand_over_by
        )
        return _Prepared(out, attempt.id or 0, row.attempts, transport, unknown)


def _message_for(ctx: AppContext, session: Session, row: Reminder) -> RenderedMessage:
    base, today = ctx.settings.base_url, ctx.today()
    if row.rule == "digest":
        parts = session.scalars(select(Reminder).where(Reminder.digest_id == row.id).order_by(Reminder.deadline_on))
        items = [item_for(session, _info(ctx, session, part), base, today) for part in parts]
        return render_digest(items, row.send_on, base, ctx.settings.templates_dir)
    if row.subject.startswith(MEETING_SUBJECT):
        info = _info(ctx, session, row)
        return render_invitation(session, info, base, ctx.settings.timezone, ctx.settings.templates_dir)
    return render_reminder(item_for(session, _info(ctx, session, row), base, today), ctx.settings.templates_dir)


def _info(ctx: AppContext, session: Session, row: Reminder) -> SubjectInfo:
    case_row = session.get(Case, row.case_id) if row.case_id is not None else None
    definition = None
    if case_row is not None:
        try:
            definition = ctx.workflows.get(case_row.workflow_name, case_row.workflow_version)
        except Exception:  # noqa: BLE001 - a removed definition must not stop a reminder; the wording falls back
            definition = None
    return SubjectInfo(row, case_row, definition)


def _finish(session: Session, prepared: _Prepared) -> Reminder | None:
    """The row, if this attempt still owns it (a re-claim after a lost lease may have moved on)."""
    row = session.get(Reminder, prepared.outgoing.reminder_id)
    if row is None or row.status != "sending" or row.attempts != prepared.attempt_no:
        return None
    return row


def _ledger(session: Session, prepared: _Prepared, outcome: str, transport: str, **values: object) -> None:
    session.execute(
        update(DeliveryAttempt)
        .where(DeliveryAttempt.id == prepared.attempt_id)
        .values(outcome=outcome, transport=transport, finished_at=utcnow(), **values)
    )


_SETTLED = {
    "sent": "the worker died after the message left; found in the transport's evidence by a later attempt",
    "not_sent": "the worker died before the message left; a later attempt sent it",
}


def _settle_earlier(session: Session, prepared: _Prepared, earlier: Earlier | None) -> None:
    """Replace `unknown` in the ledger with what the transport found, when it could tell."""
    if earlier is None or earlier.state not in _SETTLED:
        return
    session.execute(
        update(DeliveryAttempt)
        .where(
            DeliveryAttempt.reminder_id == prepared.outgoing.reminder_id,
            DeliveryAttempt.attempt_no.in_([a.attempt_no for a in prepared.unknown]),
            DeliveryAttempt.outcome == "unknown",
        )
        .values(outcome=earlier.state, error=_SETTLED[earlier.state], provider_id=earlier.provider_id)
    )


def _record_sent(
    ctx: AppContext,
    prepared: _Prepared,
    transport: str,
    provider_id: str | None,
    earlier: Earlier | None,
    outcome: str = "sent",
) -> str:
    with ctx.db.write() as session:
        _settle_earlier(session, prepared, earlier)
        _ledger(session, prepared, outcome, transport, provider_id=provider_id)
        row = _finish(session, prepared)
        if row is None:
            return "sent (row already moved on)"
        row.status, row.sent_at, row.claimed_until, row.last_error = "sent", utcnow(), None, None
        _in_app(session, row, prepared.outgoing.message)
        if row.rule.startswith("overdue:"):
            follow_up(ctx, session, row, load_calendar(session))
        return "sent"


def backoff(attempt: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most 2 hours."""
    return timedelta(minutes=min(2 ** max(attempt - 1, 0), 120))


def _record_temporary(
    ctx: AppContext, prepared: _Prepared, transport: str, error: str, now: datetime, earlier: Earlier | None
) -> str:
    if prepared.attempt_no >= ctx.settings.reminder_max_attempts:
        error = f"gave up after {prepared.attempt_no} attempts: {error}"
        return _record_permanent(ctx, prepared, transport, error, earlier)
    with ctx.db.write() as session:
        _settle_earlier(session, prepared, earlier)
        _ledger(session, prepared, "temporary_failure", transport, error=error[:MAX_ERROR])
        row = _finish(session, prepared)
        if row is not None:
            row.status, row.claimed_until = "pending", None
            row.not_before, row.last_error = now + backoff(prepared.attempt_no), error[:MAX_ERROR]
    return "retry later"


def _record_permanent(ctx: AppContext, prepared: _Prepared, transport: str, error: str, earlier: Earlier | None) -> str:
    with ctx.db.write() as session:
        _settle_earlier(session, prepared, earlier)
        _ledger(session, prepared, "permanent_failure", transport, error=error[:MAX_ERROR])
        row = _finish(session, prepared)
        if row is None:
            return "failed (row already moved on)"
        row.status, row.claimed_until, row.last_error = "failed", None, error[:MAX_ERROR]
        _flag_to_coordinators(session, row, error)
    return "failed"


def _in_app(session: Session, row: Reminder, message: RenderedMessage) -> None:
    key = f"reminder:{row.idem_key}"
    if session.scalar(select(InAppNotification.id).where(InAppNotification.idem_key == key)) is None:
        session.add(
            InAppNotification(
                user_id=row.recipient_id,
                idem_key=key,
                kind="reminder",
                title=message.subject[:300],
                body=message.text[:2000],
                link=message.link,
            )
        )


def _flag_to_coordinators(session: Session, row: Reminder, error: str) -> None:
    """A row the coordinators can list, and an in-app notice to each (never an email that might fail the same way)."""
    session.add(
        DeliveryProblem(
            reminder_id=row.id or 0,
            case_id=row.case_id,
            recipient_id=row.recipient_id,
            channel=row.channel,
            error=error[:MAX_ERROR],
        )
    )
    case_row = session.get(Case, row.case_id) if row.case_id is not None else None
    where = f" on {case_row.ref}" if case_row is not None else ""
    for coordinator in _coordinators(session, row, case_row):
        session.add(
            InAppNotification(
                user_id=coordinator,
                idem_key=f"problem:{row.idem_key}:{coordinator}",
                kind="delivery_problem",
                title=f"A reminder{where} could not be delivered",
                body=f"A reminder{where} could not be delivered by {row.channel}. "
                "Check the person's contact details, then see `dhr reminders problems`.",
                link=f"/cases/{case_row.ref}" if case_row is not None else "/",
            )
        )


def _coordinators(session: Session, row: Reminder, case_row: Case | None) -> list[int]:
    if case_row is not None:
        found = session.scalars(
            select(CaseMember.user_id).where(CaseMember.case_id == case_row.id, CaseMember.role == "coordinator")
        ).all()
        if found:
            return sorted(set(found))
    recipient = session.get(User, row.recipient_id)
    query = select(User.id).where(User.role == "coordinator", User.active.is_(True))
    if recipient is not None:
        query = query.where(User.partnership_id == recipient.partnership_id)
    return sorted(set(session.scalars(query).all()))

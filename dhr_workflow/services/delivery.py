"""Delivering reminders exactly once: the database decides what is due; transports only carry messages.

A sweep claims due rows atomically with a lease (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite under the
`BEGIN IMMEDIATE` that Database.write() emits), so two sweeps, two beats or two schedulers never claim one row. An
expired lease (a worker died, a queue message was lost with Redis) is claimed again by a later sweep. Delivering a
row re-reads it and moves it `claimed -> sending -> sent` in short transactions around the provider call, so a
redelivered queue message finds nothing to do. Every attempt is a row in the ledger (`delivery_attempt`).

The one window no design closes is a crash after the provider accepted a message and before we recorded it: the row
is sent again after its lease expires (at-least-once at the provider boundary), with the same Message-ID / Notify
reference so mail clients and Notify can recognise it, and the ledger marks the earlier attempt `unknown`.
Notify is asked first whether it already has that reference, so over Notify even that window is closed.

Entry points (dhr reminders sweep, the embedded scheduler, the Celery tasks) choose the transports; this module
imports no channel or queue library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlalchemy import and_, case, exists, or_, select, text, update
from sqlalchemy.orm import Session, aliased

from dhr_workflow.db.reminders_tables import DeliveryAttempt, DeliveryProblem, InAppNotification, NotificationPreference
from dhr_workflow.db.tables import Case, CaseMember, Reminder, User, utcnow
from dhr_workflow.domain.calendar import WorkingCalendar
from dhr_workflow.services import reminder_schedule
from dhr_workflow.services.calendar import load_calendar
from dhr_workflow.services.context import AppContext
from dhr_workflow.services.reminder_messages import (
    RenderedMessage,
    SubjectInfo,
    item_for,
    render_digest,
    render_reminder,
)
from dhr_workflow.services.send_policy import may_send_now

LIVE = ("pending", "claimed", "sending", "sent")
_NO_SYNC = {"synchronize_session": False}  # bulk updates of rows this session has not loaded
MAX_ERROR = 1000


class TemporaryFailure(Exception):
    """The provider may accept the message later (rate limit, outage): retry with backoff."""


class PermanentFailure(Exception):
    """The message can never be delivered as it is (bad address, rejected key): tell the coordinator."""


@dataclass(frozen=True)
class Outgoing:
    reminder_id: int
    idem_key: str
    channel: str
    to_email: str
    to_phone: str | None
    message: RenderedMessage


class Transport(Protocol):
    name: str

    def send(self, out: Outgoing) -> str | None:
        """Hand the message over; return the provider's id. Raise TemporaryFailure or PermanentFailure."""
        ...

    def already_sent(self, out: Outgoing) -> str | None:
        """The provider id if an earlier, unrecorded attempt did get through (None if unknown or not)."""
        ...


TransportFor = Callable[[str], Transport | None]  # channel -> transport (None: in-app only)


@dataclass
class SweepResult:
    claimed: int = 0
    superseded: int = 0
    digested: int = 0
    delivered: dict[str, int] = field(default_factory=dict)
    skipped_reason: str | None = None

    def count(self, outcome: str) -> None:
        self.delivered[outcome] = self.delivered.get(outcome, 0) + 1


# --- claiming --------------------------------------------------------------------------------------------------


def claim_batch(ctx: AppContext, now: datetime, limit: int, result: SweepResult | None = None) -> list[int]:
    """Claim up to `limit` rows to deliver, in one transaction. Returns the ids the caller must deliver."""
    result = result if result is not None else SweepResult()
    lease = now + timedelta(seconds=ctx.settings.reminder_lease_seconds)
    with ctx.db.write() as session:
        ids = _reclaim_expired(session, now, lease, limit)
        ids += _claim_due(session, ctx.today(), now, lease, limit - len(ids))
        if not ids:
            return []
        superseded = _supersede_older(session, ids, ctx.today())
        result.superseded += len(superseded)
        _plan_follow_ups(ctx, session, superseded)
        remaining = [i for i in ids if i not in set(superseded)]
        digested = _fold_into_digests(session, remaining, ctx.today())
        result.digested += len(digested)
        result.claimed += len(ids)
        return [i for i in remaining if i not in set(digested)]


def _locking(session: Session, query):  # type: ignore[no-untyped-def]
    """Row locks that other claimers skip on PostgreSQL; SQLite already holds the write lock (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def _reclaim_expired(session: Session, now: datetime, lease: datetime, limit: int) -> list[int]:
    query = (
        select(Reminder.id, Reminder.status)
        .where(Reminder.status.in_(("claimed", "sending")), Reminder.claimed_until < now)
        .order_by(Reminder.claimed_until)
        .limit(limit)
    )
    rows = session.execute(_locking(session, query)).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    lost = [r.id for r in rows if r.status == "sending"]
    if lost:  # the worker died mid-send: we cannot know whether the provider got it
        session.execute(
            update(DeliveryAttempt)
            .where(DeliveryAttempt.reminder_id.in_(lost), DeliveryAttempt.outcome == "started")
            .values(outcome="unknown", error="worker lost before the outcome was recorded", finished_at=now)
        )
    session.execute(
        update(Reminder).where(Reminder.id.in_(ids)).values(status="claimed", claimed_until=lease), _NO_SYNC
    )
    return ids


def _claim_due(session: Session, today: date, now: datetime, lease: datetime, limit: int) -> list[int]:
    """One `UPDATE ... WHERE id IN (SELECT ... LIMIT n [FOR UPDATE SKIP LOCKED]) RETURNING id` statement."""
    if limit <= 0:
        return []
    due = (
        select(Reminder.id)
        .where(
            Reminder.status == "pending",
            Reminder.send_on <= today,
            or_(Reminder.not_before.is_(None), Reminder.not_before <= now),
        )
        .order_by(Reminder.send_on, Reminder.id)
        .limit(limit)
    )
    table = Reminder.__table__
    claim = (
        update(table)
        .where(table.c.id.in_(_locking(session, due).scalar_subquery()))
        .values(status="claimed", claimed_until=lease)
        .returning(table.c.id)
    )
    return sorted(session.execute(claim).scalars().all())


def _rank(row: type[Reminder]):  # type: ignore[no-untyped-def]
    return case(
        (row.rule == "escalation", 3),
        (row.rule.like("overdue:%"), 2),
        (row.rule == "due", 1),
        else_=0,
    )


def _supersede_older(session: Session, ids: list[int], today: date) -> list[int]:
    """Catch-up: of the past-due reminders of one subject for one recipient, only the most recent is sent."""
    mine, other = Reminder, aliased(Reminder)
    newer = or_(
        other.send_on > mine.send_on,
        and_(other.send_on == mine.send_on, _rank(other) > _rank(mine)),
        and_(other.send_on == mine.send_on, _rank(other) == _rank(mine), other.id > mine.id),
    )
    better = exists().where(
        other.subject == mine.subject,
        other.recipient_id == mine.recipient_id,
        other.channel == mine.channel,
        other.case_id.is_not_distinct_from(mine.case_id),
        other.id != mine.id,
        other.status.in_(LIVE),
        other.send_on <= today,
        newer,
    )
    old = list(session.scalars(select(mine.id).where(mine.id.in_(ids), mine.rule != "digest", better)).all())
    if old:
        session.execute(
            update(Reminder).where(Reminder.id.in_(old)).values(status="superseded", claimed_until=None), _NO_SYNC
        )
    return old


def _plan_follow_ups(ctx: AppContext, session: Session, ids: Iterable[int]) -> None:
    ids = list(ids)
    if not ids:
        return
    cal = load_calendar(session)
    for row in session.scalars(select(Reminder).where(Reminder.id.in_(ids), Reminder.rule.like("overdue:%"))):
        _follow_up(ctx, session, row, cal)


def _follow_up(ctx: AppContext, session: Session, row: Reminder, cal: WorkingCalendar) -> None:
    case_row = session.get(Case, row.case_id) if row.case_id is not None else None
    if case_row is None:
        return
    definition = ctx.workflows.get(case_row.workflow_name, case_row.workflow_version)
    reminder_schedule.plan_follow_up(session, row, definition, cal, ctx.today())


def _fold_into_digests(session: Session, ids: list[int], today: date) -> list[int]:
    """Reminders for people who chose a daily digest join that day's digest row instead of going out alone."""
    if not ids:
        return []
    if session.scalar(select(NotificationPreference.id).where(NotificationPreference.digest.is_(True))) is None:
        return []  # nobody takes a digest: skip the join (most installs, most sweeps)
    rows = session.execute(
        select(Reminder)
        .join(NotificationPreference, NotificationPreference.user_id == Reminder.recipient_id)
        .where(Reminder.id.in_(ids), Reminder.rule != "digest", NotificationPreference.digest.is_(True))
    ).scalars()
    folded = []
    for row in rows:
        digest = _open_digest(session, row.recipient_id, row.channel, today)
        row.status, row.digest_id, row.claimed_until = "digested", digest.id, None
        folded.append(row.id or 0)
    return folded


def _open_digest(session: Session, user_id: int, channel: str, today: date) -> Reminder:
    """Today's digest if it has not gone yet, else the next day's: a digest goes at most once a day."""
    day = today
    while True:
        key = f"digest:{user_id}:{day.isoformat()}:{channel}"
        row = session.scalars(select(Reminder).where(Reminder.idem_key == key)).first()
        if row is None:
            row = Reminder(
                case_id=None,
                subject=f"digest:{user_id}",
                rule="digest",
                deadline_on=day,
                send_on=day,
                recipient_id=user_id,
                channel=channel,
                idem_key=key,
            )
            session.add(row)
            session.flush()
            return row
        if row.status == "pending":
            return row
        day += timedelta(days=1)


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
    now = now or utcnow()
    result = SweepResult()
    with ctx.db.read() as session:
        cal = load_calendar(session)
    reason = may_send_now(
        now, ctx.settings.send_window, ctx.settings.send_on_working_days_only, cal, ctx.settings.timezone
    )
    if reason is not None:
        result.skipped_reason = reason
        return result
    for _ in range(max_batches):
        claimed_before = result.claimed
        ids = claim_batch(ctx, now, ctx.settings.reminder_batch_size, result)
        if result.claimed == claimed_before:
            break
        if enqueue is not None and ids:
            enqueue(ids)
        elif ids:
            for reminder_id in ids:
                result.count(deliver(ctx, reminder_id, transports, now=now))
    return result


# --- delivering one row ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    outgoing: Outgoing
    attempt_id: int
    attempt_no: int
    previous_unknown: bool


def deliver(ctx: AppContext, reminder_id: int, transports: TransportFor, *, now: datetime | None = None) -> str:
    """Deliver one claimed reminder. Safe to call any number of times: only a `claimed` row is sent."""
    now = now or utcnow()
    prepared = _take(ctx, reminder_id, now)
    if isinstance(prepared, str):
        return prepared
    out = prepared.outgoing
    transport = transports(out.channel)
    name = transport.name if transport is not None else "in_app"
    try:
        provider_id = None
        if transport is not None and prepared.previous_unknown:
            provider_id = transport.already_sent(out)
        if transport is not None and provider_id is None:
            provider_id = transport.send(out)
    except TemporaryFailure as err:
        return _record_temporary(ctx, prepared, name, str(err), now)
    except PermanentFailure as err:
        return _record_permanent(ctx, prepared, name, str(err))
    return _record_sent(ctx, prepared, name, provider_id)


def _take(ctx: AppContext, reminder_id: int, now: datetime) -> _Prepared | str:
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
        previous_unknown = session.scalar(
            select(DeliveryAttempt.id).where(
                DeliveryAttempt.reminder_id == reminder_id, DeliveryAttempt.outcome == "unknown"
            )
        )
        message = _message_for(ctx, session, row)
        row.status, row.attempts = "sending", row.attempts + 1
        row.claimed_until = now + timedelta(seconds=ctx.settings.reminder_lease_seconds)
        attempt = DeliveryAttempt(
            reminder_id=reminder_id,
            idem_key=row.idem_key,
            channel=row.channel,
            transport="pending",
            attempt_no=row.attempts,
        )
        session.add(attempt)
        session.flush()
        phone = session.scalar(
            select(NotificationPreference.sms_number).where(NotificationPreference.user_id == row.recipient_id)
        )
        out = Outgoing(reminder_id, row.idem_key, row.channel, recipient.email, phone, message)
        return _Prepared(out, attempt.id or 0, row.attempts, previous_unknown is not None)


def _message_for(ctx: AppContext, session: Session, row: Reminder) -> RenderedMessage:
    base, today = ctx.settings.base_url, ctx.today()
    if row.rule == "digest":
        parts = session.scalars(select(Reminder).where(Reminder.digest_id == row.id).order_by(Reminder.deadline_on))
        items = [item_for(session, _info(ctx, session, part), base, today) for part in parts]
        return render_digest(items, row.send_on, base, ctx.settings.templates_dir)
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


def _record_sent(ctx: AppContext, prepared: _Prepared, transport: str, provider_id: str | None) -> str:
    with ctx.db.write() as session:
        _ledger(session, prepared, "sent", transport, provider_id=provider_id)
        row = _finish(session, prepared)
        if row is None:
            return "sent (row already moved on)"
        row.status, row.sent_at, row.claimed_until, row.last_error = "sent", utcnow(), None, None
        _in_app(session, row, prepared.outgoing.message)
        if row.rule.startswith("overdue:"):
            _follow_up(ctx, session, row, load_calendar(session))
        return "sent"


def backoff(attempt: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most 2 hours."""
    return timedelta(minutes=min(2 ** max(attempt - 1, 0), 120))


def _record_temporary(ctx: AppContext, prepared: _Prepared, transport: str, error: str, now: datetime) -> str:
    if prepared.attempt_no >= ctx.settings.reminder_max_attempts:
        return _record_permanent(ctx, prepared, transport, f"gave up after {prepared.attempt_no} attempts: {error}")
    with ctx.db.write() as session:
        _ledger(session, prepared, "temporary_failure", transport, error=error[:MAX_ERROR])
        row = _finish(session, prepared)
        if row is not None:
            row.status, row.claimed_until = "pending", None
            row.not_before, row.last_error = now + backoff(prepared.attempt_no), error[:MAX_ERROR]
    return "retry later"


def _record_permanent(ctx: AppContext, prepared: _Prepared, transport: str, error: str) -> str:
    with ctx.db.write() as session:
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

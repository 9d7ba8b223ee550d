"""Claiming due reminders: which rows one sweep delivers, atomically and with a lease.

A sweep claims due rows with a lease (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite under the `BEGIN IMMEDIATE` that
Database.write() emits), so two sweeps, two beats or two schedulers never claim one row, and a row whose lease
expired (a worker died, a queue message was lost with Redis) is claimed again. In the same transaction, catch-up
keeps only the most recent past-due reminder of each subject, and reminders for people who take a daily digest are
folded into it. Delivering the claimed rows is notifications/delivery.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from dhr_workflow.agencies import reminders as evidence_reminders
from dhr_workflow.cases import reminder_plan as reminder_schedule
from dhr_workflow.cases.panel_meetings import MEETING_SUBJECT
from dhr_workflow.cases.tables import Case
from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from notifications.ledger.tables import Reminder
from notifications.tables import DeliveryAttempt, NotificationPreference

LIVE = ("pending", "claimed", "sending", "sent")
_NO_SYNC = {"synchronize_session": False}  # bulk updates of rows this session has not loaded


@dataclass
class SweepResult:
    claimed: int = 0
    superseded: int = 0
    digested: int = 0
    delivered: dict[str, int] = field(default_factory=dict)
    skipped_reason: str | None = None

    def count(self, outcome: str) -> None:
        self.delivered[outcome] = self.delivered.get(outcome, 0) + 1


def claim_batch(
    ctx: AppContext,
    now: datetime,
    limit: int,
    result: SweepResult | None = None,
    *,
    in_flight_limit: int | None = None,
) -> list[int]:
    """Claim up to `limit` rows to deliver, in one transaction. Returns the ids the caller must deliver.

    With `in_flight_limit`, no more than that many rows are claimed and not yet settled at once (rows whose lease
    has lapsed do not count: they are the first to be claimed again).
    """
    result = result if result is not None else SweepResult()
    lease = now + timedelta(seconds=ctx.settings.reminder_lease_seconds)
    with ctx.db.write() as session:
        if in_flight_limit is not None:
            limit = min(limit, in_flight_limit - _in_flight(session, now))
        if limit <= 0:
            return []
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


def locking(session: Session, query):  # type: ignore[no-untyped-def]
    """Row locks that other claimers skip on PostgreSQL; SQLite already holds the write lock (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def _in_flight(session: Session, now: datetime) -> int:
    live = select(func.count()).where(Reminder.status.in_(("claimed", "sending")), Reminder.claimed_until >= now)
    return int(session.scalar(live) or 0)


def _reclaim_expired(session: Session, now: datetime, lease: datetime, limit: int) -> list[int]:
    query = (
        select(Reminder.id, Reminder.status)
        .where(Reminder.status.in_(("claimed", "sending")), Reminder.claimed_until < now)
        .order_by(Reminder.claimed_until)
        .limit(limit)
    )
    rows = session.execute(locking(session, query)).all()
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
        .where(table.c.id.in_(locking(session, due).scalar_subquery()))
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
        follow_up(ctx, session, row, cal)


def follow_up(ctx: AppContext, session: Session, row: Reminder, cal: WorkingCalendar) -> None:
    case_row = session.get(Case, row.case_id) if row.case_id is not None else None
    if case_row is None:
        return
    definition = ctx.workflows.get(case_row.workflow_name, case_row.workflow_version)
    if row.subject.startswith(f"{evidence_reminders.SUBJECT}:"):
        evidence_reminders.plan_follow_up(session, row, definition, cal, ctx.today())
        return
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
        .where(
            Reminder.id.in_(ids),
            Reminder.rule != "digest",
            Reminder.subject.not_like(f"{MEETING_SUBJECT}%"),  # an invitation carries its own calendar entry
            NotificationPreference.digest.is_(True),
        )
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

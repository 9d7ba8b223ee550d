"""Quarterly, themed Delivery Group meetings and their calendar invites.

Each meeting keeps one iCalendar UID for life and bumps SEQUENCE on every change, so a moved or cancelled meeting
replaces the invite already in people's calendars instead of adding a second one (RFC 5545 §3.8.7.4).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.core import audit
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.text import clean_text, is_id
from dhr_workflow.lessons.plans import current_plan
from dhr_workflow.lessons.rules import THEME_LABELS, Scope, next_theme, parse_theme, quarterly_slots, scope_for
from dhr_workflow.lessons.tables import CommentaryRound, DeliveryMeeting, DeliveryPlan
from dhr_workflow.people.users import user_by_email

LONDON = ZoneInfo("Europe/London")
UID_DOMAIN = "dhr-workflow"


def _organiser(session: Session, by: str) -> str:
    """`by` as the audit names them: "system" (the command line), or a person, who must be on the community safety
    team or a chair: they organise the Delivery Group."""
    if by == "system":
        return by
    user = user_by_email(session, by)
    if scope_for(user.role) is not Scope.ALL:
        raise NotPermitted("only the community safety team and the chairs organise Delivery Group meetings")
    return user.email


def _at(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def schedule(
    ctx: AppContext,
    first: date,
    *,
    count: int = 4,
    at: time = time(10, 0),
    minutes: int = 120,
    location: str = "Civic Offices, Committee Room 1",
    first_theme: str | None = None,
    by: str = "system",
) -> list[dict[str, Any]]:
    """`count` quarterly meetings from `first`, themes rotating on from the last meeting's theme."""
    if first < ctx.today():
        raise InvalidInput(f"the first meeting ({first}) is in the past; schedule meetings from today on")
    if not 30 <= minutes <= 480:
        raise InvalidInput("a meeting lasts between 30 and 480 minutes")
    place = clean_text(location, "the location", 300)
    with ctx.db.write() as session:
        by = _organiser(session, by)
        plan = current_plan(session)
        theme = parse_theme(first_theme) if first_theme else next_theme(_last_theme(session, plan))
        created = []
        cal = load_calendar(session)
        for slot in quarterly_slots(first, count, theme):
            meeting = DeliveryMeeting(
                plan_id=plan.id or 0,
                theme=slot.theme,
                # three months on may be a weekend or bank holiday: meet on the next working day
                starts_at=_at(cal.next_working_day_on_or_after(slot.starts_on), at),
                minutes=minutes,
                location=place,
                uid=f"{uuid.uuid4()}@{UID_DOMAIN}",
            )
            session.add(meeting)
            created.append(meeting)
        session.flush()
        audit.append(
            session,
            actor=by,
            action="meetings_scheduled",
            occurred_on=ctx.today(),
            payload={"meeting_ids": [m.id for m in created]},
        )
        return [_dict(session, m) for m in created]


def _last_theme(session: Session, plan: DeliveryPlan) -> str | None:
    return session.scalar(
        select(DeliveryMeeting.theme)
        .where(DeliveryMeeting.plan_id == plan.id, DeliveryMeeting.cancelled.is_(False))  # type: ignore[attr-defined]
        .order_by(DeliveryMeeting.starts_at.desc())  # type: ignore[attr-defined]
    )


def _meeting(session: Session, meeting_id: int) -> DeliveryMeeting:
    meeting = session.get(DeliveryMeeting, meeting_id) if is_id(meeting_id) else None
    if meeting is None:
        raise NotFound(f"no meeting {meeting_id}; `dhr meeting list` shows them")
    return meeting


def reschedule(
    ctx: AppContext,
    meeting_id: int,
    day: date,
    *,
    at: time | None = None,
    location: str | None = None,
    by: str = "system",
) -> dict[str, Any]:
    with ctx.db.write() as session:
        by = _organiser(session, by)
        meeting = _meeting(session, meeting_id)
        if meeting.cancelled:
            raise InvalidInput(f"meeting {meeting_id} is cancelled; schedule a new one")
        local = meeting.starts_at.astimezone(LONDON)
        meeting.starts_at = _at(day, at or local.time().replace(tzinfo=None))
        if location:
            meeting.location = clean_text(location, "the location", 300)
        meeting.sequence += 1
        audit.append(
            session, actor=by, action="meeting_moved", occurred_on=ctx.today(), payload={"meeting_id": meeting.id}
        )
        return _dict(session, meeting)


def cancel(ctx: AppContext, meeting_id: int, *, by: str = "system") -> dict[str, Any]:
    with ctx.db.write() as session:
        by = _organiser(session, by)
        meeting = _meeting(session, meeting_id)
        if meeting.cancelled:
            raise InvalidInput(f"meeting {meeting_id} is already cancelled")
        meeting.cancelled = True
        meeting.sequence += 1
        audit.append(
            session, actor=by, action="meeting_cancelled", occurred_on=ctx.today(), payload={"meeting_id": meeting.id}
        )
        return _dict(session, meeting)


def present_round_at(ctx: AppContext, meeting_id: int, *, by: str = "system") -> None:
    """The collated plan from the latest commentary round goes on this meeting's agenda (alternate meetings)."""
    with ctx.db.write() as session:
        by = _organiser(session, by)
        meeting = _meeting(session, meeting_id)
        round_ = session.scalars(
            select(CommentaryRound)
            .where(CommentaryRound.plan_id == meeting.plan_id)
            .order_by(CommentaryRound.id.desc())
        ).first()
        if round_ is None:
            raise NotFound("no commentary round to present; open one with `dhr commentary open`")
        meeting.round_id = round_.id
        audit.append(
            session,
            actor=by,
            action="meeting_round_attached",
            occurred_on=ctx.today(),
            payload={"meeting_id": meeting.id, "round_id": round_.id},
        )


def list_meetings(ctx: AppContext) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        plan = current_plan(session)
        rows = session.scalars(
            select(DeliveryMeeting).where(DeliveryMeeting.plan_id == plan.id).order_by(DeliveryMeeting.starts_at)  # type: ignore[arg-type]
        )
        return [_dict(session, m) for m in rows]


def meeting_dict(session: Session, meeting_id: int) -> dict[str, Any]:
    return _dict(session, _meeting(session, meeting_id))


def _dict(session: Session, m: DeliveryMeeting) -> dict[str, Any]:
    local = m.starts_at.astimezone(LONDON)
    return {
        "id": m.id,
        "theme": m.theme,
        "theme_label": THEME_LABELS[m.theme],
        "starts_at": local,
        "date": local.date(),
        "time": local.strftime("%H:%M"),
        "minutes": m.minutes,
        "location": m.location,
        "uid": m.uid,
        "sequence": m.sequence,
        "cancelled": m.cancelled,
        "round_id": m.round_id,
    }


def invites(ctx: AppContext, meeting_ids: list[int] | None = None) -> bytes:
    """An iCalendar file with the plan's meetings (or the given ones); cancelled ones say so, with the same UID."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//dhr-workflow//Delivery Group meetings//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    with ctx.db.read() as session:
        plan = current_plan(session)
        query = select(DeliveryMeeting).where(DeliveryMeeting.plan_id == plan.id)
        if meeting_ids:
            query = query.where(DeliveryMeeting.id.in_([i for i in meeting_ids if is_id(i)]))  # type: ignore[union-attr]
        found = list(session.scalars(query.order_by(DeliveryMeeting.starts_at)))  # type: ignore[arg-type]
        missing = sorted(set(meeting_ids or ()) - {m.id for m in found})
        if missing:  # an invitation for a meeting that does not exist would silently leave it out
            raise NotFound(f"the plan has no meeting {', '.join(map(str, missing))}")
        for m in found:
            event = Event()
            event.add("uid", m.uid)
            event.add("sequence", m.sequence)
            event.add("dtstamp", datetime.now(UTC))
            event.add("dtstart", m.starts_at.astimezone(UTC))
            event.add("dtend", m.starts_at.astimezone(UTC) + timedelta(minutes=m.minutes))
            event.add("summary", f"Strategic Delivery Group: {THEME_LABELS[m.theme]}")
            event.add("location", m.location)
            event.add("description", f"Themed meeting on {THEME_LABELS[m.theme]}. The agenda pack follows.")
            event.add("status", "CANCELLED" if m.cancelled else "CONFIRMED")
            cal.add_component(event)
    return cal.to_ical()

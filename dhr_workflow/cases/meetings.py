"""Review panel meetings: when one is, what an invitation to it says, and the rules a meeting time must keep.

An invitation is an iTIP message (RFC 5546): a REQUEST for a new or moved meeting, a CANCEL for a called-off one.
Every version of one meeting keeps its UID and carries a higher SEQUENCE, so calendars replace the entry instead of
adding a second one (RFC 5545 §3.8.7.4).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.text import in_supported_range

SHORTEST_MINUTES, LONGEST_MINUTES = 15, 8 * 60


@dataclass(frozen=True)
class Meeting:
    """What an invitation says: the case reference, the time and a link. Never names or case facts."""

    case_ref: str | None
    meeting_key: str  # stable: "panel:3" (the meeting's id), never a date that may move
    starts_at: datetime
    ends_at: datetime
    link: str
    location: str = "See the case page for joining details"
    sequence: int = 0
    cancelled: bool = False


def stable_uid(meeting_key: str, case_ref: str | None) -> str:
    seed = f"{case_ref or '-'}:{meeting_key}".encode()
    return f"{hashlib.sha256(seed).hexdigest()[:32]}@dhr-workflow"


def parse_local_time(value: str, timezone: str, what: str = "--at") -> datetime:
    """`YYYY-MM-DD HH:MM` on the partnership's wall clock (Europe/London), as an aware datetime in UTC."""
    text = value.strip().replace("T", " ")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text):
        raise InvalidInput(f"{what} '{value}' is not a time: use YYYY-MM-DD HH:MM, for example 2026-12-08 10:00")
    try:
        naive = datetime.strptime(text, "%Y-%m-%d %H:%M")
    except ValueError:
        raise InvalidInput(f"{what} '{value}' is not a real date and time (check the day, month and hour)") from None
    zone = ZoneInfo(timezone)
    local = naive.replace(tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise InvalidInput(f"{what} '{value}' does not exist on the clock here (the hour the clocks go forward)")
    return local.astimezone(UTC)


def meeting_span(starts_at: datetime, minutes: int, today: date, timezone: str) -> tuple[datetime, datetime]:
    """The meeting's start and end, if it is not on a day already past and is of a sensible length."""
    if starts_at.tzinfo is None:
        raise InvalidInput("a meeting time needs a time zone")
    in_supported_range(starts_at.date(), "the meeting date")
    if not SHORTEST_MINUTES <= minutes <= LONGEST_MINUTES:
        raise InvalidInput(f"a meeting lasts between {SHORTEST_MINUTES} and {LONGEST_MINUTES} minutes, not {minutes}")
    if local_day(starts_at, timezone) < today:
        raise InvalidInput(f"{local_day(starts_at, timezone).isoformat()} has already passed; give a day from today on")
    return starts_at, starts_at + timedelta(minutes=minutes)


def as_utc(value: datetime) -> datetime:
    """Times are stored in UTC; SQLite hands them back without their zone."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_day(starts_at: datetime, timezone: str) -> date:
    return as_utc(starts_at).astimezone(ZoneInfo(timezone)).date()


def when_text(starts_at: datetime, ends_at: datetime, timezone: str) -> str:
    """'Tuesday 8 December 2026, 10:00 to 12:00 (UK time)' on the partnership's wall clock."""
    zone = ZoneInfo(timezone)
    start, end = as_utc(starts_at).astimezone(zone), as_utc(ends_at).astimezone(zone)
    day = f"{start.strftime('%A')} {start.day} {start.strftime('%B %Y')}"
    label = "UK time" if timezone == "Europe/London" else timezone
    return f"{day}, {start:%H:%M} to {end:%H:%M} ({label})"

"""When reminders may go out: inside DHR_SEND_WINDOW (Europe/London wall-clock time) and, unless
DHR_SEND_ON_WORKING_DAYS_ONLY is false, on working days only. Nobody gets a reminder at 3 a.m. or on Christmas Day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.errors import InvalidInput


@dataclass(frozen=True)
class SendWindow:
    start: time | None
    end: time | None

    def contains(self, moment: time) -> bool:
        if self.start is None or self.end is None:
            return True
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end  # a window across midnight, e.g. 22:00-06:00


def parse_window(text: str) -> SendWindow:
    """`08:00-18:00`, or empty for any time of day."""
    text = (text or "").strip()
    if not text:
        return SendWindow(None, None)
    try:
        start_text, end_text = text.split("-")
        start, end = time.fromisoformat(start_text.strip()), time.fromisoformat(end_text.strip())
    except ValueError:
        raise InvalidInput(
            f"DHR_SEND_WINDOW '{text}' is not a window: use HH:MM-HH:MM (e.g. 08:00-18:00), or empty for any time"
        ) from None
    if start == end:
        raise InvalidInput(f"DHR_SEND_WINDOW '{text}' is empty: the start and end are the same time")
    return SendWindow(start, end)


def may_send_now(
    now: datetime, window: str, working_days_only: bool, cal: WorkingCalendar, tz: str = "Europe/London"
) -> str | None:
    """None when sending is allowed at `now`; otherwise the reason it is not."""
    local = now.astimezone(ZoneInfo(tz))
    if working_days_only and not cal.is_working_day(local.date()):
        return f"{local.date().isoformat()} is not a working day (DHR_SEND_ON_WORKING_DAYS_ONLY)"
    if not parse_window(window).contains(local.time()):
        return f"{local.strftime('%H:%M')} is outside the send window {window} ({tz})"
    return None

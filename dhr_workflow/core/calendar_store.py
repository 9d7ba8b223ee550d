"""The England & Wales working-day calendar: the `holidays` package (GB, subdivision ENG) plus the override table.

The calendar's version names both (package version and a digest of the overrides), and every computed due date
stores it, so a date can be explained months later, and a change of calendar finds the clocks it moves.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.holiday_calendar import Override, calendar_at, calendar_from, package_holidays
from dhr_workflow.core.tables import HolidayOverride
from dhr_workflow.core.text import clean_text, in_supported_range, is_blank

__all__ = ["Override", "calendar_from", "delete_override", "list_overrides", "load_calendar", "put_override"]
_package_holidays = package_holidays  # the per-process layer in front of the disk cache (tests clear it)


def load_calendar(session: Session) -> WorkingCalendar:
    session.flush()  # an override added in this transaction must count; the read below bypasses the ORM
    return calendar_at(session.connection())  # plain Core: read on every step, so keep it cheap


def list_overrides(session: Session) -> list[HolidayOverride]:
    return list(session.scalars(select(HolidayOverride).order_by(HolidayOverride.day)).all())


def put_override(session: Session, day: date, name: str, is_holiday: bool, by: str) -> HolidayOverride:
    in_supported_range(day, "the day")
    if is_blank(name):
        raise InvalidInput("give the holiday a name, for example --name 'State funeral'")
    name = clean_text(name, "the name of the day", 200)
    row = session.scalars(select(HolidayOverride).where(HolidayOverride.day == day)).first()
    if row is None:
        row = HolidayOverride(day=day, name=name.strip(), is_holiday=is_holiday, created_by=by)
        session.add(row)
    else:
        row.name, row.is_holiday = name.strip(), is_holiday
    session.flush()
    return row


def delete_override(session: Session, day: date) -> None:
    row = session.scalars(select(HolidayOverride).where(HolidayOverride.day == day)).first()
    if row is None:
        raise InvalidInput(f"there is no calendar override on {day.isoformat()}")
    session.delete(row)
    session.flush()

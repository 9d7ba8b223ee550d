"""The England & Wales working-day calendar: the `holidays` package (GB, subdivision ENG) plus the override table.

The calendar's version names both (package version and a digest of the overrides), and every computed due date
stores it, so a date can be explained months later, and a change of calendar finds the clocks it moves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.disk_cache import cached
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.tables import HolidayOverride


@lru_cache(maxsize=512)
def _package_holidays(year: int) -> frozenset[date]:
    # `holidays` imports every country it knows (about 0.2 s), so a year's dates are cached on disk under the
    # package's version: a `dhr` command that needs a due date does not pay for the import (issue 17).
    return cached("holidays", f"{_package_version()}|GB|ENG|{year}", lambda: _build_holidays(year))


def _build_holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


@lru_cache(maxsize=1)
def _package_version() -> str:
    from importlib.metadata import version

    return f"holidays-{version('holidays')}"


@dataclass(frozen=True)
class Override:
    day: date
    name: str
    is_holiday: bool


def calendar_from(overrides: list[Override]) -> WorkingCalendar:
    added = {o.day for o in overrides if o.is_holiday}
    removed = {o.day for o in overrides if not o.is_holiday}

    def holidays_for(year: int) -> frozenset[date]:
        return frozenset((_package_holidays(year) | {d for d in added if d.year == year}) - removed)

    digest = hashlib.sha256(
        "".join(f"{o.day.isoformat()}{int(o.is_holiday)}" for o in sorted(overrides, key=lambda o: o.day)).encode()
    ).hexdigest()[:10]
    return WorkingCalendar(holidays_for, version=f"{_package_version()}+overrides-{digest if overrides else 'none'}")


def load_calendar(session: Session) -> WorkingCalendar:
    session.flush()  # an override added in this transaction must count; the read below bypasses the ORM
    rows = session.connection().execute(_OVERRIDES).all()  # plain Core: read on every step, so keep it cheap
    return _calendar_for(tuple(Override(*row) for row in rows))


_OVERRIDES = select(HolidayOverride.day, HolidayOverride.name, HolidayOverride.is_holiday).order_by(HolidayOverride.day)


@lru_cache(maxsize=16)
def _calendar_for(overrides: tuple[Override, ...]) -> WorkingCalendar:
    # The overrides are read every time (another process may have changed them); the calendar built from them is
    # reused, keeping its per-year holiday cache warm.
    return calendar_from(list(overrides))


def list_overrides(session: Session) -> list[HolidayOverride]:
    return list(session.scalars(select(HolidayOverride).order_by(HolidayOverride.day)).all())


def put_override(session: Session, day: date, name: str, is_holiday: bool, by: str) -> HolidayOverride:
    if not name.strip():
        raise InvalidInput("give the holiday a name, for example --name 'State funeral'")
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

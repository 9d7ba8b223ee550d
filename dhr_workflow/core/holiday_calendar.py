"""The working-day calendar from the bank holidays and the override table's rows, without the ORM: the read-only
commands (issue 17) read the overrides with SQLAlchemy Core and never import the table classes. calendar_store is
the ORM side (the same rows as a Session reads them, and the edits)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.disk_cache import cached, installed_version
from dhr_workflow.core.plain_sql import Query

OVERRIDES = Query("dhr_workflow.core.holiday_sql", "OVERRIDES")


@lru_cache(maxsize=512)
def package_holidays(year: int) -> frozenset[date]:
    # `holidays` imports every country it knows (about 0.2 s), so a year's dates are cached on disk under the
    # package's version: a `dhr` command that needs a due date does not pay for the import (issue 17).
    return cached("holidays", f"{package_version()}|GB|ENG|{year}", lambda: _build_holidays(year))


def _build_holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


@lru_cache(maxsize=1)
def package_version() -> str:
    found = installed_version("holidays")  # without importlib.metadata, ~15 ms of a command
    if found is None:
        from importlib.metadata import version

        found = version("holidays")
    return f"holidays-{found}"


@dataclass(frozen=True)
class Override:
    day: date
    name: str
    is_holiday: bool


def calendar_from(overrides: list[Override]) -> WorkingCalendar:
    added = {o.day for o in overrides if o.is_holiday}
    removed = {o.day for o in overrides if not o.is_holiday}

    def holidays_for(year: int) -> frozenset[date]:
        return frozenset((package_holidays(year) | {d for d in added if d.year == year}) - removed)

    digest = hashlib.sha256(
        "".join(f"{o.day.isoformat()}{int(o.is_holiday)}" for o in sorted(overrides, key=lambda o: o.day)).encode()
    ).hexdigest()[:10]
    return WorkingCalendar(holidays_for, version=f"{package_version()}+overrides-{digest if overrides else 'none'}")


@lru_cache(maxsize=16)
def calendar_for(overrides: tuple[Override, ...]) -> WorkingCalendar:
    # The overrides are read every time (another process may have changed them); the calendar built from them is
    # reused, keeping its per-year holiday cache warm.
    return calendar_from(list(overrides))


@lru_cache(maxsize=16)
def calendar_of_days(days: str | None) -> WorkingCalendar:
    """The calendar from the overrides given as text, each `YYYY-MM-DD:1` (a holiday) or `YYYY-MM-DD:0` (not one),
    comma-separated, in any order; None or "" for none. The same calendar, version included, as `calendar_at` gives
    for those rows: a step reads its calendar in this form with its case (cases.case_rows, issue 17)."""
    overrides = [
        Override(date.fromisoformat(day), "", flag == "1")
        for day, flag in (item.split(":") for item in (days or "").split(",") if item)
    ]
    return calendar_from(overrides)


def calendar_at(connection: Any) -> WorkingCalendar:
    """The calendar as the override table has it now (`connection`: SQLAlchemy's, a Session's or a plain one)."""
    rows = OVERRIDES.run(connection).all()
    return calendar_for(tuple(Override(*row) for row in rows))

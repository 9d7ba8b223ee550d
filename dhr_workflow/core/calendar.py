"""Statutory date arithmetic: working days, calendar days and calendar months (PRODUCT.md §3, "Date rules").

The calendar is given the holidays; it never looks them up itself, so it stays pure and reproducible: the same
holidays always give the same due dates, and `version` names that set of holidays.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

HolidaysForYear = Callable[[int], frozenset[date]]


class Unit(StrEnum):
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


@dataclass(frozen=True)
class Period:
    """A statutory period such as "1 month" or "20 working days"."""

    amount: int
    unit: Unit

    def __str__(self) -> str:
        label = {Unit.DAYS: "day", Unit.WORKING_DAYS: "working day", Unit.MONTHS: "month"}[self.unit]
        return f"{self.amount} {label}{'' if self.amount == 1 else 's'}"


@dataclass
class WorkingCalendar:
    """Monday to Friday, less the holidays that `holidays_for_year` gives for each year."""

    holidays_for_year: HolidaysForYear
    version: str = "unversioned"
    _cache: dict[int, frozenset[date]] = field(default_factory=dict, repr=False)

    def holidays(self, year: int) -> frozenset[date]:
        if year not in self._cache:
            self._cache[year] = self.holidays_for_year(year)
        return self._cache[year]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays(day.year)

    def next_working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, count: int) -> date:
        """Count from the day after `start`: day 0 is `start`, whatever day that is."""
        if count < 0:
            raise ValueError("working days must be zero or more")
        day = start
        remaining = count
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day


def add_months(start: date, months: int) -> date:
    """The same day number `months` later, or the last day of that month if it has no such day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def add_period(start: date, period: Period, cal: WorkingCalendar) -> date:
    """The unrolled end of `period` after `start`."""
    if period.unit is Unit.WORKING_DAYS:
        return cal.add_working_days(start, period.amount)
    if period.unit is Unit.DAYS:
        return start + timedelta(days=period.amount)
    return add_months(start, period.amount)

"""Statutory clocks: a due date from a rule, a start date and pauses, with an explanation a person can check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dhr_workflow.core.calendar import Period, Unit, WorkingCalendar, add_period

DUE_SOON_WORKING_DAYS = 5


class ClockStatus(StrEnum):
    RUNNING = "running"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    MET = "met"
    MET_LATE = "met_late"


@dataclass(frozen=True)
class ClockRule:
    period: Period
    roll_to_working_day: bool = True


@dataclass(frozen=True)
class PauseSpan:
    paused_on: date
    resumed_on: date | None  # None while the pause is still open

    def days(self, today: date) -> int:
        return ((self.resumed_on or today) - self.paused_on).days


@dataclass(frozen=True)
class DueDate:
    due: date
    paused_days: int
    explanation: tuple[str, ...]


@dataclass(frozen=True)
class Extension:
    """More time agreed for a clock (for example by the Home Office), in calendar days."""

    days: int
    agreed_by: str


def compute_due(
    rule: ClockRule,
    start: date,
    pauses: list[PauseSpan],
    cal: WorkingCalendar,
    today: date,
    extensions: tuple[Extension, ...] = (),
) -> DueDate:
    """Apply the rule, extend by calendar days paused (an open pause counts up to today) and by agreed extensions,
    rolling again after each."""
    steps = [f"starts {start.isoformat()}"]
    due = add_period(start, rule.period, cal)
    steps.append(f"+ {rule.period} = {due.isoformat()}")
    due = _roll(due, rule, cal, steps)
    paused_days = sum(p.days(today) for p in pauses)
    if paused_days:
        due += timedelta(days=paused_days)
        steps.append(f"+ {paused_days} calendar day(s) paused = {due.isoformat()}")
        due = _roll(due, rule, cal, steps)
    for ext in extensions:
        due += timedelta(days=ext.days)
        steps.append(f"+ {ext.days} calendar day(s) extension agreed by {ext.agreed_by} = {due.isoformat()}")
        due = _roll(due, rule, cal, steps)
    return DueDate(due=due, paused_days=paused_days, explanation=tuple(steps))


def _roll(due: date, rule: ClockRule, cal: WorkingCalendar, steps: list[str]) -> date:
    # A working-days period always ends on a working day, except after a pause adds calendar days.
    if not (rule.roll_to_working_day or rule.period.unit is Unit.WORKING_DAYS):
        return due
    rolled = cal.next_working_day_on_or_after(due)
    if rolled != due:
        steps.append(f"{due.isoformat()} is not a working day: rolled to {rolled.isoformat()}")
    return rolled


def clock_status(due: date, stopped_on: date | None, paused: bool, today: date, cal: WorkingCalendar) -> ClockStatus:
    """Where a clock stands today. Status is derived, never stored, so it cannot go stale."""
    if stopped_on is not None:
        return ClockStatus.MET if stopped_on <= due else ClockStatus.MET_LATE
    if paused:
        return ClockStatus.PAUSED
    if today > due:
        return ClockStatus.OVERDUE
    if cal.add_working_days(today, DUE_SOON_WORKING_DAYS) >= due:
        return ClockStatus.DUE_SOON
    return ClockStatus.RUNNING

"""When to send reminders for a deadline: pure date planning from a rule (offsets in working days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from dhr_workflow.core.calendar import WorkingCalendar


class ReminderRule(Protocol):
    """Read-only view of a rule (the workflow's ReminderRuleDef is a frozen pydantic model)."""

    @property
    def before(self) -> list[int]: ...
    @property
    def on_due_date(self) -> bool: ...
    @property
    def overdue_every(self) -> int | None: ...
    @property
    def escalate_to(self) -> list[str]: ...


@dataclass(frozen=True, order=True)
class PlannedSend:
    send_on: date
    rule: str


def subtract_working_days(cal: WorkingCalendar, day: date, count: int) -> date:
    while count:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            count -= 1
    return day


def plan_sends(deadline: date, rule: ReminderRule, cal: WorkingCalendar) -> list[PlannedSend]:
    """Before, on the day, the first overdue reminder and the escalation after it.

    Later overdue reminders (every N working days) are planned by the sweep once the previous one is sent, so a
    deadline never holds an unbounded list of rows.
    """
    sends = [PlannedSend(subtract_working_days(cal, deadline, n), f"before:{n}") for n in sorted(set(rule.before))]
    if rule.on_due_date:
        sends.append(PlannedSend(deadline, "due"))
    if rule.overdue_every:
        first_overdue = cal.add_working_days(deadline, 1)
        sends.append(PlannedSend(first_overdue, "overdue:1"))
        if rule.escalate_to:
            sends.append(PlannedSend(first_overdue, "escalation"))
    return sorted(sends)

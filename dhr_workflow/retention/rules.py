"""Pure rules of retention: the kinds of record a schedule may name, what their period counts from, which actions
each allows, and period arithmetic. Standard library only."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

ANONYMISE, DELETE = "anonymise", "delete"


@dataclass(frozen=True)
class Kind:
    name: str
    after: str  # the event the period counts from
    actions: tuple[str, ...]
    label: str


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("working_documents", "case_closed", (DELETE,), "draft and working document versions"),
        Kind("task_files", "case_closed", (DELETE,), "files uploaded to tasks"),
        Kind("evidence_files", "case_closed", (DELETE,), "agency evidence files"),
        Kind("chronology_entries", "case_closed", (DELETE,), "chronology entries"),
        Kind("family_contacts", "case_closed", (DELETE,), "family contact log entries"),
        Kind("family_members", "case_closed", (ANONYMISE,), "family members' involvement details"),
        Kind("parties", "case_closed", (ANONYMISE,), "real names and details of the people in a case"),
        Kind("access_requests", "request_settled", (ANONYMISE, DELETE), "accessible-format requests"),
        Kind("leavers", "account_deactivated", (ANONYMISE,), "accounts of people who left"),
        Kind("in_app_notifications", "notification_created", (DELETE,), "in-app notifications"),
        Kind("delivery_ledger", "reminder_created", (DELETE,), "settled reminders and their delivery attempts"),
    )
}

UNITS = {"year": "years", "years": "years", "month": "months", "months": "months", "day": "days", "days": "days"}
LIMITS = {"years": 150, "months": 1800, "days": 55000}
_PERIOD = re.compile(r"(\d{1,5}) ([a-z]+)")


@dataclass(frozen=True)
class Period:
    count: int
    unit: str  # years, months, days

    def __str__(self) -> str:
        return f"{self.count} {self.unit if self.count != 1 else self.unit[:-1]}"

    def due_after(self, start: date) -> date:
        """The day a record whose period started on `start` falls due (29 February + 1 year is 28 February)."""
        if self.unit == "days":
            return start + timedelta(days=self.count)
        months = self.count * 12 if self.unit == "years" else self.count
        year, month = divmod(start.month - 1 + months, 12)
        year += start.year
        return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def parse_period(text: object) -> Period:
    """'6 years', '18 months', '30 days'. Raises ValueError naming what is wrong."""
    found = _PERIOD.fullmatch(str(text).strip().lower()) if isinstance(text, str | int) else None
    if found is None or found.group(2) not in UNITS:
        raise ValueError(f"the period '{text}' is not like '6 years', '18 months' or '30 days'")
    count, unit = int(found.group(1)), UNITS[found.group(2)]
    if not 1 <= count <= LIMITS[unit]:
        raise ValueError(f"the period '{text}' must be between 1 and {LIMITS[unit]} {unit}")
    return Period(count, unit)

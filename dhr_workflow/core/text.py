"""Hostile-input hygiene for free text and dates typed by people."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from dhr_workflow.core.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str, what: str, max_length: int, required: bool = True) -> str:
    text = unicodedata.normalize("NFC", value).strip()
    if _CONTROL.search(text):
        raise InvalidInput(f"{what} contains control characters; type plain text")
    if required and not text:
        raise InvalidInput(f"{what} is required")
    if len(text) > max_length:
        raise InvalidInput(f"{what} is {len(text)} characters long; the limit is {max_length}")
    return text


def parse_date(value: str, what: str) -> date:
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise InvalidInput(f"{what} '{value}' is not a date: use YYYY-MM-DD, for example 2026-04-07")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what} '{value}' is not a real date (check the day and month)") from None


def not_in_future(day: date, today: date, what: str) -> date:
    if day > today:
        raise InvalidInput(
            f"{what} {day.isoformat()} is in the future (today is {today.isoformat()}); "
            "record things once they have happened"
        )
    return day


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def long_date(day: date) -> str:
    """A date the GOV.UK way: 1 December 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """A date for tables: 1 Dec 2026."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"

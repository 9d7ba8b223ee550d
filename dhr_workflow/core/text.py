"""Hostile-input hygiene for free text and dates typed by people."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from dhr_workflow.core.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Line breaks of every kind (and tabs): refused in single-line fields.
_LINE_BREAK = re.compile(r"[\t\n\r\x85\u2028\u2029]")
# Bidirectional embeddings, overrides and isolates make text display differently from what it says ("Trojan
# Source"): refused everywhere. Marks (U+200E, U+200F) stay: right-to-left scripts need them.
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Characters that show nothing on their own: a value made only of these (and spaces) is empty.
_INVISIBLE_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
SINGLE_LINE_UP_TO = 300  # fields this short are single-line unless the caller says otherwise

EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
MAX_ID = 2**31 - 1  # the largest value an integer id column holds on every supported database


def is_id(value: int) -> bool:
    """Whether a typed number could name a row at all. Beyond the column's range it names nothing, and the database
    driver would raise instead of finding nothing (SQLite: "Python int too large"), so callers report it not found."""
    return 0 < value <= MAX_ID


def is_blank(text: str) -> bool:
    """True when nothing in `text` would show: spaces, zero-width and format characters, fillers."""
    return all(
        ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me") or ch in _INVISIBLE_EXTRA
        for ch in text
    )


def clean_text(value: str, what: str, max_length: int, required: bool = True, single_line: bool | None = None) -> str:
    """Typed text, checked as hostile input. Control characters and bidirectional overrides are refused; single-line
    fields (by default those of at most SINGLE_LINE_UP_TO characters) also refuse line breaks and tabs; a value of
    only invisible characters counts as empty."""
    text = unicodedata.normalize("NFC", value).strip()
    if _CONTROL.search(text):
        raise InvalidInput(f"{what} contains control characters; type plain text")
    if _BIDI_CONTROL.search(text):
        raise InvalidInput(f"{what} contains a hidden text-direction control character; type plain text")
    if (max_length <= SINGLE_LINE_UP_TO if single_line is None else single_line) and _LINE_BREAK.search(text):
        raise InvalidInput(f"{what} must be on one line: remove the line breaks or tabs")
    if is_blank(text):
        text = ""
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
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what} '{value}' is not a real date (check the day and month)") from None
    return in_supported_range(day, what)


def in_supported_range(day: date, what: str) -> date:
    """Dates outside 1900-2100 are typing mistakes here (and would overflow date arithmetic near year 9999)."""
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise InvalidInput(
            f"{what} {day.isoformat()} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}: check the year"
        )
    return day


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

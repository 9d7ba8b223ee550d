"""Pure rules for chronologies: checking each row of an agency's file, ordering the merged chronology, and spotting
likely duplicates (the same day, near-identical text, two agencies). Standard library only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from difflib import SequenceMatcher

HEADERS = ("Date", "Time", "Agency", "Event", "Source")
REQUIRED = ("Date", "Event")
MAX_EVENT = 4000
MAX_SOURCE = 300
SIMILAR = 0.9  # how alike two events' words must be to flag a likely duplicate


@dataclass(frozen=True)
class Row:
    number: int
    on: date
    at: str | None
    event: str
    source: str


@dataclass(frozen=True)
class RowError:
    number: int
    problem: str

    def __str__(self) -> str:
        return f"row {self.number}: {self.problem}"


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def parse_date_cell(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)  # the UK's day/month/year, as people type it
    if match:
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return None


def parse_time_cell(value: object) -> tuple[bool, str | None]:
    """(ok, HH:MM or None for no time)."""
    if value is None or _text(value) == "":
        return True, None
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, time):
        return True, f"{value.hour:02d}:{value.minute:02d}"
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", _text(value))
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return True, f"{int(match[1]):02d}:{match[2]}"
    return False, None


def check_row(number: int, cells: dict[str, object], today: date) -> Row | list[RowError]:
    """One data row, or what is wrong with it (every problem, not just the first)."""
    problems: list[str] = []
    raw_date = cells.get("Date")
    on = parse_date_cell(raw_date)
    if _text(raw_date) == "":
        problems.append("the date is empty")
    elif on is None:
        problems.append(f"the date '{_text(raw_date)[:40]}' is not a date (use YYYY-MM-DD, for example 2024-03-07)")
    elif on > today:
        problems.append(f"the date {on.isoformat()} is in the future")
    ok, at = parse_time_cell(cells.get("Time"))
    if not ok:
        problems.append(f"the time '{_text(cells.get('Time'))[:20]}' is not a time (use HH:MM, for example 14:30)")
    event = " ".join(_text(cells.get("Event")).split())
    if not event:
        problems.append("the event is empty (say what happened)")
    elif len(event) > MAX_EVENT:
        problems.append(f"the event is {len(event)} characters long; the limit is {MAX_EVENT}")
    source = _text(cells.get("Source"))
    if len(source) > MAX_SOURCE:
        problems.append(f"the source is {len(source)} characters long; the limit is {MAX_SOURCE}")
    if problems or on is None:
        return [RowError(number, p) for p in problems]
    return Row(number, on, at, event, source)


def is_blank(cells: dict[str, object]) -> bool:
    return all(_text(v) == "" for v in cells.values())


def order_key(on: date, at: str | None, agency: str, entry_id: int) -> tuple[date, str, str, int]:
    """Date, then time (entries without a time first on their day), then agency."""
    return (on, at or "", agency.lower(), entry_id)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def likely_duplicates(entries: list[tuple[int, date, str, str]]) -> dict[int, int]:
    """For (id, date, agency, event) in merged order: each entry that looks like an earlier one from another agency
    on the same day, mapped to that earlier entry's id."""
    by_day: dict[date, list[tuple[int, str, str]]] = {}
    found: dict[int, int] = {}
    for entry_id, on, agency, event in entries:
        words = _words(event)
        for earlier_id, earlier_agency, earlier_words in by_day.get(on, []):
            if earlier_agency != agency and SequenceMatcher(None, words, earlier_words).ratio() >= SIMILAR:
                found[entry_id] = earlier_id
                break
        by_day.setdefault(on, []).append((entry_id, agency, words))
    return found

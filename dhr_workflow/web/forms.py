"""Reading form values into typed ones, collecting GOV.UK-style errors (text + the field they link to) instead of
stopping at the first. Every error is worded with the field's label, as the GOV.UK Design System asks, and links to
the field it is about (for a date input, its day box: templates/web/_form_macros.html gives it the field's id)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dhr_workflow.core.errors import DhrError, InvalidInput
from dhr_workflow.core.text import EARLIEST_YEAR, LATEST_YEAR, in_supported_range, parse_date

_COMMAND = re.compile(r"[^.;:(]*(`dhr [^`]*`|--[a-z][a-z_-]*\b)[^.;)]*[.;)]?")


def without_commands(message: str) -> str:
    """A service's message as a page may show it: services word their advice for the command line (`dhr case set
    ...`, `--set KEY=...`), and no page ever shows a command line, so those clauses are left out."""
    kept = _COMMAND.sub("", message)
    kept = re.sub(r"\s+([.;,])", r"\1", re.sub(r"\s{2,}", " ", kept))
    kept = re.sub(r"\.{2,}", ".", re.sub(r"[;,:]\s*\.+", ".", kept)).strip(" ;,:(")
    return kept or "That cannot be done here. Ask the case coordinator."


@dataclass
class Errors:
    items: list[dict[str, str]] = field(default_factory=list)

    def add(self, field_id: str, text: str) -> None:
        text = without_commands(text)
        self.items.append({"text": text[:1].upper() + text[1:], "href": f"#{field_id}"})

    def for_field(self, field_id: str) -> str | None:
        return next((e["text"] for e in self.items if e["href"] == f"#{field_id}"), None)

    def __bool__(self) -> bool:
        return bool(self.items)


def date_parts(form: dict[str, str], name: str, what: str, errors: Errors) -> date | None:
    """A GOV.UK date input (name-day, name-month, name-year) as a date, or an error naming what is wrong."""
    day, month, year = (form.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year"))
    if not (day or month or year):
        errors.add(f"{name}-day", f"Enter {what}")
        return None
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
        errors.add(f"{name}-day", f"{what.capitalize()} must be a real date, for example 27 3 2026")
        return None
    try:
        return in_supported_range(date(int(year), int(month), int(day)), what)
    except InvalidInput as err:
        errors.add(f"{name}-day", str(err))
        return None
    except ValueError:
        errors.add(f"{name}-day", f"{what.capitalize()} must be a real date, for example 27 3 2026")
        return None


def date_input(
    form: dict[str, str],
    name: str,
    field_id: str,
    label: str,
    errors: Errors,
    *,
    required: bool = False,
    today: date | None = None,
) -> date | None:
    """A date from a GOV.UK date input posted as name-day, name-month and name-year (a client that posts one
    YYYY-MM-DD value under `name` is understood too). Errors use the field's `label` and link to `field_id`, the
    day box. With `today`, a date after it is refused: things are recorded once they have happened."""
    parts = [form.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]
    single = form.get(name, "").strip()
    what = label[:1].upper() + label[1:]
    if not any(parts):
        if single:
            try:
                found: date | None = parse_date(single, label)
            except InvalidInput:
                errors.add(field_id, f"{what} must be a real date, for example 27 3 2026")
                return None
        else:
            if required:
                errors.add(field_id, f"Enter {label[:1].lower() + label[1:]}")
            return None
    else:
        found = _from_parts(parts, field_id, what, errors)
    if found is not None and today is not None and found > today:
        errors.add(field_id, f"{what} must be today or in the past")
        return None
    return found


def _from_parts(parts: list[str], field_id: str, what: str, errors: Errors) -> date | None:
    missing = [name for name, value in zip(("day", "month", "year"), parts, strict=True) if not value]
    if missing:
        errors.add(field_id, f"{what} must include a {' and a '.join(missing)}")
        return None
    day, month, year = parts
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
        errors.add(field_id, f"{what} must be a real date, for example 27 3 2026")
        return None
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        errors.add(field_id, f"{what} must be a real date, for example 27 3 2026")
        return None
    if not EARLIEST_YEAR <= found.year <= LATEST_YEAR:  # a mistyped year; 9999 would also overflow date arithmetic
        errors.add(field_id, f"{what} must be in a year from {EARLIEST_YEAR} to {LATEST_YEAR}")
        return None
    return found


def whole_number(value: str | None, field_id: str, what: str, errors: Errors) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 3:
        errors.add(field_id, f"{what} must be a whole number, like 34")
        return None
    return int(text)


def service_error(err: DhrError, field_id: str, errors: Errors) -> Errors:
    errors.add(field_id, str(err).strip())
    return errors

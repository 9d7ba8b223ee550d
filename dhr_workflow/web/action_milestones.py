"""The milestone rows of the add-an-action form: each row is the milestone's text (milestone-N) and an optional due
date as a GOV.UK date input (milestone-N-due-day, -month, -year), as `dhr action add --milestone 'text@date'` takes
them. The form shows a few empty rows beyond those already typed, up to MAX_MILESTONES."""

from __future__ import annotations

from datetime import date

from dhr_workflow.web.forms import Errors, date_input

MAX_MILESTONES = 20
EMPTY_ROWS = 3


def _typed(form: dict[str, str], n: int) -> bool:
    return any(form.get(f"milestone-{n}{part}", "").strip() for part in ("", "-due-day", "-due-month", "-due-year"))


def milestone_rows(form: dict[str, str]) -> list[int]:
    """The row numbers to show: every row with something typed in it, then a few empty ones."""
    last = max((n for n in range(1, MAX_MILESTONES + 1) if _typed(form, n)), default=0)
    return list(range(1, min(MAX_MILESTONES, last + EMPTY_ROWS) + 1))


def read_milestones(form: dict[str, str], errors: Errors) -> list[tuple[str, date | None]]:
    """The milestones in row order, empty rows left out; a due date without its milestone is an error on the row."""
    found: list[tuple[str, date | None]] = []
    for n in range(1, MAX_MILESTONES + 1):
        if not _typed(form, n):
            continue
        text = form.get(f"milestone-{n}", "").strip()
        due = date_input(
            form, f"milestone-{n}-due", f"action-milestone-{n}-due", f"the due date of milestone {n}", errors
        )
        if not text:
            errors.add(f"action-milestone-{n}", f"Enter milestone {n}, or clear its due date")
            continue
        found.append((text, due))
    return found

"""`dhr calendar`: due dates under the statutory date rules, and one-off bank holidays."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, fail, print_json, req_date

if TYPE_CHECKING:
    from dhr_workflow.cases.clocks import ClockMove

app = typer.Typer(help="Working days, due dates and bank-holiday overrides.", no_args_is_help=True)


@command(app, "due")
def due(
    start: str,
    days: int | None = typer.Option(None, "--days"),
    working_days: int | None = typer.Option(None, "--working-days"),
    months: int | None = typer.Option(None, "--months"),
    no_roll: bool = typer.Option(False, "--no-roll", help="Do not roll a days/months date to a working day."),
    as_json: bool = JsonOption,
) -> None:
    """The due date N days, working days or months after START, with how it was worked out."""
    from dhr_workflow.core.calendar import Period, Unit
    from dhr_workflow.core.calendar_store import load_calendar
    from dhr_workflow.core.clocks import ClockRule, compute_due

    given = [
        (n, u)
        for n, u in ((days, Unit.DAYS), (working_days, Unit.WORKING_DAYS), (months, Unit.MONTHS))
        if n is not None
    ]
    if len(given) != 1:
        fail("give exactly one of --days, --working-days or --months", 2)
    amount, unit = given[0]
    if amount < 0:
        fail("the number must be zero or more", 2)
    limit = {Unit.DAYS: 36_500, Unit.WORKING_DAYS: 26_000, Unit.MONTHS: 1_200}[unit]
    if amount > limit:
        fail(f"{amount} is too many: give at most {limit} (about a hundred years)", 2)
    begin = req_date(start, "START")
    with app_context().db.read() as session:
        cal = load_calendar(session)
    result = compute_due(ClockRule(Period(amount, unit), not no_roll), begin, [], cal, begin)
    if as_json:
        print_json(
            {
                "start": begin.isoformat(),
                "due": result.due.isoformat(),
                "rule": str(Period(amount, unit)),
                "calendar_version": cal.version,
                "explanation": list(result.explanation),
            }
        )
        return
    print(result.due.isoformat())  # noqa: T201 - the answer
    for step in result.explanation:
        console().print(f"  {step}", highlight=False)


@command(app, "holidays")
def holidays(year: int = typer.Option(..., "--year"), as_json: bool = JsonOption) -> None:
    """England & Wales bank holidays for a year, with any overrides applied."""
    from dhr_workflow.core.calendar_store import load_calendar

    with app_context().db.read() as session:
        cal = load_calendar(session)
    days = sorted(cal.holidays(year))
    if as_json:
        print_json({"year": year, "calendar_version": cal.version, "holidays": [d.isoformat() for d in days]})
        return
    for d in days:
        print(d.isoformat(), d.strftime("%A"))  # noqa: T201


@command(app, "add")
def add(day: str, name: str = typer.Option(..., "--name"), by: str = typer.Option("system", "--by")) -> None:
    """Add a one-off bank holiday; open clocks are recomputed and those that move are listed."""
    _change(day, name, True, by)


@command(app, "cancel")
def cancel(day: str, name: str = typer.Option(..., "--name"), by: str = typer.Option("system", "--by")) -> None:
    """Mark a day as a working day even though the holidays package lists it."""
    _change(day, name, False, by)


@command(app, "remove")
def remove(day: str, by: str = typer.Option("system", "--by")) -> None:
    """Remove an override added with `add` or `cancel`."""
    from dhr_workflow.cases.calendar_changes import remove_override

    _report(remove_override(app_context(), req_date(day, "DAY"), by))


def _change(day: str, name: str, is_holiday: bool, by: str) -> None:
    from dhr_workflow.cases.calendar_changes import set_override

    _report(set_override(app_context(), req_date(day, "DAY"), name, is_holiday, by))


def _report(moves: list[ClockMove]) -> None:
    out = console()
    out.print(f"Calendar changed; {len(moves)} open clock(s) moved.")
    for m in moves:
        out.print(f"  {m.ref} {m.clock}: {m.old_due} -> {m.new_due}")

"""Reading cases with SQLAlchemy Core: the case list, and a case's row by reference, without the ORM (issue 17).

`dhr case list` and `dhr docs list` run these in a fresh process for every call, where importing the table
classes (SQLModel, pydantic) and configuring the mappers cost several times the query. The ORM services call the
same functions on their session's connection, so there is one query, not two. The statements are in
cases.read_sql; on SQLite the command line runs them as cached SQL text, without SQLAlchemy (core.plain_sql).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.clocks import ClockStatus, clock_status
from dhr_workflow.core.context import AppContext, ReadContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.holiday_calendar import calendar_at
from dhr_workflow.core.plain_sql import Query, read_connection

LATE = (ClockStatus.OVERDUE,)
SQL = "dhr_workflow.cases.read_sql"
ALL_CASES, CASES_IN_STATE = Query(SQL, "ALL_CASES"), Query(SQL, "CASES_IN_STATE")
CASE_BY_REF, OPEN_CLOCKS = Query(SQL, "CASE_BY_REF"), Query(SQL, "OPEN_CLOCKS")


class Viewer(Protocol):
    """Who is looking (people.tables.User): their partnership, id and role decide which cases they see."""

    id: int | None
    partnership_id: int
    role: str


@dataclass(frozen=True)
class CaseRow:
    id: int
    ref: str
    state: str
    fields: dict[str, Any]


def find_case(connection: Any, ref: str) -> CaseRow:
    """The case `ref` (any case, any partnership: the command line acts as the system, as `load_case` does)."""
    row = CASE_BY_REF.run(connection, {"ref": ref.strip().upper()}).first()
    if row is None:
        raise NotFound(f"no case {ref}; `dhr case list` shows the cases you can see")
    return CaseRow(row.id, row.ref, row.state, dict(row.fields or {}))


def list_cases(
    ctx: ReadContext, *, state: str | None = None, overdue: bool = False, viewer: Viewer | None = None
) -> list[dict[str, Any]]:
    """Every case `viewer` may see (all of them for the system), with its stage and next statutory deadline."""
    today = ctx.today()
    if state:
        check_state(ctx, state)
    with read_connection(ctx.engine) as connection:
        cal = calendar_at(connection)
        cases = _visible(connection, viewer, state)
        open_clocks: dict[int, list[Any]] = {}
        if cases:
            for clock in OPEN_CLOCKS.run(connection):
                open_clocks.setdefault(clock.case_id, []).append(clock)
        rows = [case_summary(c, open_clocks.get(c.id, []), ctx, cal, today) for c in cases]
    return [r for r in rows if r["overdue"]] if overdue else rows


def _visible(connection: Any, viewer: Viewer | None, state: str | None) -> list[Any]:
    params = {"state": state} if state else {}
    if viewer is None:  # the command line's (and the plain runner's) two fixed statements
        return (CASES_IN_STATE if state else ALL_CASES).run(connection, params).all()
    from dhr_workflow.cases.read_sql import visible

    return connection.execute(visible(viewer, bool(state)), params).all()  # type: ignore[no-any-return]


def case_summary(
    case: Any, open_clocks: list[Any], ctx: ReadContext | AppContext, cal: WorkingCalendar, today: date
) -> dict[str, Any]:
    """One line of the case list. `case` and `open_clocks` are rows (or ORM objects) with the columns above."""
    definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
    statuses = [(c, clock_status(c.due_on, None, c.paused, today, cal)) for c in open_clocks]
    running = sorted((c for c, s in statuses if s is not ClockStatus.PAUSED), key=lambda c: c.due_on)
    return {
        "ref": case.ref,
        "review_type": case.review_type,
        "state": case.state,
        "state_label": definition.states[case.state].label,
        "stage": definition.states[case.state].stage,
        "notified_date": case.notified_date.isoformat(),
        "next_due": {"clock": running[0].name, "due": running[0].due_on.isoformat()} if running else None,
        "overdue": any(s in LATE for _, s in statuses),
        "clocks": {c.name: s.value for c, s in statuses},
    }


def known_states(ctx: ReadContext | AppContext) -> list[str]:
    """Every state of every installed workflow definition."""
    return sorted({s for d in ctx.workflows.definitions.values() for s in d.states})


def check_state(ctx: ReadContext | AppContext, state: str) -> str:
    """A state filter must name a state some workflow has; otherwise the error lists the valid ones."""
    valid = known_states(ctx)
    if state not in valid:
        raise InvalidInput(f"'{state[:60]}' is not a state; states: {', '.join(valid)}")
    return state

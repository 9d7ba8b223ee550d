"""Reading cases with SQLAlchemy Core: the case list, and a case's row by reference, without the ORM (issue 17).

`dhr case list` and `dhr docs list` run these in a fresh process for every call, where importing the table
classes (SQLModel, pydantic) and configuring the mappers cost several times the query. The ORM services call the
same functions on their session's connection, so there is one query, not two. The tables here name only the
columns read; tests/unit/test_read_models.py checks them against the ORM tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import JSON, Boolean, Connection, Date, Integer, String, bindparam, column, select, table

from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.clocks import ClockStatus, clock_status
from dhr_workflow.core.context import AppContext, ReadContext
from dhr_workflow.core.engines import read_connection
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.holiday_calendar import calendar_at
from dhr_workflow.people.roles import sees_only_own_cases

LATE = (ClockStatus.OVERDUE,)

CASES = table(
    "review_case",
    column("id", Integer),
    column("partnership_id", Integer),
    column("ref", String),
    column("review_type", String),
    column("workflow_name", String),
    column("workflow_version", String),
    column("state", String),
    column("notified_date", Date),
    column("fields", JSON),
)
CLOCKS = table(
    "clock",
    column("id", Integer),
    column("case_id", Integer),
    column("name", String),
    column("due_on", Date),
    column("paused", Boolean),
    column("stopped_on", Date),
)
MEMBERS = table("case_member", column("case_id", Integer), column("user_id", Integer))

LIST_COLUMNS = (
    CASES.c.id,
    CASES.c.ref,
    CASES.c.review_type,
    CASES.c.state,
    CASES.c.workflow_name,
    CASES.c.workflow_version,
    CASES.c.notified_date,
)
# Built once: building a statement costs ten times running it (bench/main_path.py; issue 17).
_CASE_BY_REF = select(CASES.c.id, CASES.c.ref, CASES.c.state, CASES.c.fields).where(CASES.c.ref == bindparam("ref"))
_OPEN_CLOCKS = (
    select(CLOCKS.c.case_id, CLOCKS.c.name, CLOCKS.c.due_on, CLOCKS.c.paused)
    .where(CLOCKS.c.stopped_on.is_(None))
    # The order SQLite's open-clock index (stopped_on, paused, due_on, case_id) always gave them in, now said:
    # a case's `clocks` (a JSON object) keeps its key order, and PostgreSQL, which had no index order, gets it too.
    .order_by(CLOCKS.c.paused, CLOCKS.c.due_on, CLOCKS.c.case_id, CLOCKS.c.id)
)


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


def find_case(connection: Connection, ref: str) -> CaseRow:
    """The case `ref` (any case, any partnership: the command line acts as the system, as `load_case` does)."""
    row = connection.execute(_CASE_BY_REF, {"ref": ref.strip().upper()}).first()
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
        cases = connection.execute(_visible(viewer, state)).all()
        open_clocks: dict[int, list[Any]] = {}
        if cases:
            for clock in connection.execute(_OPEN_CLOCKS):
                open_clocks.setdefault(clock.case_id, []).append(clock)
        rows = [case_summary(c, open_clocks.get(c.id, []), ctx, cal, today) for c in cases]
    return [r for r in rows if r["overdue"]] if overdue else rows


def _visible(viewer: Viewer | None, state: str | None) -> Any:
    query = select(*LIST_COLUMNS).order_by(CASES.c.ref)
    if state:
        query = query.where(CASES.c.state == state)
    if viewer is not None:
        query = query.where(CASES.c.partnership_id == viewer.partnership_id)
        if sees_only_own_cases(viewer.role):
            query = query.where(CASES.c.id.in_(select(MEMBERS.c.case_id).where(MEMBERS.c.user_id == viewer.id)))
    return query


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

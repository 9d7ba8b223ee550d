"""The case list's and a case's row's statements, in SQLAlchemy Core (cases.read_model runs them; core.plain_sql
runs them without SQLAlchemy on SQLite). The tables name only the columns read; tests/unit/test_read_models.py
checks them against the ORM tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, Select, String, bindparam, column, select, table

from dhr_workflow.people.roles import sees_only_own_cases

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


def visible(viewer: Any, by_state: bool) -> Select[Any]:
    """The cases `viewer` may see (all of them for None, the system), of the state bound as `state` if `by_state`."""
    query = select(*LIST_COLUMNS).order_by(CASES.c.ref)
    if by_state:
        query = query.where(CASES.c.state == bindparam("state"))
    if viewer is not None:
        query = query.where(CASES.c.partnership_id == viewer.partnership_id)
        if sees_only_own_cases(viewer.role):
            query = query.where(CASES.c.id.in_(select(MEMBERS.c.case_id).where(MEMBERS.c.user_id == viewer.id)))
    return query


# Built once: building a statement costs ten times running it (bench/main_path.py; issue 17).
ALL_CASES = visible(None, False)
CASES_IN_STATE = visible(None, True)
CASE_BY_REF = select(CASES.c.id, CASES.c.ref, CASES.c.state, CASES.c.fields).where(CASES.c.ref == bindparam("ref"))
OPEN_CLOCKS = (
    select(CLOCKS.c.case_id, CLOCKS.c.name, CLOCKS.c.due_on, CLOCKS.c.paused)
    .where(CLOCKS.c.stopped_on.is_(None))
    # The order SQLite's open-clock index (stopped_on, paused, due_on, case_id) always gave them in, now said:
    # a case's `clocks` (a JSON object) keeps its key order, and PostgreSQL, which had no index order, gets it too.
    .order_by(CLOCKS.c.paused, CLOCKS.c.due_on, CLOCKS.c.case_id, CLOCKS.c.id)
)

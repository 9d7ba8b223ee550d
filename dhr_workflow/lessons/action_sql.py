"""The `open_actions` fact's statement, in SQLAlchemy Core (lessons.action_counts runs it; core.plain_sql runs it
without SQLAlchemy on SQLite)."""

from __future__ import annotations

from sqlalchemy import Date, Integer, String, bindparam, column, func, select, table

from dhr_workflow.lessons.rules import OPEN_STATUSES

ACTIONS = table("plan_action", column("case_id", Integer), column("status", String), column("handed_over_on", Date))
OPEN_ACTIONS = (  # built once: building a statement costs ten times running it (issue 17)
    select(func.count())
    .select_from(ACTIONS)
    .where(
        ACTIONS.c.case_id == bindparam("case_id"),
        ACTIONS.c.status.in_(sorted(OPEN_STATUSES)),
        ACTIONS.c.handed_over_on.is_(None),
    )
)

"""The `open_actions` fact with SQLAlchemy Core (no ORM tables): `dhr case show` reads it without the lessons
tables, and `lessons.case_link`'s ORM provider reads it through this same query (issue 17)."""

from __future__ import annotations

from sqlalchemy import Date, Integer, String, bindparam, column, func, select, table

from dhr_workflow.cases.core_facts import Reader, add_core_fact
from dhr_workflow.lessons.rules import OPEN_STATUSES

ACTIONS = table("plan_action", column("case_id", Integer), column("status", String), column("handed_over_on", Date))
_OPEN_ACTIONS = (  # built once: building a statement costs ten times running it (issue 17)
    select(func.count())
    .select_from(ACTIONS)
    .where(
        ACTIONS.c.case_id == bindparam("case_id"),
        ACTIONS.c.status.in_(sorted(OPEN_STATUSES)),
        ACTIONS.c.handed_over_on.is_(None),
    )
)


def open_actions(db: Reader, case_id: int) -> int:
    """Open actions from this review that the Delivery Plan has not taken over yet."""
    return db.scalar(_OPEN_ACTIONS, {"case_id": case_id}) or 0


add_core_fact("open_actions", open_actions)

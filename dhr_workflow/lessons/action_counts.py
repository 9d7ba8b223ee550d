"""The `open_actions` fact with SQLAlchemy Core (no ORM tables): `dhr case show` reads it without the lessons
tables, and `lessons.case_link`'s ORM provider reads it through this same query (issue 17)."""

from __future__ import annotations

from dhr_workflow.cases.core_facts import Reader, add_core_fact
from dhr_workflow.core.plain_sql import Query

OPEN_ACTIONS = Query("dhr_workflow.lessons.action_sql", "OPEN_ACTIONS")


def open_actions(db: Reader, case_id: int) -> int:
    """Open actions from this review that the Delivery Plan has not taken over yet."""
    return OPEN_ACTIONS.scalar(db, {"case_id": case_id}) or 0


add_core_fact("open_actions", open_actions)

"""The `accuracy_problem` fact with SQLAlchemy Core (no ORM tables): `dhr case show` reads it without the accuracy
tables, and `accuracy.case_link`'s ORM provider reads it through this same query (issue 17)."""

from __future__ import annotations

from dhr_workflow.accuracy.rules import panel_problem
from dhr_workflow.cases.core_facts import Reader, add_core_fact
from dhr_workflow.core.plain_sql import Query

LATEST_ROUND = Query("dhr_workflow.accuracy.problem_sql", "LATEST_ROUND")


def accuracy_problem(db: Reader, case_id: int) -> str | None:
    """Why the panel cannot agree the final draft yet (None: it can), from the case's latest round."""
    latest = LATEST_ROUND.run(db, {"case_id": case_id}).first()
    return panel_problem(latest is not None, latest.awaited if latest else 0, latest.due_on if latest else None)


add_core_fact("accuracy_problem", accuracy_problem)

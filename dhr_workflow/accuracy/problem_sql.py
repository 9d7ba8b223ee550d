"""The `accuracy_problem` fact's statement, in SQLAlchemy Core (accuracy.problem_facts runs it; core.plain_sql
runs it without SQLAlchemy on SQLite)."""

from __future__ import annotations

from sqlalchemy import Date, Integer, String, bindparam, column, func, select, table

ROUND = table("accuracy_round", *(column(n, Integer) for n in ("id", "case_id")), column("due_on", Date))
RECIPIENT = table("accuracy_recipient", column("round_id", Integer), column("status", String))
_AWAITED = (
    select(func.count())
    .select_from(RECIPIENT)
    .where(RECIPIENT.c.round_id == ROUND.c.id, RECIPIENT.c.status == "awaited")
    .scalar_subquery()
)
# The case's latest round (the highest id, as accuracy.rounds.latest_round) with its awaited answers; no row: none.
LATEST_ROUND = (  # built once: building a statement costs ten times running it (issue 17)
    select(ROUND.c.due_on, _AWAITED.label("awaited"))
    .where(ROUND.c.case_id == bindparam("case_id"))
    .order_by(ROUND.c.id.desc())
    .limit(1)
)

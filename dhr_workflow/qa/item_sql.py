"""The `qa_items_open` fact's statement, in SQLAlchemy Core (qa.item_counts runs it; core.plain_sql runs it
without SQLAlchemy on SQLite)."""

from __future__ import annotations

from sqlalchemy import Integer, String, bindparam, column, func, select, table

QA_ROUND = table("qa_round", *(column(n, Integer) for n in ("id", "case_id", "number")))
QA_ITEM = table("qa_item", column("round_id", Integer), column("response", String))
# The case's last round (the highest number, as qa.rounds.last_round), by subquery: no round, no row, a count of 0.
_LAST_ROUND = (
    select(QA_ROUND.c.id)
    .where(QA_ROUND.c.case_id == bindparam("case_id"))
    .order_by(QA_ROUND.c.number.desc())
    .limit(1)
    .scalar_subquery()
)
OPEN_ITEMS = (  # built once: building a statement costs ten times running it (issue 17)
    select(func.count()).select_from(QA_ITEM).where(QA_ITEM.c.round_id == _LAST_ROUND, QA_ITEM.c.response.is_(None))
)

"""The `qa_items_open` fact with SQLAlchemy Core (no ORM tables): `dhr case show` reads it without the QA tables,
and `qa.rounds`' ORM provider reads it through this same query (issue 17)."""

from __future__ import annotations

from dhr_workflow.cases.core_facts import Reader, add_core_fact
from dhr_workflow.core.plain_sql import Query

OPEN_ITEMS = Query("dhr_workflow.qa.item_sql", "OPEN_ITEMS")


def open_items_of(db: Reader, case_id: int) -> int:
    """Items of the case's last QA round with no response yet (0 with no round)."""
    return OPEN_ITEMS.scalar(db, {"case_id": case_id}) or 0


add_core_fact("qa_items_open", open_items_of)

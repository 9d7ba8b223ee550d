"""The `agencies_in_scope` and `agency_evidence_problem` facts with SQLAlchemy Core (no ORM tables): `dhr case
show` reads them without the agencies' tables, and `agencies.case_facts`' ORM provider reads them through these same
queries (issue 17)."""

from __future__ import annotations

from typing import Any

from dhr_workflow.agencies.rules import drafting_problem
from dhr_workflow.cases.core_facts import Reader, add_core_fact
from dhr_workflow.core.plain_sql import Query

IN_SCOPE = Query("dhr_workflow.agencies.evidence_sql", "IN_SCOPE")
IMR_STATUSES = Query("dhr_workflow.agencies.evidence_sql", "IMR_STATUSES")


def agency_evidence(db: Reader, case_id: int) -> dict[str, Any]:
    """How many agencies are in scope, and why drafting cannot start yet (None: every IMR is settled)."""
    names = [name for (name,) in IN_SCOPE.run(db, {"case_id": case_id})]
    imr = {row.name: row.status for row in IMR_STATUSES.run(db, {"case_id": case_id})}  # the latest wins
    return {"agencies_in_scope": len(names), "agency_evidence_problem": drafting_problem(names, imr)}


def _fact(name: str) -> Any:
    return lambda db, case_id: agency_evidence(db, case_id)[name]


for _name in ("agencies_in_scope", "agency_evidence_problem"):
    add_core_fact(_name, _fact(_name))

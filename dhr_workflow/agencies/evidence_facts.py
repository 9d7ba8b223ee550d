"""The `agencies_in_scope` and `agency_evidence_problem` facts with SQLAlchemy Core (no ORM tables): `dhr case
show` reads them without the agencies' tables, and `agencies.case_facts`' ORM provider reads them through these same
queries (issue 17)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Integer, String, bindparam, column, select, table

from dhr_workflow.agencies.rules import drafting_problem
from dhr_workflow.cases.core_facts import Reader, add_core_fact

AGENCY = table("agency", column("id", Integer), column("name", String))
CASE_AGENCY = table("case_agency", *(column(n, Integer) for n in ("case_id", "agency_id")), column("removed_on", Date))
REQUEST = table(
    "evidence_request",
    *(column(n, Integer) for n in ("id", "case_id", "agency_id")),
    *(column(n, String) for n in ("kind", "status")),
)
# Built once: building a statement costs ten times running it (issue 17).
_IN_SCOPE = (
    select(AGENCY.c.name)
    .join(CASE_AGENCY, CASE_AGENCY.c.agency_id == AGENCY.c.id)
    .where(CASE_AGENCY.c.case_id == bindparam("case_id"), CASE_AGENCY.c.removed_on.is_(None))
    .order_by(AGENCY.c.name)
)
_IMR_STATUSES = (
    select(AGENCY.c.name, REQUEST.c.status)
    .join(AGENCY, AGENCY.c.id == REQUEST.c.agency_id)
    .where(REQUEST.c.case_id == bindparam("case_id"), REQUEST.c.kind == "imr")
    .order_by(REQUEST.c.id)
)


def agency_evidence(db: Reader, case_id: int) -> dict[str, Any]:
    """How many agencies are in scope, and why drafting cannot start yet (None: every IMR is settled)."""
    names = [name for (name,) in db.execute(_IN_SCOPE, {"case_id": case_id})]
    imr = {row.name: row.status for row in db.execute(_IMR_STATUSES, {"case_id": case_id})}  # the latest wins
    return {"agencies_in_scope": len(names), "agency_evidence_problem": drafting_problem(names, imr)}


def _fact(name: str) -> Any:
    return lambda db, case_id: agency_evidence(db, case_id)[name]


for _name in ("agencies_in_scope", "agency_evidence_problem"):
    add_core_fact(_name, _fact(_name))

"""The `agencies_in_scope` and `agency_evidence_problem` facts' statements, in SQLAlchemy Core
(agencies.evidence_facts runs them; core.plain_sql runs them without SQLAlchemy on SQLite)."""

from __future__ import annotations

from sqlalchemy import Date, Integer, String, bindparam, column, select, table

AGENCY = table("agency", column("id", Integer), column("name", String))
CASE_AGENCY = table("case_agency", *(column(n, Integer) for n in ("case_id", "agency_id")), column("removed_on", Date))
REQUEST = table(
    "evidence_request",
    *(column(n, Integer) for n in ("id", "case_id", "agency_id")),
    *(column(n, String) for n in ("kind", "status")),
)
# Built once: building a statement costs ten times running it (issue 17).
IN_SCOPE = (
    select(AGENCY.c.name)
    .join(CASE_AGENCY, CASE_AGENCY.c.agency_id == AGENCY.c.id)
    .where(CASE_AGENCY.c.case_id == bindparam("case_id"), CASE_AGENCY.c.removed_on.is_(None))
    .order_by(AGENCY.c.name)
)
IMR_STATUSES = (
    select(AGENCY.c.name, REQUEST.c.status)
    .join(AGENCY, AGENCY.c.id == REQUEST.c.agency_id)
    .where(REQUEST.c.case_id == bindparam("case_id"), REQUEST.c.kind == "imr")
    .order_by(REQUEST.c.id)
)

"""What the workflow's guards know of a case's agencies, and the scoping returns in at the decision.

An extension of cases (named in cases/facts.EXTENSIONS, registered when imported): `agency_evidence_problem` says why
drafting cannot start yet (the `agency_evidence_settled` guard). `scoping_returns_at` says which scoping returns had
come in by a day, from the dates recorded with them (`--on`), so the decision record can list those in when the
decision was made."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.directory import scope_rows
from dhr_workflow.agencies.evidence_facts import agency_evidence
from dhr_workflow.agencies.rules import STATUS_LABELS
from dhr_workflow.agencies.tables import Agency, EvidenceRequest
from dhr_workflow.cases.facts import add_fact_provider
from dhr_workflow.cases.tables import Case


def latest_status_by_agency(session: Session, case: Case, kind: str) -> dict[str, dict[str, Any]]:
    """Per agency name, its most recent request of `kind` (status and dates)."""
    found: dict[str, dict[str, Any]] = {}
    for row, name in session.execute(
        select(EvidenceRequest, Agency.name)
        .join(Agency, Agency.id == EvidenceRequest.agency_id)
        .where(EvidenceRequest.case_id == case.id, EvidenceRequest.kind == kind)
        .order_by(EvidenceRequest.id)
    ):
        found[name] = {"status": row.status, "status_on": row.status_on, "due_on": row.due_on}
    return found


def agency_facts(session: Session, case: Case) -> dict[str, Any]:
    return agency_evidence(session, case.id or 0)  # the Core queries `dhr case show` reads them with


def scoping_returns_at(session: Session, case: Case, on: date) -> list[dict[str, Any]]:
    """Each in-scope agency's scoping return as it stood on `on`."""
    latest = latest_status_by_agency(session, case, "scoping_return")
    rows = []
    for scope, agency in scope_rows(session, case):
        if scope.removed_on is not None:
            continue
        found = latest.get(agency.name)
        came_in = found is not None and found["status"] in ("received", "nil_return") and found["status_on"] <= on
        rows.append(
            {
                "agency": agency.name,
                "requested": found is not None,
                "in": came_in,
                "status": STATUS_LABELS[found["status"]] if found else "Not requested",
                "on": found["status_on"].isoformat() if came_in and found else None,
            }
        )
    return rows


add_fact_provider(agency_facts)

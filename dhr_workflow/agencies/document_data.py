"""What toolkit documents say about a case's agencies and their evidence: which scoping returns were in when the
decision was made (the decision record), the reply-by date of the information request (the scoping request's due
date), and each request as it stands. The documents package merges this into a document's data."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.case_facts import scoping_returns_at
from dhr_workflow.agencies.chronology import entries_of
from dhr_workflow.agencies.rules import EVIDENCE_KINDS, STATUS_LABELS
from dhr_workflow.agencies.tables import Agency, EvidenceRequest
from dhr_workflow.cases.tables import Case
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.workflow.definition import WorkflowDefinition

DECISIONS = ("fired:decide_review", "fired:decide_no_review")


def decision_date(session: Session, case: Case) -> date | None:
    return session.scalars(  # type: ignore[no-any-return]
        select(AuditEvent.occurred_on)
        .where(AuditEvent.case_id == case.id, AuditEvent.action.in_(DECISIONS))  # type: ignore[attr-defined]
        .order_by(AuditEvent.seq.desc())
    ).first()


def scoping_reply_by(session: Session, case: Case, definition: WorkflowDefinition, today: date) -> tuple[date, bool]:
    """The first scoping request's due date (True), or, before any is recorded, the date a request made today would
    be due (False)."""
    first = session.scalars(
        select(EvidenceRequest)
        .where(EvidenceRequest.case_id == case.id, EvidenceRequest.kind == "scoping_return")
        .order_by(EvidenceRequest.requested_on, EvidenceRequest.id)
    ).first()
    if first is not None:
        return first.due_on, True
    period = definition.evidence["scoping_return"].working_days
    return load_calendar(session).add_working_days(today, period), False


def document_data(
    session: Session, case: Case, definition: WorkflowDefinition, today: date, publication: bool
) -> dict[str, Any]:
    decided = decision_date(session, case)
    at_decision = scoping_returns_at(session, case, decided) if decided else []
    reply_by, recorded = scoping_reply_by(session, case, definition, today)
    requests = []
    if not publication:
        for row, name in session.execute(
            select(EvidenceRequest, Agency.name)
            .join(Agency, Agency.id == EvidenceRequest.agency_id)
            .where(EvidenceRequest.case_id == case.id)
            .order_by(Agency.name, EvidenceRequest.kind)
        ):
            requests.append([name, EVIDENCE_KINDS[row.kind], row.due_on.isoformat(), STATUS_LABELS[row.status]])
    return {
        "chronology": [] if publication else chronology_by_month(session, case),
        "evidence": {
            "decided_on": decided.isoformat() if decided else None,
            "scoping_at_decision": [
                [r["agency"], "Yes" if r["in"] else "No", r["status"], r["on"] or "Not in"] for r in at_decision
            ],
            "scoping_reply_by": reply_by.isoformat(),
            "scoping_reply_by_recorded": recorded,
            "requests": requests,
        },
    }


def chronology_by_month(session: Session, case: Case) -> list[dict[str, Any]]:
    """The merged chronology as the document shows it, one table a month (a month is how a reader finds their way
    through thousands of entries): dates written as people write them ("3 February 2021, 21:40"), excluded entries
    left out, likely duplicates marked."""
    months: dict[str, dict[str, Any]] = {}
    for r in entries_of(session, case, include_excluded=False):
        day = date.fromisoformat(r["date"])
        month = months.setdefault(r["date"][:7], {"caption": f"{day:%B %Y}", "rows": []})
        month["rows"].append(
            [
                f"{day.day} {day:%B %Y}" + (f", {r['time']}" if r["time"] else ""),
                r["agency"],
                r["event"] + (" (likely the same as an entry above from another agency)" if r["duplicate_of"] else ""),
                r["source"] or "Not given",
            ]
        )
    return list(months.values())

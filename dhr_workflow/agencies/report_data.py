"""What the overview report and the executive summary say about the agencies (issue 13, item 5): the agencies in
scope and what each provided (its agency report, chronology, scoping return, a nil return, or "not required" with
the reason), and, once a merged chronology exists, a summary of it.

The report is a public document, so the chronology summary gives counts and dates only: the period the entries
cover, how many each agency gave, how many fall in each year, and the first and last recorded contacts with the
agency that recorded them. The entries' own words stay in the `merged_chronology` document, which only the roles
that may see real names read; a narrative summary is the chair's `chronology_summary` section.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.chronology import entries_of
from dhr_workflow.agencies.directory import scope_rows
from dhr_workflow.agencies.rules import AGENCY_KINDS, EVIDENCE_KINDS, OPEN_STATUSES
from dhr_workflow.agencies.tables import EvidenceRequest
from dhr_workflow.cases.tables import Case
from dhr_workflow.core.text import long_date

# What the report says each agency provided, in this order; factual-accuracy comments come after the report is drafted.
REPORTED_KINDS = ("imr", "chronology", "scoping_return")


def report_data(session: Session, case: Case, publication: bool) -> dict[str, Any]:
    """The keys the overview report and executive summary read: `contributing_agencies` and `chronology_overview`
    (None until an agency's chronology is imported). The same for every variant: agencies are organisations, and
    the summary carries no entry's text."""
    entries = [e for e in entries_of(session, case) if not e["excluded"]]
    return {
        "contributing_agencies": contributing_agencies(session, case, entries),
        "chronology_overview": chronology_overview(entries) if entries else None,
    }


def contributing_agencies(session: Session, case: Case, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each agency in scope now, by name, with what it provided."""
    latest = _latest_requests(session, case)
    counts = Counter(e["agency"] for e in entries)
    out = []
    for row, agency in scope_rows(session, case):
        if row.removed_on is not None:
            continue
        provided = [
            said
            for kind in REPORTED_KINDS
            if (said := _provided(kind, latest.get((agency.id or 0, kind)), counts[agency.name]))
        ]
        provided = provided or ["Asked for information; nothing received yet"]
        kind_label = AGENCY_KINDS.get(agency.kind, agency.kind)
        out.append(
            {
                "name": agency.name,
                "kind": kind_label,
                "provided": provided,
                "row": [agency.name, kind_label, "; ".join(provided)],
            }
        )
    return out


def _latest_requests(session: Session, case: Case) -> dict[tuple[int, str], EvidenceRequest]:
    """The latest request of each kind to each agency, withdrawn ones left out (an agency out of scope, a mistake)."""
    latest: dict[tuple[int, str], EvidenceRequest] = {}
    for r in session.scalars(
        select(EvidenceRequest)
        .where(EvidenceRequest.case_id == case.id, EvidenceRequest.status != "withdrawn")
        .order_by(EvidenceRequest.requested_on, EvidenceRequest.id)
    ):
        latest[(r.agency_id, r.kind)] = r
    return latest


def _provided(kind: str, request: EvidenceRequest | None, entries: int) -> str | None:
    label = EVIDENCE_KINDS[kind]
    if kind == "chronology" and entries:
        return f"Chronology ({entries} {'entry' if entries == 1 else 'entries'} in the merged chronology)"
    if request is None:
        return None
    on = f", {long_date(request.status_on)}" if request.status_on else ""
    if request.status == "received":
        return f"{label} received{on}"
    if request.status == "nil_return":
        return f"{label}: nil return, no relevant records{on}"
    if request.status == "not_required":
        return f"{label} not required: {request.reason or 'no reason recorded'}"
    if request.status in OPEN_STATUSES:
        return f"{label} awaited (due {long_date(request.due_on)})"
    return None


def chronology_overview(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts and dates of the merged chronology's entries (those the coordinator has not excluded)."""
    days = [date.fromisoformat(e["date"]) for e in entries]
    first, last = entries[0], entries[-1]  # entries_of orders by date, time, then agency
    by_agency: dict[str, list[date]] = {}
    for e, day in zip(entries, days, strict=True):
        by_agency.setdefault(e["agency"], []).append(day)
    years = Counter(day.year for day in days)
    return {
        "entries": len(entries),
        "agencies": len(by_agency),
        "duplicates": sum(1 for e in entries if e["duplicate_of"]),
        "first": long_date(days[0]),
        "last": long_date(days[-1]),
        "first_agency": first["agency"],
        "last_agency": last["agency"],
        "by_agency": [
            [name, len(found), long_date(min(found)), long_date(max(found))]
            for name, found in sorted(by_agency.items())
        ],
        "by_year": [[str(year), count] for year, count in sorted(years.items())],
    }

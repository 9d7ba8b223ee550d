"""Pure rules for agencies and their evidence: the kinds, the statuses, what counts as settled, and how late a request
is. Standard library only (the `pure-rules` contract)."""

from __future__ import annotations

from datetime import date

AGENCY_KINDS: dict[str, str] = {
    "police": "Police",
    "acute_health_trust": "Acute health trust",
    "mental_health_trust": "Mental health trust",
    "gp_icb": "GP / Integrated Care Board",
    "adult_social_care": "Adult social care",
    "childrens_services": "Children's services",
    "housing": "Housing",
    "probation": "Probation",
    "specialist_domestic_abuse_service": "Specialist domestic abuse service",
    "education": "Education",
    "other": "Other",
}

EVIDENCE_KINDS: dict[str, str] = {
    "scoping_return": "Scoping return",
    "imr": "Agency report (IMR)",
    "chronology": "Chronology",
    "factual_accuracy": "Factual-accuracy comments",
}

STATUS_LABELS: dict[str, str] = {
    "requested": "Requested",
    "extended": "Extended",
    "received": "Received",
    "nil_return": "Nil return",
    "withdrawn": "Withdrawn",
    "not_required": "Not required",
}
# Still waiting for the agency: these have a live deadline, reminders and chasers.
OPEN_STATUSES = frozenset({"requested", "extended"})
# Settled for the start_drafting guard: the agency report came in, the agency had nothing, or it was not needed.
SETTLED_FOR_DRAFTING = frozenset({"received", "nil_return", "not_required"})


def parse_choice(value: str, choices: dict[str, str], what: str) -> str:
    key = (value or "").strip().lower().replace("-", "_").replace(" ", "_")
    if key not in choices:
        raise ValueError(f"'{value}' is not a {what}; choose one of: {', '.join(choices)}")
    return key


def days_overdue(due_on: date, status: str, today: date) -> int:
    """Calendar days past due for a request still awaited; 0 when it is not late or no longer awaited."""
    if status not in OPEN_STATUSES or today <= due_on:
        return 0
    return (today - due_on).days


def sort_key(status: str, due_on: date, today: date) -> tuple[int, date]:
    """Overdue first, then other open requests by due date, then everything settled."""
    if status in OPEN_STATUSES:
        return (0 if today > due_on else 1, due_on)
    return (2, due_on)


def drafting_problem(in_scope: list[str], imr_status: dict[str, str]) -> str | None:
    """Why drafting cannot start yet, from the in-scope agencies and the status of each one's IMR request."""
    if not in_scope:
        return (
            "no agency is in scope on this case; add the agencies asked for records (Agencies and evidence on the "
            "case page)"
        )
    waiting = [name for name in in_scope if imr_status.get(name) not in SETTLED_FOR_DRAFTING]
    if waiting:
        return (
            f"{len(waiting)} agency report(s) are not in: {', '.join(sorted(waiting))}; record each IMR as received, "
            "a nil return, or not required with a reason"
        )
    return None

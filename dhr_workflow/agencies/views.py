"""What the case page's "Agencies and evidence" section shows one viewer (need to know: an agency contact sees only
their agency's requests, and no directory)."""

from __future__ import annotations

from typing import Any

from dhr_workflow.agencies import directory, evidence
from dhr_workflow.agencies.rules import EVIDENCE_KINDS
from dhr_workflow.core.context import AppContext
from dhr_workflow.people.roles import may_change_cases, sees_only_own_cases
from dhr_workflow.people.tables import User


def case_section(ctx: AppContext, ref: str, viewer: User) -> dict[str, Any]:
    can_change = may_change_cases(viewer.role)
    scope = directory.case_scope(ctx, ref, viewer) if can_change or not sees_only_own_cases(viewer.role) else []
    in_scope = [s for s in scope if s["in_scope"]]
    names = {s["agency"] for s in in_scope}
    return {
        "scope": scope,
        "requests": evidence.list_requests(ctx, ref, viewer),
        # select items for the forms: agencies that may be put in scope, and those in scope now
        "addable": [
            {"value": a["slug"], "text": a["name"]}
            for a in (directory.list_agencies(ctx) if can_change else [])
            if a["name"] not in names
        ],
        "in_scope": [{"value": s["slug"], "text": s["agency"]} for s in in_scope],
        "kinds": EVIDENCE_KINDS,
        "may_answer": can_change or viewer.role == "agency_contact",
    }

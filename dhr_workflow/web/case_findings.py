"""What the case page shows of what the review found (issue 13): its recommendations and the Home Office's QA
feedback. Read through the same services as `dhr recommendation list` and `dhr qa items`."""

from __future__ import annotations

from typing import Any

from dhr_workflow.core.context import AppContext
from dhr_workflow.people.tables import User


def findings_for(ctx: AppContext, ref: str, viewer: User) -> dict[str, Any]:
    from dhr_workflow.family import involvement
    from dhr_workflow.lessons import recommendations
    from dhr_workflow.lessons.rules import ADDRESSEE_TYPES, NATIONAL_STATUS_LABELS, may_approve_closure
    from dhr_workflow.people.roles import sees_real_names
    from dhr_workflow.qa import rounds

    qa_rounds = rounds.items_of(ctx, ref, viewer=viewer)
    family = None
    if sees_real_names(viewer.role):  # need to know; the page's reading of real names is audited by view_case
        members = involvement.members_of(ctx, ref, viewer=viewer)
        family = {
            "members": members,
            "choices": {str(m["id"]): f"{m['name']} ({m['relationship']})" for m in members},
            "contacts": involvement.contacts_of(ctx, ref, viewer=viewer, audit_read=False),
            "advocates": involvement.ADVOCATES,
            "ways": involvement.CONTACT_WAYS,
        }
    from dhr_workflow.findings.sections import sections_of

    return {
        "sections": sections_of(ctx, ref, viewer=viewer),
        "recommendations": recommendations.list_for_case(ctx, ref, viewer=viewer),
        "addressee_types": ADDRESSEE_TYPES,
        # the national-body steps are the plan keepers' (lessons.actions checks it too)
        "may_send_national": may_approve_closure(viewer.role),
        "national_responses": {k: v for k, v in NATIONAL_STATUS_LABELS.items() if k != "sent"},
        "qa_rounds": qa_rounds,
        "qa_open": [i for i in (qa_rounds[-1]["items"] if qa_rounds else []) if not i["answered"]],
        "family": family,
    }

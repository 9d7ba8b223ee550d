"""What the case page's "Factual accuracy" section shows one viewer: the rounds (an agency contact sees only their
agency's answers), the stored drafts that may be circulated, and which forms they may use."""

from __future__ import annotations

from typing import Any

from dhr_workflow.accuracy import views
from dhr_workflow.core.context import AppContext
from dhr_workflow.people.roles import may_change_cases
from dhr_workflow.people.tables import User


def accuracy_section(ctx: AppContext, ref: str, viewer: User) -> dict[str, Any]:
    can_change = may_change_cases(viewer.role)
    rounds = views.rounds_of(ctx, ref, viewer)
    return {
        "rounds": rounds,
        "latest": rounds[0] if rounds else None,
        "drafts": views.stored_drafts(ctx, ref, viewer) if can_change else [],
        "can_change": can_change,
        "may_answer": can_change or viewer.role == "agency_contact",
    }

"""What the case page shows of what the review found (issue 13): its recommendations. Read through the same
services as `dhr recommendation list`."""

from __future__ import annotations

from typing import Any

from dhr_workflow.core.context import AppContext
from dhr_workflow.people.tables import User


def findings_for(ctx: AppContext, ref: str, viewer: User) -> dict[str, Any]:
    from dhr_workflow.lessons import recommendations
    from dhr_workflow.lessons.rules import ADDRESSEE_TYPES

    return {
        "recommendations": recommendations.list_for_case(ctx, ref, viewer=viewer),
        "addressee_types": ADDRESSEE_TYPES,
    }

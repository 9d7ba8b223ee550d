"""A case whose panel is agreeing the final draft, with agencies in scope and a stored draft overview report."""

from __future__ import annotations

from datetime import date

from dhr_workflow.agencies import directory
from dhr_workflow.core.context import AppContext
from dhr_workflow.documents.versions import generate
from tests.agencies.builders import agencies, case_at

CHAIR = "chair@example.org"
START = date(2026, 1, 5)
POLICE, HEALTH = "Metropolitan Police", "Oxleas NHS Trust"


def draft_case(ctx: AppContext) -> tuple[str, int]:
    """(ref, version): a case at panel_agreeing with police and health in scope (their contacts join the case) and
    a stored version of the overview report to circulate."""
    agencies(ctx)
    ref = case_at(ctx, START, "panel_agreeing")
    directory.change_scope(ctx, ref, add=[POLICE, HEALTH])
    doc, _ = generate(ctx, ref, "overview_report")
    return ref, doc.version

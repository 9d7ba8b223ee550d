"""A case in evidence gathering with agencies in scope, built through the real services."""

from __future__ import annotations

from datetime import date

from dhr_workflow.agencies import directory
from dhr_workflow.core.context import AppContext
from tests.factories import COORDINATOR, add_people, new_case, walk
from tests.integration.paths import dated_steps, path_to

POLICE_CONTACT = "police.contact@example.org"
HEALTH_CONTACT = "health.contact@example.org"


def agencies(ctx: AppContext) -> None:
    from dhr_workflow.people import users

    add_people(ctx)
    users.add_user(ctx, POLICE_CONTACT, "Police Contact", "agency_contact")
    users.add_user(ctx, HEALTH_CONTACT, "Health Contact", "agency_contact")
    directory.add_agency(ctx, "Metropolitan Police", "police", contact_email=POLICE_CONTACT)
    directory.add_agency(ctx, "Oxleas NHS Trust", "mental_health_trust", contact_email=HEALTH_CONTACT)
    directory.add_agency(ctx, "Housing Services", "housing")


def case_at(ctx: AppContext, start: date, state: str = "evidence_gathering") -> str:
    """A case walked to `state`, dated from `start`, with the coordinator on it."""
    from dhr_workflow.cases import lifecycle as cases

    definition = ctx.workflows.latest("dhr")
    ref = new_case(ctx, start)
    cases.assign(ctx, ref, COORDINATOR, "coordinator")
    walk(ctx, ref, dated_steps(start, path_to(definition, state), definition))  # type: ignore[arg-type]
    return ref

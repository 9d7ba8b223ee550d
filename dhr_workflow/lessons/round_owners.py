"""Who a commentary round asks, on what, and by when: the owner of each open action (its lead officer, or else its
agency's first contact), and the updates' due date from the round's `updates` clock. `open_round` asks exactly
these people; `preview` shows them before a round is opened, so a coordinator sees whom they are about to ask and
which actions have no one to ask (and can name a lead first). Only the community safety team runs rounds."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.tables import Agency, AgencyContact
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.clocks import compute_due
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import NotPermitted
from dhr_workflow.core.text import not_in_future
from dhr_workflow.lessons.plans import current_plan
from dhr_workflow.lessons.rules import OPEN_STATUSES, Scope, scope_for
from dhr_workflow.lessons.tables import DeliveryPlan, PlanAction
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import user_by_email

WORKFLOW = "commentary_round"
CLOCK = "updates"


def must_run_rounds(session: Session, by: str | None) -> str:
    """The actor's email ("system" for the scheduler and the command line without --by); anyone else than the
    community safety team and the chairs is refused."""
    if not by:
        return "system"
    user = user_by_email(session, by)
    if scope_for(user.role) is not Scope.ALL:
        raise NotPermitted("only the community safety team and the chairs run commentary rounds")
    return user.email


def open_actions(session: Session, plan: DeliveryPlan) -> list[PlanAction]:
    return list(
        session.scalars(
            select(PlanAction)
            .where(PlanAction.plan_id == plan.id, PlanAction.status.in_(OPEN_STATUSES))  # type: ignore[attr-defined]
            .order_by(PlanAction.id)
        )
    )


def owner_of(session: Session, action: PlanAction) -> int | None:
    """The user asked for the action's update: its lead officer, or else its agency's first contact."""
    return action.lead_id or session.scalar(
        select(AgencyContact.user_id)
        .where(AgencyContact.agency_id == action.owner_agency_id)
        .order_by(AgencyContact.id)
    )


def preview(ctx: AppContext, *, on: date | None = None, by: str | None = None) -> dict[str, Any]:
    """What opening a round on `on` (today by default) would do: each open action with the person asked (None when
    no one can be), and the date updates would be due."""
    day = not_in_future(on, ctx.today(), "the date the round opens") if on else ctx.today()
    definition = ctx.workflows.latest(WORKFLOW)
    with ctx.db.read() as session:
        must_run_rounds(session, by)
        rows = []
        for action in open_actions(session, current_plan(session)):
            owner = owner_of(session, action)
            person = session.get(User, owner) if owner else None
            agency = session.get(Agency, action.owner_agency_id) if action.owner_agency_id else None
            rows.append(
                {
                    "action_id": action.id,
                    "description": action.description,
                    "agency": agency.name if agency else None,
                    "owner": person.email if person else None,
                    "owner_name": person.name if person else None,
                }
            )
        rule = definition.clocks[CLOCK].rule()
        due = compute_due(rule, day, [], load_calendar(session), ctx.today()).due
    return {"opens_on": day, "due_on": due, "asked": rows, "no_owner": [r["action_id"] for r in rows if not r["owner"]]}

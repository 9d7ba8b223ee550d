"""The Delivery Plan. The agencies that own its actions are in dhr_workflow.agencies.directory."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.text import clean_text
from dhr_workflow.lessons.rules import may_approve_closure
from dhr_workflow.lessons.tables import DeliveryPlan, PlanObjective
from dhr_workflow.people.users import default_partnership, user_by_email


def current_plan(session: Session) -> DeliveryPlan:
    plan = session.scalars(
        select(DeliveryPlan).where(DeliveryPlan.active.is_(True)).order_by(DeliveryPlan.id.desc())  # type: ignore[union-attr]
    ).first()
    if plan is None:
        raise NotFound(
            "there is no Delivery Plan yet; create one with `dhr plan create --title ... --start ... --end ...`"
        )
    return plan


def has_current_plan(ctx: AppContext) -> bool:
    """Whether a plan is live, so a page can offer to create one instead of failing."""
    with ctx.db.read() as session:
        return session.scalars(select(DeliveryPlan.id).where(DeliveryPlan.active.is_(True))).first() is not None  # type: ignore[union-attr]


def create_plan(
    ctx: AppContext,
    title: str,
    period_start: date,
    period_end: date,
    objectives: list[str],
    *,
    chair: str | None = None,
    by: str = "system",
) -> DeliveryPlan:
    """A new plan period. The previous plan stays readable but stops being current (one plan is live at a time)."""
    title = clean_text(title, "the plan title", 200)
    if period_end <= period_start:
        raise InvalidInput("the plan period must end after it starts (for example 2022-04-01 to 2025-03-31)")
    texts = [clean_text(o, "an objective", 2000) for o in objectives]
    with ctx.db.write() as session:
        if by != "system":  # the operator at the command line; a person must be on the team or the CSP chair
            person = user_by_email(session, by)
            if not may_approve_closure(person.role):
                raise NotPermitted(
                    "only the community safety team or the CSP chair creates the Delivery Plan",
                    ("admin", "coordinator", "csp_chair"),
                )
            by = person.email
        chair_id = user_by_email(session, chair).id if chair else None
        for old in session.scalars(select(DeliveryPlan).where(DeliveryPlan.active.is_(True))):  # type: ignore[arg-type]
            old.active = False
        plan = DeliveryPlan(
            partnership_id=default_partnership(session).id or 0,
            title=title,
            period_start=period_start,
            period_end=period_end,
            chair_id=chair_id,
        )
        session.add(plan)
        session.flush()
        for i, text in enumerate(texts, start=1):
            session.add(PlanObjective(plan_id=plan.id or 0, position=i, text=text))
        audit.append(session, actor=by, action="plan_created", occurred_on=ctx.today(), payload={"plan_id": plan.id})
        return plan

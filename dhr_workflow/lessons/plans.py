"""The Delivery Plan and the agencies that own its actions."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.text import clean_text
from dhr_workflow.lessons.tables import Agency, AgencyContact, DeliveryPlan, PlanObjective
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


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]


def add_agency(ctx: AppContext, name: str, *, by: str = "system") -> Agency:
    name = clean_text(name, "the agency name", 200)
    slug = _slug(name)
    if not slug:
        raise InvalidInput("the agency name needs some letters or digits")
    with ctx.db.write() as session:
        partnership = default_partnership(session)
        if session.scalars(select(Agency).where(Agency.slug == slug)).first():
            raise InvalidInput(f"there is already an agency '{slug}'")
        agency = Agency(partnership_id=partnership.id or 0, name=name, slug=slug)
        session.add(agency)
        session.flush()
        audit.append(session, actor=by, action="agency_added", occurred_on=ctx.today(), payload={"agency": slug})
        return agency


def agency_by_key(session: Session, key: str) -> Agency:
    """An agency by its slug or its exact name (case-insensitive)."""
    text = key.strip()
    agency = session.scalars(select(Agency).where(Agency.slug == _slug(text))).first()
    if agency is None:
        known = ", ".join(session.scalars(select(Agency.slug).order_by(Agency.slug))) or "none yet"
        raise NotFound(f"no agency '{key}'; agencies: {known} (add one with `dhr agency add NAME`)")
    return agency


def add_contact(ctx: AppContext, agency_key: str, email: str, *, by: str = "system") -> None:
    with ctx.db.write() as session:
        agency = agency_by_key(session, agency_key)
        user = user_by_email(session, email)
        exists = session.scalars(
            select(AgencyContact).where(AgencyContact.agency_id == agency.id, AgencyContact.user_id == user.id)
        ).first()
        if exists:
            raise InvalidInput(f"{email} already speaks for {agency.name}")
        session.add(AgencyContact(agency_id=agency.id or 0, user_id=user.id or 0))
        audit.append(
            session,
            actor=by,
            action="agency_contact_added",
            occurred_on=ctx.today(),
            payload={"agency": agency.slug, "user_id": user.id},
        )


def list_agencies(ctx: AppContext) -> list[dict[str, object]]:
    with ctx.db.read() as session:
        return [{"slug": a.slug, "name": a.name} for a in session.scalars(select(Agency).order_by(Agency.name))]

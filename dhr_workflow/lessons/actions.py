"""Recommendations and the actions that carry them out: add, update, milestones, evidence, closure.

Every change is one transaction with its audit event. Notes and evidence may hold case detail, so audit payloads
carry ids and statuses only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.directory import agency_by_key
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text, is_id, not_in_future
from dhr_workflow.lessons import access
from dhr_workflow.lessons.plans import current_plan
from dhr_workflow.lessons.rules import (
    NATIONAL_STATUSES,
    Status,
    may_approve_closure,
    normalise_tag,
    parse_level,
    parse_status,
    parse_theme,
)
from dhr_workflow.lessons.tables import (
    ActionEvidence,
    ActionMilestone,
    ActionTag,
    ActionUpdate,
    PlanAction,
    Recommendation,
)
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import user_by_email


def acting_user(session: Session, by: str | None) -> tuple[str, User | None]:
    if by is None:
        return "system", None
    user = user_by_email(session, by)
    return user.email, user


def add_recommendation(
    ctx: AppContext,
    *,
    number: str,
    text: str,
    level: str,
    addressee: str,
    theme: str,
    case_ref: str | None = None,
    by: str | None = None,
) -> Recommendation:
    """A recommendation from review `case_ref` (or the partnership's own when None) into the current plan."""
    from dhr_workflow.cases.lifecycle import load_case

    values = {
        "number": clean_text(number, "the recommendation number", 20),
        "text": clean_text(text, "the recommendation", 4000),
        "level": parse_level(level),
        "addressee": clean_text(addressee, "the addressee", 200),
        "theme": parse_theme(theme),
    }
    with ctx.db.write() as session:
        label, user = acting_user(session, by)
        _must_manage(user)
        case = load_case(session, case_ref, user) if case_ref else None
        rec = Recommendation(
            plan_id=current_plan(session).id or 0,
            case_id=case.id if case else None,
            status="agreed",  # the Delivery Plan holds recommendations already agreed
            created_by=label,
            **values,
        )
        session.add(rec)
        session.flush()
        audit.append(
            session,
            actor=label,
            action="recommendation_added",
            occurred_on=ctx.today(),
            case_id=rec.case_id,
            payload={"recommendation_id": rec.id, "level": rec.level},
        )
        return rec


def send_to_national_body(ctx: AppContext, rec_id: int, *, on: date | None = None, by: str | None = None) -> None:
    """Record that a national recommendation went to its addressee (Home Office, DAC, a national agency)."""
    day = not_in_future(on, ctx.today(), "--on") if on else ctx.today()
    with ctx.db.write() as session:
        label, user = acting_user(session, by)
        _must_manage(user)
        rec = _recommendation(session, rec_id)
        if rec.level != "national":
            raise InvalidInput(f"recommendation {rec_id} is {rec.level}; only national ones go to a national body")
        rec.sent_to_national_on, rec.national_status = day, "sent"
        audit.append(
            session,
            actor=label,
            action="recommendation_sent_national",
            occurred_on=day,
            case_id=rec.case_id,
            payload={"recommendation_id": rec.id, "addressee": rec.addressee},
        )


def record_national_response(
    ctx: AppContext, rec_id: int, status: str, response: str | None = None, *, by: str | None = None
) -> None:
    if status not in NATIONAL_STATUSES:
        raise InvalidInput(f"'{status}' is not a national response; give one of {', '.join(NATIONAL_STATUSES)}")
    text = clean_text(response, "the response", 2000, required=False) if response else None
    with ctx.db.write() as session:
        label, user = acting_user(session, by)
        _must_manage(user)
        rec = _recommendation(session, rec_id)
        if rec.sent_to_national_on is None:
            raise InvalidInput(f"recommendation {rec_id} has not been sent; record that with `dhr recommendation send`")
        rec.national_status, rec.national_response = status, text or rec.national_response
        audit.append(
            session,
            actor=label,
            action="recommendation_national_response",
            occurred_on=ctx.today(),
            case_id=rec.case_id,
            payload={"recommendation_id": rec.id, "status": status},
        )


def _recommendation(session: Session, rec_id: int) -> Recommendation:
    rec = session.get(Recommendation, rec_id) if is_id(rec_id) else None
    if rec is None:
        raise NotFound(f"no recommendation {rec_id}; `dhr plan show` lists them")
    return rec


def _must_manage(user: User | None) -> None:
    if user is not None and not may_approve_closure(user.role):
        raise InvalidInput("only the community safety team or the CSP chair may change the plan itself")


@dataclass
class NewAction:
    description: str
    agency: str
    target_on: date
    theme: str | None = None  # defaults to the recommendation's
    recommendation_id: int | None = None
    lead: str | None = None  # an account's email, or a lead officer's name
    outcome: str | None = None
    milestones: list[tuple[str, date | None]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def add_action(ctx: AppContext, new: NewAction, *, by: str | None = None) -> PlanAction:
    description = clean_text(new.description, "the action (a SMART statement)", 4000)
    outcome = clean_text(new.outcome, "the outcome", 2000, required=False) if new.outcome else None
    tags = sorted({normalise_tag(t) for t in new.tags})
    milestones = [(clean_text(t, "a milestone", 500), d) for t, d in new.milestones]
    with ctx.db.write() as session:
        label, user = acting_user(session, by)
        _must_manage(user)
        plan = current_plan(session)
        rec = _recommendation(session, new.recommendation_id) if new.recommendation_id else None
        theme = parse_theme(new.theme) if new.theme else (rec.theme if rec else None)
        if theme is None:
            raise InvalidInput("give the action a theme (--theme), or link it to a recommendation")
        lead_id, lead_name = _lead(session, new.lead)
        action = PlanAction(
            plan_id=plan.id or 0,
            recommendation_id=rec.id if rec else None,
            case_id=rec.case_id if rec else None,
            theme=theme,
            description=description,
            outcome=outcome,
            owner_agency_id=agency_by_key(session, new.agency).id or 0,
            lead_id=lead_id,
            lead_name=lead_name,
            target_on=new.target_on,
            created_by=label,
        )
        session.add(action)
        session.flush()
        for i, (text, due) in enumerate(milestones, start=1):
            session.add(ActionMilestone(action_id=action.id or 0, position=i, text=text, due_on=due))
        for tag in tags:
            session.add(ActionTag(action_id=action.id or 0, tag=tag))
        audit.append(
            session,
            actor=label,
            action="action_added",
            occurred_on=ctx.today(),
            case_id=action.case_id,
            payload={"action_id": action.id, "theme": theme},
        )
        return action


def _lead(session: Session, lead: str | None) -> tuple[int | None, str]:
    if not lead:
        return None, "To be named"
    if "@" in lead:
        user = user_by_email(session, lead)
        return user.id, user.name
    return None, clean_text(lead, "the lead officer", 200)


@dataclass(frozen=True)
class Progress:
    status: str | None = None
    note: str | None = None
    blockage: str | None = None
    request: str | None = None


def update_action(
    ctx: AppContext, action_id: int, progress: Progress, *, on: date | None = None, by: str | None = None
) -> ActionUpdate:
    """An owner's update: a new status and/or a note, a blockage, a request to the Board. It answers any open
    commentary request for the action (so its reminders stop)."""
    from dhr_workflow.lessons import commentary

    day = not_in_future(on, ctx.today(), "--on") if on else ctx.today()
    status = parse_status(progress.status) if progress.status else None
    if status is Status.CLOSED:
        raise InvalidInput("closing an action needs approval: use `dhr action close ID --by EMAIL`")
    note, blockage, request = (
        clean_text(v, what, n, required=False) if v else None
        for v, what, n in (
            (progress.note, "the note", 4000),
            (progress.blockage, "the blockage", 2000),
            (progress.request, "the request", 2000),
        )
    )
    if not (status or note or blockage or request):
        raise InvalidInput("give a --status, a --note, a --blockage or a --request")
    with ctx.db.write() as session:
        label, user = acting_user(session, by)
        action = changeable_action(session, action_id, user)
        before = action.status
        if status is not None:
            action.status = status.value
        action.updated_at = utcnow()
        update = ActionUpdate(
            action_id=action.id or 0,
            kind="status" if status and status.value != before else "note",
            status_from=before,
            status_to=action.status,
            note=note,
            blockage=blockage,
            request=request,
            occurred_on=day,
            by=label,
        )
        session.add(update)
        session.flush()
        commentary.answer_requests(ctx, session, action, update, day)
        audit.append(
            session,
            actor=label,
            action="action_updated",
            occurred_on=day,
            case_id=action.case_id,
            payload={"action_id": action.id, "from": before, "to": action.status},
        )
        return update


def changeable_action(session: Session, action_id: int, user: User | None) -> PlanAction:
    action = access.load_action(session, action_id, user, for_update=True)
    if not access.may_update(user):
        raise NotFound(f"no action {action_id} you may update; `dhr action list` shows yours")
    if action.status == Status.CLOSED:
        raise InvalidInput(f"action {action_id} was closed on {action.closed_on}; it cannot change")
    return action


def complete_milestone(
    ctx: AppContext, action_id: int, position: int, *, on: date | None = None, by: str | None = None
) -> None:
    day = not_in_future(on, ctx.today(), "--on") if on else ctx.today()
    with ctx.db.write() as session:
        label, user = acting_user(session, by)
        action = changeable_action(session, action_id, user)
        milestone = session.scalars(
            select(ActionMilestone).where(ActionMilestone.action_id == action.id, ActionMilestone.position == position)
        ).first()
        if milestone is None:
            raise NotFound(f"action {action_id} has no milestone {position}")
        milestone.done_on = day
        session.add(
            ActionUpdate(
                action_id=action.id or 0,
                kind="milestone",
                note=f"Milestone achieved: {milestone.text}",
                occurred_on=day,
                by=label,
            )
        )
        audit.append(
            session,
            actor=label,
            action="milestone_done",
            occurred_on=day,
            case_id=action.case_id,
            payload={"action_id": action.id, "milestone": position},
        )


def close_action(
    ctx: AppContext, action_id: int, *, by: str, note: str | None = None, on: date | None = None
) -> PlanAction:
    """Approve an action as done. Needs a completed status, evidence, and an approver who is not its owner."""
    day = not_in_future(on, ctx.today(), "--on") if on else ctx.today()
    text = clean_text(note, "the note", 4000, required=False) if note else None
    with ctx.db.write() as session:
        label, user = acting_user(session, by)
        if user is None or not may_approve_closure(user.role):
            raise InvalidInput("an action is closed by the community safety team or the CSP chair (give --by)")
        action = changeable_action(session, action_id, user)
        if action.status != Status.COMPLETED:
            raise InvalidInput(
                f"action {action_id} is '{action.status}'; its owner marks it completed "
                f"(`dhr action update {action_id} --status completed`) before it is closed"
            )
        if not session.scalars(select(ActionEvidence.id).where(ActionEvidence.action_id == action.id)).first():
            raise InvalidInput(
                f"action {action_id} has no evidence; attach it with `dhr action evidence {action_id} FILE`"
            )
        action.status, action.closed_on, action.approved_by = Status.CLOSED.value, day, label
        action.updated_at = utcnow()
        session.add(
            ActionUpdate(
                action_id=action.id or 0,
                kind="closure",
                status_from=Status.COMPLETED.value,
                status_to=Status.CLOSED.value,
                note=text,
                occurred_on=day,
                by=label,
            )
        )
        audit.append(
            session,
            actor=label,
            action="action_closed",
            occurred_on=day,
            case_id=action.case_id,
            payload={"action_id": action.id},
        )
        return action

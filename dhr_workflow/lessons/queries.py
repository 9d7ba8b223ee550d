"""Read-side shapes for the CLI, web pages and documents: plain dicts (dates as `date`), one read transaction each.

Access: every function takes `viewer` (a User, or None for the operator at the command line). Agency contacts see
their agencies' actions; reviewers and panel members the actions of reviews they sit on; the Board (viewer role)
gets aggregates only (plan_summary, board_report), never an action list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.directory import agency_by_key
from dhr_workflow.agencies.tables import Agency
from dhr_workflow.cases.tables import Case
from dhr_workflow.core.context import AppContext
from dhr_workflow.lessons import access
from dhr_workflow.lessons.plans import current_plan
from dhr_workflow.lessons.rules import (
    LEVELS,
    OPEN_STATUSES,
    STATUS_LABELS,
    THEME_LABELS,
    THEMES,
    Scope,
    Status,
    is_overdue,
    parse_theme,
    rag,
)
from dhr_workflow.lessons.tables import (
    ActionEvidence,
    ActionHandover,
    ActionMilestone,
    ActionTag,
    ActionUpdate,
    DeliveryPlan,
    PlanAction,
    PlanObjective,
    Recommendation,
)
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import user_by_email

PUBLISHED_STATES = ("action_plan_monitoring", "closed")


def viewer_for(session: Session, email: str | None) -> User | None:
    return user_by_email(session, email) if email else None


def case_refs(session: Session, case_ids: set[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    return dict(session.execute(select(Case.id, Case.ref).where(Case.id.in_(case_ids))).all())  # type: ignore[union-attr]


class _Lookup:
    """Everything action dicts refer to, fetched once per read rather than once per action."""

    def __init__(self, session: Session, actions: list[PlanAction]) -> None:
        ids = [a.id for a in actions]
        self.agencies = {a.id: a for a in session.scalars(select(Agency))}
        self.refs = case_refs(session, {a.case_id for a in actions if a.case_id})
        self.recs = {
            r.id: r
            for r in session.scalars(
                select(Recommendation).where(Recommendation.id.in_({a.recommendation_id for a in actions}))  # type: ignore[union-attr]
            )
        }
        self.tags: dict[int, list[str]] = defaultdict(list)
        for t in session.scalars(select(ActionTag).where(ActionTag.action_id.in_(ids)).order_by(ActionTag.tag)):  # type: ignore[attr-defined]
            self.tags[t.action_id].append(t.tag)
        self.milestones: dict[int, list[ActionMilestone]] = defaultdict(list)
        for m in session.scalars(
            select(ActionMilestone).where(ActionMilestone.action_id.in_(ids)).order_by(ActionMilestone.position)  # type: ignore[attr-defined]
        ):
            self.milestones[m.action_id].append(m)
        self.latest: dict[int, ActionUpdate] = {}
        for u in session.scalars(
            select(ActionUpdate).where(ActionUpdate.action_id.in_(ids)).order_by(ActionUpdate.id)  # type: ignore[attr-defined]
        ):
            if u.kind in ("note", "status", "commentary"):
                self.latest[u.action_id] = u


def action_dict(a: PlanAction, look: _Lookup, today: date) -> dict[str, Any]:
    agency = look.agencies[a.owner_agency_id]
    rec = look.recs.get(a.recommendation_id) if a.recommendation_id else None
    last = look.latest.get(a.id or 0)
    return {
        "id": a.id,
        "theme": a.theme,
        "theme_label": THEME_LABELS[a.theme],
        "description": a.description,
        "outcome": a.outcome,
        "agency": {"slug": agency.slug, "name": agency.name},
        "lead": a.lead_name,
        "target_on": a.target_on,
        "status": a.status,
        "status_label": STATUS_LABELS[Status(a.status)],
        "rag": rag(a.status, a.target_on, today).value,
        "overdue": is_overdue(a.status, a.target_on, today),
        "case_ref": look.refs.get(a.case_id) if a.case_id else None,
        "source": "review" if a.case_id else "partnership",
        "recommendation": (
            {"id": rec.id, "number": rec.number, "level": rec.level, "addressee": rec.addressee, "text": rec.text}
            if rec
            else None
        ),
        "tags": look.tags.get(a.id or 0, []),
        "milestones": [
            {"position": m.position, "text": m.text, "due_on": m.due_on, "done_on": m.done_on}
            for m in look.milestones.get(a.id or 0, [])
        ],
        "latest_update": (
            {"on": last.occurred_on, "note": last.note, "blockage": last.blockage, "request": last.request}
            if last
            else None
        ),
        "closed_on": a.closed_on,
        "approved_by": a.approved_by,
        "handed_over_on": a.handed_over_on,
    }


def _plan_actions(session: Session, plan: DeliveryPlan, viewer: User | None) -> list[PlanAction]:
    query = select(PlanAction).where(PlanAction.plan_id == plan.id).order_by(PlanAction.theme, PlanAction.id)
    return list(session.scalars(access.restrict(session, query, viewer)))


def list_actions(
    ctx: AppContext,
    *,
    viewer: str | None = None,
    overdue: bool = False,
    agency: str | None = None,
    theme: str | None = None,
    tag: str | None = None,
    open_only: bool = False,
) -> list[dict[str, Any]]:
    today = ctx.today()
    with ctx.db.read() as session:
        user = viewer_for(session, viewer)
        actions = _plan_actions(session, current_plan(session), user)
        if agency:
            wanted = agency_by_key(session, agency).id
            actions = [a for a in actions if a.owner_agency_id == wanted]
        if theme:
            actions = [a for a in actions if a.theme == parse_theme(theme)]
        if open_only:
            actions = [a for a in actions if a.status in OPEN_STATUSES]
        look = _Lookup(session, actions)
        rows = [action_dict(a, look, today) for a in actions]
    if tag:
        rows = [r for r in rows if tag in r["tags"]]
    return [r for r in rows if r["overdue"]] if overdue else rows


def show_action(ctx: AppContext, action_id: int, *, viewer: str | None = None) -> dict[str, Any]:
    with ctx.db.read() as session:
        user = viewer_for(session, viewer)
        action = access.load_action(session, action_id, user)
        detail = action_dict(action, _Lookup(session, [action]), ctx.today())
        detail["history"] = [
            {
                "on": u.occurred_on,
                "kind": u.kind,
                "status_from": u.status_from,
                "status_to": u.status_to,
                "note": u.note,
                "blockage": u.blockage,
                "request": u.request,
                "round_id": u.round_id,
                "by": u.by,
            }
            for u in session.scalars(
                select(ActionUpdate).where(ActionUpdate.action_id == action.id).order_by(ActionUpdate.id)
            )
        ]
        detail["evidence"] = [
            {"id": e.id, "filename": e.filename, "size": e.size, "sha256": e.sha256, "description": e.description}
            for e in session.scalars(select(ActionEvidence).where(ActionEvidence.action_id == action.id))
        ]
        detail["handovers"] = [
            {"on": h.handed_over_on, "reason": h.reason, "by": h.by}
            for h in session.scalars(select(ActionHandover).where(ActionHandover.action_id == action.id))
        ]
        return detail


def status_counts(actions: list[dict[str, Any]]) -> dict[str, int]:
    c = Counter(a["rag"] for a in actions)
    return {
        "total": len(actions),
        "red": c["red"],
        "amber": c["amber"],
        "green": c["green"],
        "complete": c["complete"],
        "overdue": sum(1 for a in actions if a["overdue"]),
        "closed": sum(1 for a in actions if a["status"] == Status.CLOSED),
    }


def all_actions(session: Session, plan: DeliveryPlan, today: date) -> list[dict[str, Any]]:
    actions = _plan_actions(session, plan, None)
    look = _Lookup(session, actions)
    return [action_dict(a, look, today) for a in actions]


def plan_summary(ctx: AppContext, *, viewer: str | None = None) -> dict[str, Any]:
    """The plan, its objectives, progress by theme and by agency, and recurring topics. Everyone in the partnership
    may see it: it is aggregate. Action detail is added for viewers who may see actions."""
    today = ctx.today()
    with ctx.db.read() as session:
        user = viewer_for(session, viewer)
        plan = current_plan(session)
        every = all_actions(session, plan, today)
        summary = {
            "plan": plan_dict(session, plan),
            "totals": status_counts(every),
            "by_theme": by_theme(every),
            "by_agency": by_agency(every),
            "recurring_topics": recurring_topics(session, plan),
            "recommendations": recommendation_rows(session, plan),
        }
        if access.scope(user) is not Scope.AGGREGATE:
            visible = {a.id for a in _plan_actions(session, plan, user)}
            summary["actions"] = [a for a in every if a["id"] in visible]
        return summary


def plan_dict(session: Session, plan: DeliveryPlan) -> dict[str, Any]:
    chair = session.get(User, plan.chair_id) if plan.chair_id else None
    return {
        "id": plan.id,
        "title": plan.title,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "period": f"{plan.period_start.year}\u2013{str(plan.period_end.year)[-2:]}",
        "chair": chair.name if chair else None,
        "objectives": list(
            session.scalars(
                select(PlanObjective.text).where(PlanObjective.plan_id == plan.id).order_by(PlanObjective.position)
            )
        ),
        "themes": [{"key": t, "label": THEME_LABELS[t]} for t in THEMES],
    }


def by_theme(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"theme": t, "label": THEME_LABELS[t], **status_counts([a for a in actions if a["theme"] == t])} for t in THEMES
    ]


def by_agency(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = sorted({a["agency"]["name"] for a in actions})
    return [{"agency": n, **status_counts([a for a in actions if a["agency"]["name"] == n])} for n in names]


def recommendation_rows(session: Session, plan: DeliveryPlan) -> list[dict[str, Any]]:
    recs = list(
        session.scalars(select(Recommendation).where(Recommendation.plan_id == plan.id).order_by(Recommendation.id))
    )
    refs = case_refs(session, {r.case_id for r in recs if r.case_id})
    return [
        {
            "id": r.id,
            "case_ref": refs.get(r.case_id) if r.case_id else None,
            "number": r.number,
            "text": r.text,
            "level": r.level,
            "level_label": LEVELS[r.level],
            "addressee": r.addressee,
            "theme": r.theme,
            "sent_to_national_on": r.sent_to_national_on,
            "national_status": r.national_status,
            "national_response": r.national_response,
        }
        for r in recs
    ]


def recurring_topics(session: Session, plan: DeliveryPlan) -> list[dict[str, Any]]:
    """Tags across reviews: how many distinct reviews raised each topic (most recurrent first)."""
    rows = session.execute(
        select(ActionTag.tag, PlanAction.case_id, PlanAction.id)
        .join(PlanAction, PlanAction.id == ActionTag.action_id)  # type: ignore[arg-type]
        .where(PlanAction.plan_id == plan.id)
    ).all()
    reviews: dict[str, set[int]] = defaultdict(set)
    actions: Counter[str] = Counter()
    for tag, case_id, _ in rows:
        actions[tag] += 1
        if case_id:
            reviews[tag].add(case_id)
    refs = case_refs(session, {c for s in reviews.values() for c in s})
    topics = [
        {
            "tag": tag,
            "reviews": len(reviews[tag]),
            "review_refs": sorted(refs[c] for c in reviews[tag]),
            "actions": actions[tag],
            "recurring": len(reviews[tag]) >= 2,
        }
        for tag in actions
    ]
    return sorted(topics, key=lambda t: (-t["reviews"], -t["actions"], t["tag"]))

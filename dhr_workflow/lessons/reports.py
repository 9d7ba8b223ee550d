"""What the Delivery Plan says to people: the Board report, themed meeting agendas, the collated plan for a
commentary round and a review's learning briefing, with the recurring topics across reviews."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.tables import Agency
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.lessons import recommendations
from dhr_workflow.lessons.plans import current_plan
from dhr_workflow.lessons.queries import (
    PUBLISHED_STATES,
    all_actions,
    by_agency,
    by_theme,
    plan_dict,
    recommendation_rows,
    recurring_topics,
    status_counts,
    viewer_for,
)
from dhr_workflow.lessons.rules import (
    THEME_LABELS,
    THEMES,
    Status,
)
from dhr_workflow.lessons.tables import (
    ActionUpdate,
    DeliveryPlan,
    PlanAction,
)


def _blockages(session: Session, plan: DeliveryPlan, since: date | None = None) -> list[dict[str, Any]]:
    """The latest blockage or request per action (what the Board is asked to unblock)."""
    rows = session.execute(
        select(ActionUpdate, PlanAction.theme, Agency.name)
        .join(PlanAction, PlanAction.id == ActionUpdate.action_id)  # type: ignore[arg-type]
        .join(Agency, Agency.id == PlanAction.owner_agency_id)  # type: ignore[arg-type]
        .where(PlanAction.plan_id == plan.id, PlanAction.status != Status.CLOSED.value)
        .where((ActionUpdate.blockage.is_not(None)) | (ActionUpdate.request.is_not(None)))  # type: ignore[union-attr]
        .order_by(ActionUpdate.id)
    ).all()
    latest: dict[int, dict[str, Any]] = {}
    for u, theme, agency in rows:
        if since is None or u.occurred_on >= since:
            latest[u.action_id] = {
                "action_id": u.action_id,
                "theme_label": THEME_LABELS[theme],
                "agency": agency,
                "on": u.occurred_on,
                "blockage": u.blockage,
                "request": u.request,
            }
    return list(latest.values())


def board_report(ctx: AppContext, *, viewer: str | None = None) -> dict[str, Any]:
    """For the Board: progress by theme and agency, overdue actions, blockages and requests, national
    recommendations and their status. Aggregate by design, so every role in the partnership may read it."""
    today = ctx.today()
    with ctx.db.read() as session:
        viewer_for(session, viewer)  # an unknown viewer is an error even here
        plan = current_plan(session)
        every = all_actions(session, plan, today)
        national = [r for r in recommendation_rows(session, plan) if r["level"] == "national"]
        return {
            "plan": plan_dict(session, plan),
            "as_of": today,
            "totals": status_counts(every),
            "by_theme": by_theme(every),
            "by_agency": by_agency(every),
            "overdue": [_brief(a) for a in every if a["overdue"]],
            "blockages": _blockages(session, plan),
            "national_recommendations": national,
            "recurring_topics": [t for t in recurring_topics(session, plan) if t["recurring"]],
        }


def _brief(a: dict[str, Any]) -> dict[str, Any]:
    """An action as the Board sees it: no notes, no names beyond the lead's role in the agency."""
    return {
        "id": a["id"],
        "theme_label": a["theme_label"],
        "agency": a["agency"]["name"],
        "description": a["description"],
        "target_on": a["target_on"],
        "status_label": a["status_label"],
        "rag": a["rag"],
        "case_ref": a["case_ref"],
    }


def theme_agenda(ctx: AppContext, meeting_id: int) -> dict[str, Any]:
    """A themed meeting's agenda pack: the theme's actions (red first), its blockages and requests, the topics
    recurring across reviews, and the collated plan when a commentary round is presented at this meeting."""
    from dhr_workflow.lessons.meetings import meeting_dict

    today = ctx.today()
    with ctx.db.read() as session:
        meeting = meeting_dict(session, meeting_id)
        plan = current_plan(session)
        every = all_actions(session, plan, today)
        themed = [a for a in every if a["theme"] == meeting["theme"] and a["status"] != Status.CLOSED]
        order = {"red": 0, "amber": 1, "green": 2, "complete": 3}
        themed.sort(key=lambda a: (order[a["rag"]], a["target_on"], a["id"]))
        blockages = [b for b in _blockages(session, plan) if b["theme_label"] == meeting["theme_label"]]
        items = _agenda_items(meeting, themed, blockages)
        return {
            "plan": plan_dict(session, plan),
            "meeting": meeting,
            "items": items,
            "actions": themed,
            "totals": status_counts(themed),
            "blockages": blockages,
            "recurring_topics": [t for t in recurring_topics(session, plan) if t["recurring"]],
            "collated_round": meeting["round_id"],
        }


def _agenda_items(meeting: dict[str, Any], themed: list[dict[str, Any]], blockages: list[Any]) -> list[str]:
    items = [
        "Welcome, apologies and declarations of interest",
        "Minutes and actions of the last meeting",
        f"Themed discussion: {meeting['theme_label']} ({len(themed)} open action(s))",
    ]
    red = [a for a in themed if a["rag"] == "red"]
    if red:
        items.append(f"Exceptions: {len(red)} action(s) rated red or overdue")
    if blockages:
        items.append(f"Blockages and requests to raise with the Board ({len(blockages)})")
    if meeting["round_id"]:
        items.append("The collated Delivery Plan (bi-annual commentary round) for agreement before the Board")
    items += ["Learning from reviews: topics recurring across reviews", "Any other business; date of next meeting"]
    return items


def collated_plan(ctx: AppContext, *, round_id: int | None = None) -> dict[str, Any]:
    """The plan with each action's commentary from the round (the Delivery Group and Board paper)."""
    from dhr_workflow.lessons.commentary import status as round_status

    today = ctx.today()
    round_info = round_status(ctx, round_id=round_id)
    with ctx.db.read() as session:
        plan = current_plan(session)
        every = all_actions(session, plan, today)
        answers = {
            u.action_id: u
            for u in session.scalars(
                select(ActionUpdate).where(ActionUpdate.round_id == round_info["id"]).order_by(ActionUpdate.id)
            )
        }
        answered = {r["action_id"]: r for r in round_info["requests"]}
        for a in every:
            u = answers.get(a["id"])
            a["commentary"] = u.note if u else None
            a["commentary_on"] = u.occurred_on if u else None
            a["asked"] = a["id"] in answered
        return {
            "plan": plan_dict(session, plan),
            "round": round_info,
            "as_of": today,
            "themes": [{"label": THEME_LABELS[t], "actions": [a for a in every if a["theme"] == t]} for t in THEMES],
            "blockages": _blockages(session, plan, since=round_info["opened_on"]),
            "totals": status_counts(every),
        }


def learning_briefing(ctx: AppContext, ref: str, *, viewer: str | None = None) -> dict[str, Any]:
    """A short briefing for practitioners on a published review: its recommendations, what agencies are doing,
    and the topics it shares with other reviews. Uses only the review's reference (published reviews are
    anonymised; no names or pseudonyms are included here)."""
    from dhr_workflow.cases.lifecycle import load_case

    today = ctx.today()
    with ctx.db.read() as session:
        user = viewer_for(session, viewer)
        case = load_case(session, ref, user)
        if case.state not in PUBLISHED_STATES:
            raise InvalidInput(f"{case.ref} is not published yet; learning briefings are for published reviews")
        plan = current_plan(session)
        recs = recommendations.rows(session, case, recommendations.IN_DOCUMENTS)
        actions = [a for a in all_actions(session, plan, today) if a["case_ref"] == case.ref]
        tags = sorted({t for a in actions for t in a["tags"]})
        shared = [t for t in recurring_topics(session, plan) if t["tag"] in tags]
        return {
            "ref": case.ref,
            "publication_url": case.fields.get("publication_url"),
            "recommendations": recs,
            "actions": [_brief(a) | {"tags": a["tags"]} for a in actions],
            "topics": shared,
            "as_of": today,
        }

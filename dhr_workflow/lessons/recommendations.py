"""A review's recommendations as records (issue 13): numbered per review, addressed to a type of body (and which
one), single-agency (from an agency's report) or the overview report's, and moving proposed -> agreed by the panel
-> accepted or rejected by the addressee. An agreed recommendation links to actions in the Delivery Plan's one action
table (ADR 0040), and every document of the case lists the agreed ones with their actions (`document_data`,
registered with the document pipeline when dhr_workflow.cases.facts loads its extensions).

Each change is one transaction with its audit event; payloads carry numbers and statuses, never the text.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.tables import Agency
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text, is_id, not_in_future
from dhr_workflow.documents.context import add_context_provider
from dhr_workflow.documents.environment import long_date
from dhr_workflow.lessons.actions import acting_user
from dhr_workflow.lessons.plans import current_plan
from dhr_workflow.lessons.rules import (
    ADDRESSEE_TYPES,
    LEVELS,
    NAMED_ADDRESSEES,
    NATIONAL_STATUS_LABELS,
    RECOMMENDATION_STATUSES,
    check_recommendation_step,
    level_for,
    may_approve_closure,
    parse_addressee_type,
    parse_theme,
)
from dhr_workflow.lessons.tables import ActionMilestone, PlanAction, Recommendation
from dhr_workflow.people.tables import User

FIXED_ADDRESSEES = {"partnership": "The community safety partnership", "home_office": "The Home Office"}
DEFAULT_THEME = "priority_response"  # a review's recommendation is about the response unless said otherwise
RECOMMENDATION_KEEPERS = ("admin", "coordinator", "csp_chair")  # lessons.rules.may_approve_closure
IN_DOCUMENTS = ("agreed", "accepted", "rejected")  # what the panel agreed, whatever the addressee made of it


def _must_manage(user: User | None) -> None:
    if user is not None and not may_approve_closure(user.role):
        raise NotPermitted(
            "only the community safety team or the CSP chair may record a review's recommendations",
            RECOMMENDATION_KEEPERS,
        )


def number_key(number: str) -> tuple[int, str]:
    """'2' < '3a' < '10': numbers sort as the report numbers them."""
    match = re.match(r"(\d+)(.*)", number)
    return (int(match.group(1)), match.group(2)) if match else (10**6, number)


def _case_recs(session: Session, case: Case) -> list[Recommendation]:
    recs = session.scalars(select(Recommendation).where(Recommendation.case_id == case.id))
    return sorted(recs, key=lambda r: number_key(r.number))


def _by_number(session: Session, case: Case, number: str) -> Recommendation:
    rec = next((r for r in _case_recs(session, case) if r.number == number.strip()), None)
    if rec is None:
        raise NotFound(f"{case.ref} has no recommendation {number}; `dhr recommendation list {case.ref}` lists them")
    return rec


def add(
    ctx: AppContext,
    ref: str,
    *,
    text: str,
    addressee_type: str,
    addressee: str | None = None,
    single_agency: str | None = None,
    theme: str | None = None,
    number: str | None = None,
    by: str | None = None,
) -> Recommendation:
    """A proposed recommendation of review `ref`, numbered next unless `number` is given."""
    kind = parse_addressee_type(addressee_type)
    body = clean_text(text, "the recommendation", 4000)
    named = clean_text(addressee, "the addressee", 200, required=False) if addressee else None
    if kind in NAMED_ADDRESSEES and not named:
        raise InvalidInput(f"say which {ADDRESSEE_TYPES[kind].lower().removeprefix('a ')} with --addressee NAME")
    source = clean_text(single_agency, "the agency whose report made it", 200) if single_agency else None
    with ctx.db.write() as session:
        label, user = acting_user(session, by)
        _must_manage(user)
        case = load_case(session, ref, user)
        existing = _case_recs(session, case)
        if number is None:
            number = str(max((number_key(r.number)[0] for r in existing if r.number[:1].isdigit()), default=0) + 1)
        number = clean_text(number, "the recommendation number", 20)
        if any(r.number == number for r in existing):
            raise InvalidInput(f"{case.ref} already has a recommendation {number}; give another --number")
        rec = Recommendation(
            plan_id=current_plan(session).id or 0,
            case_id=case.id,
            number=number,
            text=body,
            level=level_for(kind, source is not None),
            addressee=named or FIXED_ADDRESSEES.get(kind, source or ""),
            addressee_type=kind,
            source_agency=source,
            theme=parse_theme(theme) if theme else DEFAULT_THEME,
            status="proposed",
            created_by=label,
        )
        session.add(rec)
        case.updated_at = utcnow()  # bumps the case version: published text must be checked again
        session.flush()
        _audit(session, ctx.today(), label, rec, "recommendation_added", {"addressee_type": kind})
        return rec


def _audit(session: Session, on: date, actor: str, rec: Recommendation, action: str, extra: dict[str, Any]) -> None:
    audit.append(
        session,
        actor=actor,
        action=action,
        occurred_on=on,
        case_id=rec.case_id,
        payload={"recommendation_id": rec.id, "number": rec.number, "status": rec.status, **extra},
    )


def _step(
    ctx: AppContext, ref: str, number: str, to: str, on: date | None, by: str | None, reason: str | None = None
) -> Recommendation:
    day = not_in_future(on, ctx.today(), "--on") if on else ctx.today()
    why = clean_text(reason, "the reasons", 2000) if to == "rejected" else None
    with ctx.db.write() as session:
        label, user = acting_user(session, by)
        _must_manage(user)
        case = load_case(session, ref, user)
        rec = _by_number(session, case, number)
        check_recommendation_step(rec.number, rec.status, to)
        case.updated_at = utcnow()  # what the documents list changed: published text must be checked again
        rec.status = to
        if to == "agreed":
            rec.agreed_on = day
        else:
            rec.responded_on, rec.rejection_reason = day, why
        _audit(session, day, label, rec, f"recommendation_{to}", {})
        return rec


def agree(ctx: AppContext, ref: str, number: str, *, on: date | None = None, by: str | None = None) -> Recommendation:
    """The panel agreed it: it goes into the case's documents and may carry actions."""
    return _step(ctx, ref, number, "agreed", on, by)


def accept(ctx: AppContext, ref: str, number: str, *, on: date | None = None, by: str | None = None) -> Recommendation:
    return _step(ctx, ref, number, "accepted", on, by)


def reject(
    ctx: AppContext, ref: str, number: str, reason: str, *, on: date | None = None, by: str | None = None
) -> Recommendation:
    return _step(ctx, ref, number, "rejected", on, by, reason)


def link(ctx: AppContext, ref: str, number: str, action_id: int, *, by: str | None = None) -> None:
    """An agreed recommendation is carried out by this action (one recommendation, one or more actions)."""
    with ctx.db.write() as session:
        label, user = acting_user(session, by)
        _must_manage(user)
        case = load_case(session, ref, user)
        rec = _by_number(session, case, number)
        if rec.status == "proposed":
            raise InvalidInput(f"recommendation {rec.number} is only proposed; the panel agrees it before actions")
        action = session.get(PlanAction, action_id) if is_id(action_id) else None
        if action is None or action.case_id not in (None, case.id):
            raise NotFound(f"no action {action_id} of {case.ref}; `dhr action list` shows the actions")
        action.recommendation_id, action.case_id = rec.id, case.id
        case.updated_at = utcnow()
        _audit(session, ctx.today(), label, rec, "recommendation_linked", {"action_id": action.id})


def list_for_case(ctx: AppContext, ref: str, *, viewer: User | None = None) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        return rows(session, load_case(session, ref, viewer))


def rows(session: Session, case: Case, statuses: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    recs = [r for r in _case_recs(session, case) if statuses is None or r.status in statuses]
    acts = _actions(session, [r.id or 0 for r in recs])
    return [_row(r, acts.get(r.id or 0, [])) for r in recs]


def _row(r: Recommendation, actions: list[dict[str, Any]]) -> dict[str, Any]:
    kind = r.addressee_type or ("national_body" if r.level == "national" else "local_agency")
    return {
        "id": r.id,
        "number": r.number,
        "text": r.text,
        "addressee_type": kind,
        "addressee_type_label": ADDRESSEE_TYPES[kind],
        "addressee": r.addressee,
        "level_label": LEVELS[r.level],
        "single_agency": r.source_agency,
        "source": f"{r.source_agency}'s report" if r.source_agency else "The overview report",
        "status": r.status,
        "status_label": RECOMMENDATION_STATUSES[r.status],
        "agreed_on": r.agreed_on.isoformat() if r.agreed_on else None,
        "responded_on": r.responded_on.isoformat() if r.responded_on else None,
        "rejection_reason": r.rejection_reason,
        "actions": actions,
        "level": r.level,
        "sent_to_national_on": r.sent_to_national_on.isoformat() if r.sent_to_national_on else None,
        "national_status": r.national_status,
        "national_status_label": NATIONAL_STATUS_LABELS.get(r.national_status or "", ""),
        "national_response": r.national_response,
    }


def _actions(session: Session, rec_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    query = (
        select(PlanAction, Agency.name)
        .join(Agency, Agency.id == PlanAction.owner_agency_id)
        .where(PlanAction.recommendation_id.in_(rec_ids or [-1]))  # type: ignore[union-attr]
        .order_by(PlanAction.id)
    )
    for action, agency in session.execute(query).all():
        steps = session.scalars(
            select(ActionMilestone).where(ActionMilestone.action_id == action.id).order_by(ActionMilestone.position)
        )
        found.setdefault(action.recommendation_id or 0, []).append(
            {
                "id": action.id,
                "description": action.description,
                "agency": agency,
                "milestones": [m.text for m in steps],
                "target_on": action.target_on.isoformat(),
                "closed_on": action.closed_on.isoformat() if action.closed_on else None,
                "outcome": action.outcome,
                "status": action.status,
            }
        )
    return found


def document_data(session: Session, case: Case, publication: bool) -> dict[str, Any]:
    """What the case's documents say about its recommendations: the agreed ones, and the action plan's rows
    (recommendation, action to take, lead agency, key milestones, target date, completion date and outcome)."""
    recs = rows(session, case, IN_DOCUMENTS)
    plan_rows = []
    for r in recs:
        label = f"{r['number']}. {r['text']}"
        if not r["actions"]:
            plan_rows.append([label, "No action agreed yet", r["addressee"], "", "", "", ""])
        for a in r["actions"]:
            done = long_date(a["closed_on"]) if a["closed_on"] else "Not yet complete"
            plan_rows.append(
                [
                    label,
                    a["description"],
                    a["agency"],
                    "; ".join(a["milestones"]) or "No milestones set",
                    long_date(a["target_on"]),
                    done,
                    a["outcome"] or "",
                ]
            )
    return {
        "recommendations": [{**r, "row": [r["number"], r["text"], r["addressee"]]} for r in recs],
        "action_plan_rows": plan_rows,
    }


add_context_provider(document_data)

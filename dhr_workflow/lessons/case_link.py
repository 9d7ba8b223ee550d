"""Where a review case meets its actions: the `open_actions` fact for the `no_open_actions` guard, and the
hand-over of still-open actions to the Delivery Plan when the case closes with a reason.

It registers both with dhr_workflow.cases.facts, which names this module as an extension and imports it on first
use.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases.facts import add_fact_provider, add_transition_listener
from dhr_workflow.cases.tables import Case
from dhr_workflow.core import audit
from dhr_workflow.core.tables import utcnow
from dhr_workflow.lessons.action_counts import open_actions
from dhr_workflow.lessons.rules import OPEN_STATUSES
from dhr_workflow.lessons.tables import ActionHandover, ActionUpdate, PlanAction

CLOSE_TRIGGER = "close"


def _open_actions(session: Session, case: Case) -> list[PlanAction]:
    return list(
        session.scalars(
            select(PlanAction)
            .where(PlanAction.case_id == case.id, PlanAction.status.in_(OPEN_STATUSES))  # type: ignore[attr-defined]
            .where(PlanAction.handed_over_on.is_(None))  # type: ignore[union-attr]
            .order_by(PlanAction.id)
        )
    )


def open_action_facts(session: Session, case: Case) -> dict[str, Any]:
    """Open actions from this review that the Delivery Plan has not taken over yet (one query with the Core path)."""
    return {"open_actions": open_actions(session, case.id or 0)}


def hand_over_on_close(session: Session, case: Case, outcome: Any, occurred: date, actor: str) -> None:
    """On `close`, every still-open action passes to the Delivery Plan, with the reason, in the same transaction."""
    if outcome.trigger != CLOSE_TRIGGER:
        return
    reason = str(case.fields.get("handover_reason") or "").strip()
    actions = _open_actions(session, case)
    if not actions:
        return
    for action in actions:
        action.handed_over_on = occurred
        action.updated_at = utcnow()
        session.add(
            ActionHandover(
                action_id=action.id or 0,
                case_id=case.id or 0,
                plan_id=action.plan_id,
                reason=reason,
                handed_over_on=occurred,
                by=actor,
            )
        )
        session.add(
            ActionUpdate(
                action_id=action.id or 0,
                kind="handover",
                note=f"Review closed; the Delivery Plan holds this action. Reason: {reason}",
                occurred_on=occurred,
                by=actor,
            )
        )
    audit.append(
        session,
        actor=actor,
        action="actions_handed_over",
        occurred_on=occurred,
        case_id=case.id,
        payload={"action_ids": [a.id for a in actions], "reason": reason},
    )


add_fact_provider(open_action_facts)
add_transition_listener(hand_over_on_close)

"""Who may see and change which actions. Services take a `viewer` (None = the operator at the command line, who
sees everything, as cases.lifecycle.load_case does); a hidden action is reported exactly like a missing one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.tables import AgencyContact
from dhr_workflow.cases.tables import CaseMember
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.text import is_id
from dhr_workflow.lessons.rules import Scope, scope_for
from dhr_workflow.lessons.tables import PlanAction
from dhr_workflow.people.tables import User


def scope(viewer: User | None) -> Scope:
    return Scope.ALL if viewer is None else scope_for(viewer.role)


def agency_ids(session: Session, user: User) -> set[int]:
    return set(session.scalars(select(AgencyContact.agency_id).where(AgencyContact.user_id == user.id)))


def case_ids(session: Session, user: User) -> set[int]:
    return set(session.scalars(select(CaseMember.case_id).where(CaseMember.user_id == user.id)))


def restrict(session: Session, query: Any, viewer: User | None) -> Any:
    """Narrow an action query to what `viewer` may see."""
    seen = scope(viewer)
    if seen is Scope.ALL:
        return query
    assert viewer is not None
    if seen is Scope.AGENCY:
        return query.where(PlanAction.owner_agency_id.in_(agency_ids(session, viewer) or {-1}))  # type: ignore[attr-defined]
    if seen is Scope.CASES:
        return query.where(PlanAction.case_id.in_(case_ids(session, viewer) or {-1}))  # type: ignore[union-attr]
    raise InvalidInput("the Board sees the Delivery Plan in aggregate: use `dhr plan show` or `dhr plan board-report`")


def load_action(session: Session, action_id: int, viewer: User | None, *, for_update: bool = False) -> PlanAction:
    query = select(PlanAction).where(PlanAction.id == action_id)
    if scope(viewer) is not Scope.AGGREGATE:
        query = restrict(session, query, viewer)
    else:
        query = query.where(PlanAction.id == -1)
    if for_update:
        query = query.with_for_update()
    action = session.scalars(query).first() if is_id(action_id) else None
    if action is None:
        raise NotFound(f"no action {action_id}; `dhr action list` shows the actions you can see")
    return action


def may_update(viewer: User | None) -> bool:
    return scope(viewer) in (Scope.ALL, Scope.AGENCY)

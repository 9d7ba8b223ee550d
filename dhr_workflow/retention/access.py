"""Who may do what with retention (ADR 0054): coordinators and administrators see what is due and set or release
legal holds; only administrators apply the schedule or export what is held about a person. The command line without
--by acts as the operator of the installation ("system")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dhr_workflow.core.errors import NotPermitted
from dhr_workflow.people.users import Actor, actor_for

HOLD_ROLES = frozenset({"admin", "coordinator"})
APPLY_ROLES = frozenset({"admin"})


def may_hold(role: str) -> bool:
    return role in HOLD_ROLES


def may_apply(role: str) -> bool:
    return role in APPLY_ROLES


def acting(session: Session, by: str | None, roles: frozenset[str], what: str) -> Actor:
    actor = actor_for(session, by)
    if actor.user is not None and (actor.user.role not in roles or not actor.user.active):
        allowed = " and ".join(sorted(r.replace("_", " ") + "s" for r in roles))
        raise NotPermitted(f"Only {allowed} may {what}")
    return actor

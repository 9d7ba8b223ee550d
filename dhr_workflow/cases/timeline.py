"""A case's timeline and its access log, from the audit trail. The timeline is what happened, in true order (the
day it happened, then when it was recorded), by name rather than email address; the reads of sensitive records
(views of the case, of real names, of task files and shared documents) go to a separate access log that only
coordinators and admins see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dhr_workflow.cases.queries import case_history
from dhr_workflow.core.context import AppContext
from dhr_workflow.people.roles import sees_access_log
from dhr_workflow.people.tables import User

READ_ACTIONS = frozenset(
    {"viewed_case", "viewed_real_names", "task_file_opened", "task_document_opened", "access_request_contact_viewed"}
)
SYSTEM = "system"


def _names(ctx: AppContext, viewer: User) -> dict[str, str]:
    with ctx.db.read() as session:
        rows = session.execute(select(User.email, User.name).where(User.partnership_id == viewer.partnership_id))
        return {str(row.email): str(row.name) for row in rows}


def _entry(event: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    actor = event["actor"]
    return {
        "action": event["action"],
        "what": event["action"].removeprefix("fired:").replace("_", " "),
        "by": "the system" if actor == SYSTEM else names.get(actor, "someone outside the partnership"),
        "occurred_on": event["occurred_on"],
        "recorded_at": event["recorded_at"],
        "seq": event["seq"],
    }


def timeline(ctx: AppContext, ref: str, viewer: User) -> list[dict[str, Any]]:
    """What happened on the case, oldest first: by the day it happened, then by when it was recorded."""
    names = _names(ctx, viewer)
    events = [e for e in case_history(ctx, ref, viewer) if e["action"] not in READ_ACTIONS]
    return sorted((_entry(e, names) for e in events), key=lambda e: (e["occurred_on"], e["recorded_at"], e["seq"]))


def access_log(ctx: AppContext, ref: str, viewer: User) -> list[dict[str, Any]] | None:
    """Who read the case's sensitive records and when, newest first; None for roles that may not see it."""
    if not sees_access_log(viewer.role):
        return None
    names = _names(ctx, viewer)
    events = [e for e in case_history(ctx, ref, viewer) if e["action"] in READ_ACTIONS]
    return [_entry(e, names) for e in reversed(events)]


def last_seq(ctx: AppContext, ref: str, viewer: User) -> int:
    """The case's newest audit event: a form carries it, so a conflict can say what changed since."""
    events = case_history(ctx, ref, viewer)
    return events[-1]["seq"] if events else 0


def changes_since(ctx: AppContext, ref: str, viewer: User, seq: int) -> list[dict[str, Any]]:
    """The changes (not the reads) recorded on the case after audit event `seq`, oldest first."""
    names = _names(ctx, viewer)
    return [
        _entry(e, names) for e in case_history(ctx, ref, viewer) if e["seq"] > seq and e["action"] not in READ_ACTIONS
    ]

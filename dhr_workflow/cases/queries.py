"""Reading cases: the shapes `dhr case show/list/history --json`, the web pages and the API all share.

Clock status (running, due soon, overdue, paused, met) is derived here from stored dates and today, never stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases import detail_model, read_model
from dhr_workflow.cases.clocks import clocks_of, extensions_of, pauses_of
from dhr_workflow.cases.detail_model import action_view, blocked_view, case_head, task_view
from dhr_workflow.cases.facts import facts
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.read_model import LATE, case_summary, check_state, known_states
from dhr_workflow.cases.tables import Case, CaseMember, Clock, Party, Task
from dhr_workflow.core import audit
from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.clocks import clock_status
from dhr_workflow.core.context import AppContext, ReadContext
from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.people.roles import sees_real_names
from dhr_workflow.people.tables import User
from dhr_workflow.workflow.definition import WorkflowDefinition
from dhr_workflow.workflow.engine import engine_for
from dhr_workflow.workflow.guards import GuardContext

__all__ = ["LATE", "case_summary", "check_state", "known_states", "task_view"]  # from the Core read models


def show_case(
    ctx: AppContext, ref: str, viewer: User | None = None, reveal_names: bool = False, *, record: bool = True
) -> dict[str, Any]:
    """Everything about one case that `viewer` may see. Reading real names is itself audited (`record`)."""
    today = ctx.today()
    with ctx.db.write() as session:  # a write: revealing names appends an audit event
        case = load_case(session, ref, viewer)
        definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
        cal = load_calendar(session)
        names = reveal_names and (viewer is None or sees_real_names(viewer.role))
        detail = _detail(session, case, definition, cal, today, names)
        if names and record:
            audit.append(
                session,
                actor=viewer.email if viewer else "system",
                action="viewed_real_names",
                occurred_on=today,
                case_id=case.id,
                payload={},
            )
        return detail


def _detail(
    session: Session,
    case: Case,
    definition: WorkflowDefinition,
    cal: WorkingCalendar,
    today: date,
    names: bool,
) -> dict[str, Any]:
    engine = engine_for(definition)
    guard_ctx = GuardContext(case.ref, case.state, case.fields, facts(session, case), today)
    available = engine.available_triggers(case, guard_ctx)
    labels = definition.transition_labels()
    return {
        **case_head(case, definition.title, definition.states[case.state]),  # as the Core read's (detail_model)
        "available_triggers": available,
        "actions": [
            action_view(t, labels[t], engine.required_inputs(case.state, t), definition.roles_for(case.state, t))
            for t in available
        ],
        "blocked_actions": [
            blocked_view(t, labels[t], engine.explain_blocked(t, guard_ctx, assume_inputs=True))
            for t in engine.triggers_from(case.state)
            if t not in available
        ],
        "clocks": [clock_view(session, c, definition, cal, today) for c in clocks_of(session, case.id or 0)],
        "tasks": [task_view(t, today) for t in _tasks(session, case)],
        "parties": [_party_view(p, names) for p in _parties(session, case)],
        "members": _members(session, case),
        "fields": case.fields,
    }


def clock_view(
    session: Session, c: Clock, definition: WorkflowDefinition, cal: WorkingCalendar, today: date
) -> dict[str, Any]:
    status = clock_status(c.due_on, c.stopped_on, c.paused, today, cal)
    extensions = extensions_of(session, c.id or 0) if c.extension_days else []
    return detail_model.clock_view(c, definition.clocks.get(c.name), status, pauses_of(session, c.id or 0), extensions)


def _tasks(session: Session, case: Case) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.case_id == case.id).order_by(Task.due_on, Task.id)))


def _parties(session: Session, case: Case) -> list[Party]:
    return list(session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.id)))


def _party_view(p: Party, names: bool) -> dict[str, Any]:
    view: dict[str, Any] = {"kind": p.kind, "pseudonym": p.pseudonym, "age": p.age}
    if names:
        view["real_name"] = p.real_name
    return view


def _members(session: Session, case: Case) -> list[dict[str, Any]]:
    rows = session.execute(
        select(CaseMember.role, User.email, User.name)
        .join(User, User.id == CaseMember.user_id)
        .where(CaseMember.case_id == case.id)
        .order_by(CaseMember.role, User.email)
    ).all()
    return [{"role": role, "email": email, "name": name} for role, email, name in rows]


def list_cases(
    ctx: AppContext, *, state: str | None = None, overdue: bool = False, viewer: User | None = None
) -> list[dict[str, Any]]:
    """The case list (cases.read_model, Core only: `dhr case list` runs it without this module)."""
    return read_model.list_cases(ReadContext.of(ctx), state=state, overdue=overdue, viewer=viewer)


def case_history(ctx: AppContext, ref: str, viewer: User | None = None) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        events = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq))
        return [
            {
                "seq": e.seq,
                "action": e.action,
                "actor": e.actor,
                "occurred_on": e.occurred_on.isoformat(),
                "recorded_at": e.recorded_at.isoformat(timespec="seconds"),
                "details": e.payload,
            }
            for e in events
        ]

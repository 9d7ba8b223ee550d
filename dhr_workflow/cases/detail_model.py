"""`dhr case show REF` with SQLAlchemy Core: the same dict as `cases.queries.show_case` for the system (no viewer,
no real names), read without the ORM tables, the pydantic definitions or the transitions engine (issue 17).

What can happen next comes from the workflow's plain plan (workflow.plans) and the guards, whose facts are read by
`cases.core_facts`; a guard needing a fact only an ORM provider computes raises NeedsOrm, and the caller uses
show_case instead. tests/integration/test_case_detail_core.py holds this dict equal to show_case's for every case.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dhr_workflow.cases.core_facts import CoreFacts
from dhr_workflow.core.clocks import ClockStatus, clock_status
from dhr_workflow.core.context import ReadContext
from dhr_workflow.core.errors import NotFound
from dhr_workflow.core.holiday_calendar import calendar_at
from dhr_workflow.core.plain_sql import Query, read_connection
from dhr_workflow.workflow.guards import GuardContext, Missing
from dhr_workflow.workflow.plans import WorkflowPlan

SQL = "dhr_workflow.cases.detail_sql"
CASE, CLOCKS, PAUSES = Query(SQL, "CASE"), Query(SQL, "CLOCKS"), Query(SQL, "PAUSES")
EXTENSIONS, TASKS, PARTIES, MEMBERS = (Query(SQL, n) for n in ("EXTENSIONS", "TASKS", "PARTIES", "MEMBERS"))


def case_detail(ctx: ReadContext, ref: str) -> dict[str, Any]:
    """show_case(ctx, ref) for the system, without real names. NeedsOrm: a guard needs an ORM-only fact."""
    today = ctx.today()
    with read_connection(ctx.engine) as connection:
        case = CASE.run(connection, {"ref": ref.strip().upper()}).first()
        if case is None:
            raise NotFound(f"no case {ref}; `dhr case list` shows the cases you can see")
        plan = ctx.plans.get(case.workflow_name, case.workflow_version)
        head = case_head(case, plan.title, plan.states[case.state])
        return head | _steps(connection, case, plan, today) | _rest(connection, case, plan, today)


def case_head(case: Any, title: str, state: Any) -> dict[str, Any]:
    """The first keys of `case show`'s dict, for show_case too: `case` a row or ORM object, `state` its state in
    the workflow (a plan's or a definition's: label, stage, final)."""
    return {
        "ref": case.ref,
        "review_type": case.review_type,
        "workflow": {"name": case.workflow_name, "version": case.workflow_version, "title": title},
        "state": case.state,
        "state_label": state.label,
        "stage": state.stage,
        "final": state.final,
        "version": case.version,
        "death_date": case.death_date.isoformat(),
        "notified_date": case.notified_date.isoformat(),
        "police_ref": case.police_ref,
        "last_event_on": case.last_event_on.isoformat(),
    }


def _steps(connection: Any, case: Any, plan: WorkflowPlan, today: date) -> dict[str, Any]:
    guard_ctx = GuardContext(case.ref, case.state, dict(case.fields or {}), CoreFacts(connection, case.id), today)
    available = plan.available_triggers(guard_ctx)
    labels = plan.transition_labels()
    return {
        "available_triggers": available,
        "actions": [
            action_view(t, labels[t], plan.required_inputs(case.state, t), plan.roles_for(case.state, t))
            for t in available
        ],
        "blocked_actions": [
            blocked_view(t, labels[t], plan.explain_blocked(t, guard_ctx))
            for t in plan.triggers_from(case.state)
            if t not in available
        ],
    }


def action_view(trigger: str, label: str, requires: Any, roles: Any) -> dict[str, Any]:
    """A step possible now, as both reads of `case show` give it (this Core one and cases.queries.show_case)."""
    return {"trigger": trigger, "label": label, "requires": requires, "roles": roles}


def blocked_view(trigger: str, label: str, missing: list[Missing]) -> dict[str, Any]:
    """A step not possible yet: `missing` in command-line words (for `dhr case show`), `needs` structured (what,
    the fields or action that supply it) for pages to link to the field or button."""
    return {
        "trigger": trigger,
        "label": label,
        "missing": [str(m) for m in missing],
        "needs": [m.as_dict() for m in missing],
    }


def _rest(connection: Any, case: Any, plan: WorkflowPlan, today: date) -> dict[str, Any]:
    of_case = {"case_id": case.id}
    clocks = CLOCKS.run(connection, of_case).all()
    pauses, extensions = PAUSES.run(connection, of_case).all(), EXTENSIONS.run(connection, of_case).all()
    cal = calendar_at(connection)
    return {
        "clocks": [
            clock_view(
                c,
                plan.clocks.get(c.name),
                clock_status(c.due_on, c.stopped_on, c.paused, today, cal),
                [p for p in pauses if p.clock_id == c.id],
                [e for e in extensions if e.clock_id == c.id and c.extension_days],
            )
            for c in clocks
        ],
        "tasks": [task_view(t, today) for t in TASKS.run(connection, of_case)],
        "parties": [{"kind": p.kind, "pseudonym": p.pseudonym, "age": p.age} for p in PARTIES.run(connection, of_case)],
        "members": [
            {"role": role, "email": email, "name": name} for role, email, name in MEMBERS.run(connection, of_case)
        ],
        "fields": dict(case.fields or {}),
    }


def clock_view(c: Any, spec: Any, status: ClockStatus, pauses: list[Any], extensions: list[Any]) -> dict[str, Any]:
    """A clock as `case show` gives it; `c`, its pauses and extensions are rows or ORM objects with these columns,
    `spec` the workflow's ClockDef or PlainClock (None for a clock the workflow no longer has)."""
    return {
        "name": c.name,
        "label": spec.label if spec else c.name,
        "round": c.round,
        "rule": c.rule,
        "start": c.started_on.isoformat(),
        "due": c.due_on.isoformat(),
        "stopped_on": c.stopped_on.isoformat() if c.stopped_on else None,
        "status": status.value,
        "paused_days": c.paused_days,
        "extension_days": c.extension_days,
        "source": spec.source if spec else "",
        "configurable": bool(spec and spec.configurable),
        "calendar_version": c.calendar_version,
        "explanation": c.explanation,
        "pauses": [
            {
                "reason": p.reason,
                "paused_on": p.paused_on.isoformat(),
                "resumed_on": p.resumed_on.isoformat() if p.resumed_on else None,
                "note": p.note,
                "agreed_by": p.agreed_by,
            }
            for p in pauses
        ],
        "extensions": [
            {"days": e.days, "reason": e.reason, "agreed_by": e.agreed_by, "agreed_on": e.agreed_on.isoformat()}
            for e in extensions
        ],
    }


def task_view(t: Any, today: date) -> dict[str, Any]:
    status = "done" if t.done_on else ("overdue" if t.due_on < today else "open")
    return {
        "id": t.id,
        "kind": t.kind,
        "title": t.title,
        "assignee_id": t.assignee_id,
        "due": t.due_on.isoformat(),
        "done_on": t.done_on.isoformat() if t.done_on else None,
        "status": status,
    }

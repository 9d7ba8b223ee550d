"""`dhr case show REF` with SQLAlchemy Core: the same dict as `cases.queries.show_case` for the system (no viewer,
no real names), read without the ORM tables, the pydantic definitions or the transitions engine (issue 17).

What can happen next comes from the workflow's plain plan (workflow.plans) and the guards, whose facts are read by
`cases.core_facts`; a guard needing a fact only an ORM provider computes raises NeedsOrm, and the caller uses
show_case instead. tests/integration/test_case_detail_core.py holds this dict equal to show_case's for every case.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Date, Integer, String, bindparam, column, select, table

from dhr_workflow.cases.core_facts import CoreFacts
from dhr_workflow.core.clocks import ClockStatus, clock_status
from dhr_workflow.core.context import ReadContext
from dhr_workflow.core.engines import read_connection
from dhr_workflow.core.errors import NotFound
from dhr_workflow.core.holiday_calendar import calendar_at
from dhr_workflow.workflow.guards import GuardContext, Missing
from dhr_workflow.workflow.plans import WorkflowPlan

CASE = table(
    "review_case",
    *(column(n, Integer) for n in ("id", "version")),
    *(column(n, String) for n in ("ref", "review_type", "workflow_name", "workflow_version", "state", "police_ref")),
    *(column(n, Date) for n in ("death_date", "notified_date", "last_event_on")),
    column("fields", JSON),
)
CLOCK = table(
    "clock",
    *(column(n, Integer) for n in ("id", "case_id", "round", "paused_days", "extension_days")),
    *(column(n, String) for n in ("name", "rule", "calendar_version")),
    *(column(n, Date) for n in ("started_on", "due_on", "stopped_on")),
    column("paused", Boolean),
    column("explanation", JSON),
)
PAUSE = table(
    "clock_pause",
    *(column(n, Integer) for n in ("id", "clock_id")),
    *(column(n, String) for n in ("reason", "note", "agreed_by")),
    *(column(n, Date) for n in ("paused_on", "resumed_on")),
)
EXTENSION = table(
    "clock_extension",
    *(column(n, Integer) for n in ("id", "clock_id", "days")),
    *(column(n, String) for n in ("reason", "agreed_by")),
    column("agreed_on", Date),
)
TASK = table(
    "task",
    *(column(n, Integer) for n in ("id", "case_id", "assignee_id")),
    *(column(n, String) for n in ("kind", "title")),
    *(column(n, Date) for n in ("due_on", "done_on")),
)
PARTY = table(
    "party",
    *(column(n, Integer) for n in ("id", "case_id", "age")),
    *(column(n, String) for n in ("kind", "pseudonym")),
)
MEMBER = table("case_member", *(column(n, Integer) for n in ("case_id", "user_id")), column("role", String))
ACCOUNT = table("account", column("id", Integer), column("email", String), column("name", String))

# Built once: building a statement costs ten times running it (bench/main_path.py; issue 17).
_CASE = select(CASE).where(CASE.c.ref == bindparam("ref"))
_CLOCKS = select(CLOCK).where(CLOCK.c.case_id == bindparam("case_id")).order_by(CLOCK.c.id)
_PAUSES = (
    select(PAUSE)
    .where(PAUSE.c.clock_id.in_(bindparam("clock_ids", expanding=True)))
    .order_by(PAUSE.c.paused_on, PAUSE.c.id)
)
_EXTENSIONS = (
    select(EXTENSION).where(EXTENSION.c.clock_id.in_(bindparam("clock_ids", expanding=True))).order_by(EXTENSION.c.id)
)
_TASKS = select(TASK).where(TASK.c.case_id == bindparam("case_id")).order_by(TASK.c.due_on, TASK.c.id)
_PARTIES = (
    select(PARTY.c.kind, PARTY.c.pseudonym, PARTY.c.age)
    .where(PARTY.c.case_id == bindparam("case_id"))
    .order_by(PARTY.c.id)
)
_MEMBERS = (
    select(MEMBER.c.role, ACCOUNT.c.email, ACCOUNT.c.name)
    .join(ACCOUNT, ACCOUNT.c.id == MEMBER.c.user_id)
    .where(MEMBER.c.case_id == bindparam("case_id"))
    .order_by(MEMBER.c.role, ACCOUNT.c.email)
)


def case_detail(ctx: ReadContext, ref: str) -> dict[str, Any]:
    """show_case(ctx, ref) for the system, without real names. NeedsOrm: a guard needs an ORM-only fact."""
    today = ctx.today()
    with read_connection(ctx.engine) as connection:
        case = connection.execute(_CASE, {"ref": ref.strip().upper()}).first()
        if case is None:
            raise NotFound(f"no case {ref}; `dhr case list` shows the cases you can see")
        plan = ctx.plans.get(case.workflow_name, case.workflow_version)
        return _head(case, plan) | _steps(connection, case, plan, today) | _rest(connection, case, plan, today)


def _head(case: Any, plan: WorkflowPlan) -> dict[str, Any]:
    state = plan.states[case.state]
    return {
        "ref": case.ref,
        "review_type": case.review_type,
        "workflow": {"name": case.workflow_name, "version": case.workflow_version, "title": plan.title},
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


def _steps(connection: Connection, case: Any, plan: WorkflowPlan, today: date) -> dict[str, Any]:
    guard_ctx = GuardContext(case.ref, case.state, dict(case.fields or {}), CoreFacts(connection, case.id), today)
    available = plan.available_triggers(guard_ctx)
    labels = plan.transition_labels()
    return {
        "available_triggers": available,
        "actions": [
            {
                "trigger": t,
                "label": labels[t],
                "requires": plan.required_inputs(case.state, t),
                "roles": plan.roles_for(case.state, t),
            }
            for t in available
        ],
        "blocked_actions": [
            blocked_view(t, labels[t], plan.explain_blocked(t, guard_ctx))
            for t in plan.triggers_from(case.state)
            if t not in available
        ],
    }


def blocked_view(trigger: str, label: str, missing: list[Missing]) -> dict[str, Any]:
    """A step not possible yet: `missing` in command-line words (for `dhr case show`), `needs` structured (what,
    the fields or action that supply it) for pages to link to the field or button."""
    return {
        "trigger": trigger,
        "label": label,
        "missing": [str(m) for m in missing],
        "needs": [m.as_dict() for m in missing],
    }


def _rest(connection: Connection, case: Any, plan: WorkflowPlan, today: date) -> dict[str, Any]:
    clocks = connection.execute(_CLOCKS, {"case_id": case.id}).all()
    ids = {"clock_ids": [c.id for c in clocks]}
    pauses, extensions = connection.execute(_PAUSES, ids).all(), connection.execute(_EXTENSIONS, ids).all()
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
        "tasks": [task_view(t, today) for t in connection.execute(_TASKS, {"case_id": case.id})],
        "parties": [
            {"kind": p.kind, "pseudonym": p.pseudonym, "age": p.age}
            for p in connection.execute(_PARTIES, {"case_id": case.id})
        ],
        "members": [
            {"role": role, "email": email, "name": name}
            for role, email, name in connection.execute(_MEMBERS, {"case_id": case.id})
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

"""What the web app and API show people about cases, on top of case_queries: every view of a case's records is
audited (who, what, when), real names only for the roles that need them, and case-scoped people see only their
own tasks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dhr_workflow.db.tables import Case, Task, User
from dhr_workflow.domain.access import sees_only_own_cases, sees_real_names
from dhr_workflow.domain.errors import NotFound
from dhr_workflow.services import audit
from dhr_workflow.services.case_queries import case_history, show_case, task_view
from dhr_workflow.services.cases import load_case
from dhr_workflow.services.context import AppContext


def ensure_visible(ctx: AppContext, ref: str, viewer: User) -> str:
    """The case's canonical reference if `viewer` may see it; NotFound (exactly as for a missing case) if not."""
    with ctx.db.read() as session:
        return load_case(session, ref, viewer).ref


def view_case(ctx: AppContext, ref: str, viewer: User, what: str = "case") -> dict[str, Any]:
    """One case as `viewer` may see it, with the view written to the audit trail."""
    names = sees_real_names(viewer.role)
    detail = show_case(ctx, ref, viewer, reveal_names=names)  # audits the reading of real names itself
    if not names:
        record_view(ctx, detail["ref"], viewer, what)
    if sees_only_own_cases(viewer.role) and viewer.role != "reviewer":
        detail["tasks"] = [t for t in detail["tasks"] if t["assignee_id"] == viewer.id]
    return detail


def view_history(ctx: AppContext, ref: str, viewer: User) -> list[dict[str, Any]]:
    events = case_history(ctx, ref, viewer)
    record_view(ctx, ref, viewer, "history")
    return events


def record_view(ctx: AppContext, ref: str, viewer: User, what: str) -> None:
    with ctx.db.write() as session:
        case = load_case(session, ref, viewer)
        audit.append(
            session,
            actor=viewer.email,
            action="viewed_case",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"what": what},
        )


def my_tasks(ctx: AppContext, viewer: User, include_done: bool = False) -> list[dict[str, Any]]:
    """The tasks assigned to `viewer` on cases they can still see, soonest due first."""
    today = ctx.today()
    with ctx.db.read() as session:
        query = (
            select(Task, Case.ref)
            .join(Case, Case.id == Task.case_id)
            .where(Task.assignee_id == viewer.id, Case.partnership_id == viewer.partnership_id)
            .order_by(Task.due_on, Task.id)
        )
        if not include_done:
            query = query.where(Task.done_on.is_(None))  # type: ignore[union-attr]
        rows = session.execute(query).all()
    return [{**task_view(task, today), "case_ref": ref} for task, ref in rows]


def case_summary(ctx: AppContext, ref: str, viewer: User) -> dict[str, Any]:
    """Which workflow and state a case is at, for drawing its diagram (no sensitive records, so not audited)."""
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        return {
            "ref": case.ref,
            "workflow_name": case.workflow_name,
            "workflow_version": case.workflow_version,
            "state": case.state,
        }


def task_not_found(task_id: int) -> NotFound:
    return NotFound(f"no task {task_id} for you; /tasks lists yours")

"""What the web app and API show people about cases, on top of case_queries: every view of a case's records is
audited (who, what, when), real names only for the roles that need them, and case-scoped people see only their
own tasks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.queries import case_history, show_case, task_view
from dhr_workflow.cases.read_model import case_summary as summary
from dhr_workflow.cases.read_model import check_state
from dhr_workflow.cases.tables import Case, CaseMember, Clock, Task
from dhr_workflow.core import audit
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import NotFound
from dhr_workflow.people.roles import sees_only_own_cases, sees_real_names
from dhr_workflow.people.tables import User


def ensure_visible(ctx: AppContext, ref: str, viewer: User) -> str:
    """The case's canonical reference if `viewer` may see it; NotFound (exactly as for a missing case) if not."""
    with ctx.db.read() as session:
        return load_case(session, ref, viewer).ref


def view_case(ctx: AppContext, ref: str, viewer: User, what: str = "case", *, record: bool = True) -> dict[str, Any]:
    """One case as `viewer` may see it, with the view written to the audit trail (unless `record` is False: a page
    re-shown with a form's errors, already recorded when it was loaded)."""
    names = sees_real_names(viewer.role)
    detail = show_case(ctx, ref, viewer, reveal_names=names, record=record)  # audits the reading of real names
    if not names and record:
        record_view(ctx, detail["ref"], viewer, what)
    if sees_only_own_cases(viewer.role) and viewer.role != "reviewer":
        detail["tasks"] = [t for t in detail["tasks"] if t["assignee_id"] == viewer.id]
    return only_what_they_may_fire(detail, viewer.role)


def only_what_they_may_fire(detail: dict[str, Any], role: str) -> dict[str, Any]:
    """Offer only the steps `role` may take (the workflow file's `roles`); the others show who may take them."""
    refused = [a for a in detail["actions"] if a["roles"] and role not in a["roles"]]
    detail["actions"] = [a for a in detail["actions"] if a not in refused]
    detail["available_triggers"] = [a["trigger"] for a in detail["actions"]]
    detail["blocked_actions"] = [
        *(
            {
                **a,
                "missing": [f"Only {', '.join(a['roles'])} may record this"],
                "needs": [
                    {"what": f"only {', '.join(a['roles'])} may record this", "fields": [], "action": "", "command": ""}
                ],
            }
            for a in refused
        ),
        *detail["blocked_actions"],
    ]
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
    """Which workflow and state a case is at and its data fields, for drawing its diagram and checking a form (no
    sensitive records: no names, so not audited)."""
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        return {
            "ref": case.ref,
            "workflow_name": case.workflow_name,
            "workflow_version": case.workflow_version,
            "state": case.state,
            "fields": dict(case.fields),
            "version": case.version,
        }


def task_not_found(task_id: int) -> NotFound:
    return NotFound(f"no task {task_id} for you; /tasks lists yours")


LIST_COLUMNS = (
    Case.id,
    Case.ref,
    Case.review_type,
    Case.state,
    Case.workflow_name,
    Case.workflow_version,
    Case.notified_date,
)
CLOCK_COLUMNS = (Clock.case_id, Clock.name, Clock.due_on, Clock.paused, Clock.stopped_on)


@dataclass(frozen=True)
class CasePage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    per_page: int


def case_page(
    ctx: AppContext,
    viewer: User,
    *,
    state: str | None = None,
    overdue: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> CasePage:
    """One page of the cases `viewer` may see, filtered and counted in SQL, with clocks loaded for that page only
    (list_cases loads every case and every open clock: fine for the command line, too slow for 10,000 cases)."""
    today = ctx.today()
    per_page = max(1, min(per_page, 500))
    if state:
        check_state(ctx, state)
    with ctx.db.read() as session:
        query = _visible(viewer, state)
        if overdue:
            late = select(Clock.case_id).where(
                Clock.stopped_on.is_(None),  # type: ignore[union-attr]
                Clock.paused.is_(False),  # type: ignore[attr-defined]
                Clock.due_on < today,
            )
            query = query.where(Case.id.in_(late))  # type: ignore[union-attr]
        total = session.scalar(query.with_only_columns(func.count(Case.id))) or 0
        pages = max(1, -(-total // per_page))
        page = max(1, min(page, pages))
        # Plain rows of the columns the list shows, not ORM objects: building ~250 instances per page was most of
        # its time. Clocks by case id only (the case_id index): filtering open clocks in SQL leads SQLite to the
        # open-clock index and a walk over every open clock in the partnership.
        page_ids = query.with_only_columns(Case.id).order_by(Case.ref).limit(per_page).offset((page - 1) * per_page)
        cases = session.execute(select(*LIST_COLUMNS).where(Case.id.in_(page_ids)).order_by(Case.ref)).all()  # type: ignore[union-attr]
        ids = [c.id for c in cases]
        open_clocks: dict[int, list[Any]] = {}
        for clock in session.execute(select(*CLOCK_COLUMNS).where(Clock.case_id.in_(ids))):  # type: ignore[attr-defined]
            if clock.stopped_on is None:
                open_clocks.setdefault(clock.case_id, []).append(clock)
        cal = load_calendar(session)
        rows = [summary(c, open_clocks.get(c.id or 0, []), ctx, cal, today) for c in cases]
    return CasePage(rows, total, page, pages, per_page)


def _visible(viewer: User, state: str | None) -> Select[Any]:
    query = select(Case).where(Case.partnership_id == viewer.partnership_id)
    if sees_only_own_cases(viewer.role):
        query = query.where(Case.id.in_(select(CaseMember.case_id).where(CaseMember.user_id == viewer.id)))  # type: ignore[union-attr]
    if state:
        query = query.where(Case.state == state)
    return query

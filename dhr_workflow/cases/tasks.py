"""Tasks people owe on a case (agency reports, chronologies, comments, meetings), each with a due date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from dhr_workflow.cases import reminder_plan as reminder_schedule
from dhr_workflow.cases import task_files
from dhr_workflow.cases.lifecycle import is_member, load_case
from dhr_workflow.cases.tables import CaseMember, Task
from dhr_workflow.core import audit
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.text import clean_text, in_supported_range, not_in_future
from dhr_workflow.people.roles import CASE_ROLES
from dhr_workflow.people.users import actor_for, user_by_email

TASK_KINDS = (
    "general",
    "agency_report",
    "chronology",
    "draft_comments",
    "meeting",
    "accessible_format",
    "action",
)


def add_task(
    ctx: AppContext,
    ref: str,
    title: str,
    assignee: str,
    due: date,
    *,
    kind: str = "general",
    by: str | None = None,
) -> Task:
    """Give someone a task. Someone not yet on the case is added to it in their own role: the task is their need
    to know."""
    if kind not in TASK_KINDS:
        raise InvalidInput(f"'{kind}' is not a task kind; kinds: {', '.join(TASK_KINDS)}")
    title = clean_text(title, "the task title", 300)
    in_supported_range(due, "the due date")
    if due < ctx.today():
        raise InvalidInput(f"the due date {due.isoformat()} has already passed")
    with ctx.db.write() as session:
        case = load_case(session, ref)
        actor = actor_for(session, by)
        user = user_by_email(session, assignee)
        if not is_member(session, case, user):
            role = user.role if user.role in CASE_ROLES else "viewer"
            session.add(CaseMember(case_id=case.id or 0, user_id=user.id or 0, role=role))
        task = Task(
            case_id=case.id or 0,
            kind=kind,
            title=title,
            assignee_id=user.id or 0,
            due_on=due,
            created_by=actor.label,
        )
        session.add(task)
        session.flush()
        audit.append(
            session,
            actor=actor.label,
            action="task_added",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"task_id": task.id, "kind": kind, "assignee_id": user.id, "due_on": due.isoformat()},
        )
        definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
        reminder_schedule.sync_case_reminders(session, case, definition, load_calendar(session))
        return task


MAX_ID = 2**31 - 1  # ids beyond the column's range are simply not found


def complete_task(
    ctx: AppContext,
    ref: str,
    task_id: int,
    *,
    on: date | None = None,
    by: str | None = None,
    file: tuple[str, bytes] | None = None,
) -> Task:
    """Mark a task done, with the file that completes it (if any) stored in the same transaction: a refusal (the
    task is already done, say) stores nothing."""
    day = not_in_future(on, ctx.today(), "--on") if on else ctx.today()
    if file is not None:
        file = (task_files.check_upload(*file), file[1])
    with ctx.db.write() as session:
        case = load_case(session, ref)
        actor = actor_for(session, by)
        task = None
        if 0 < task_id <= MAX_ID:
            task = session.scalars(select(Task).where(Task.id == task_id, Task.case_id == case.id)).first()
        if task is None:
            raise NotFound(f"no task {task_id} on {case.ref}; `dhr case show {case.ref}` lists its tasks")
        if (
            actor.user is not None
            and actor.user.role in ("panel_member", "agency_contact")
            and task.assignee_id != actor.user.id
        ):
            raise NotFound(f"no task {task_id} on {case.ref} for you")
        if task.done_on is not None:
            raise InvalidInput(f"task {task_id} was already done on {task.done_on.isoformat()}")
        if file is not None:
            task_files.store(ctx, session, task, actor.label, *file)
        task.done_on = day
        audit.append(
            session,
            actor=actor.label,
            action="task_done",
            occurred_on=day,
            case_id=case.id,
            payload={"task_id": task.id},
        )
        definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
        reminder_schedule.sync_case_reminders(session, case, definition, load_calendar(session))
        return task

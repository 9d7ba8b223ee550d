"""Files people upload when they do a task (an agency report, a chronology), checked as hostile input: a size
limit, an allow-list of document types recognised by extension, and a plain file name."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Task, TaskFile
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.people.roles import may_change_cases
from dhr_workflow.people.tables import User

MAX_BYTES = 20 * 1024 * 1024
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
    "txt": "text/plain",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
}


def clean_filename(name: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .")[:150]
    extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if extension not in MEDIA_TYPES:
        raise InvalidInput(f"upload a document ({', '.join(sorted(MEDIA_TYPES))}); '{name[:80]}' is not one of those")
    return base


def _task_for(session: Any, ref: str, task_id: int, viewer: User) -> Task:
    case = load_case(session, ref, viewer)
    task = session.scalars(select(Task).where(Task.id == task_id, Task.case_id == case.id)).first()
    if task is None or not (may_change_cases(viewer.role) or task.assignee_id == viewer.id):
        raise NotFound(f"no task {task_id} for you; /tasks lists yours")
    return task  # type: ignore[no-any-return]


def check_upload(filename: str, content: bytes) -> str:
    """The stored name of an acceptable upload; InvalidInput for an empty, too large or unlisted file."""
    name = clean_filename(filename)
    if not content:
        raise InvalidInput("the file is empty")
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return name


def attach(ctx: AppContext, ref: str, task_id: int, viewer: User, filename: str, content: bytes) -> int:
    """Store a file against a task the viewer may work on; returns the file's id."""
    name = check_upload(filename, content)
    with ctx.db.write() as session:
        task = _task_for(session, ref, task_id, viewer)
        return store(ctx, session, task, viewer.email, name, content)


def store(ctx: AppContext, session: Session, task: Task, by: str, name: str, content: bytes) -> int:
    """The file row and its audit event, in the caller's transaction (`name` from check_upload)."""
    row = TaskFile(
        task_id=task.id or 0,
        case_id=task.case_id,
        filename=name,
        media_type=MEDIA_TYPES[name.rsplit(".", 1)[-1].lower()],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=by,
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        actor=by,
        action="task_file_uploaded",
        occurred_on=ctx.today(),
        case_id=task.case_id,
        payload={"task_id": task.id, "file_id": row.id, "size": len(content), "sha256": row.sha256},
    )
    return row.id or 0


def files_for(ctx: AppContext, ref: str, viewer: User) -> dict[int, list[dict[str, Any]]]:
    """Files on the case's tasks that `viewer` may open, by task id (their own tasks, or all for case changers)."""
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        query = (
            select(TaskFile.id, TaskFile.task_id, TaskFile.filename, TaskFile.size, TaskFile.uploaded_at)
            .join(Task, Task.id == TaskFile.task_id)
            .where(TaskFile.case_id == case.id)
            .order_by(TaskFile.id)
        )
        if not may_change_cases(viewer.role):
            query = query.where(Task.assignee_id == viewer.id)
        found: dict[int, list[dict[str, Any]]] = {}
        for r in session.execute(query):
            found.setdefault(r.task_id, []).append({"id": r.id, "filename": r.filename, "size": r.size})
        return found


def open_file(ctx: AppContext, ref: str, task_id: int, file_id: int, viewer: User) -> TaskFile:
    """The file, if the viewer may open it; reading it is audited."""
    with ctx.db.write() as session:
        task = _task_for(session, ref, task_id, viewer)
        row = session.scalars(select(TaskFile).where(TaskFile.id == file_id, TaskFile.task_id == task.id)).first()
        if row is None:
            raise NotFound(f"no file {file_id} on task {task_id}")
        audit.append(
            session,
            actor=viewer.email,
            action="task_file_opened",
            occurred_on=ctx.today(),
            case_id=task.case_id,
            payload={"task_id": task.id, "file_id": row.id},
        )
        return row  # type: ignore[no-any-return]

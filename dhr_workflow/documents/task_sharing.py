"""Documents shared with a task: a coordinator gives someone a task (comment on the draft chronology) and shares
the current stored version of a toolkit document with it. The task's assignee may then open exactly that version,
in any format, and nothing else of the case's documents; every opening is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Task
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.text import is_id
from dhr_workflow.documents.catalogue import template_info
from dhr_workflow.documents.pipeline import MEDIA_TYPES
from dhr_workflow.documents.tables import GeneratedDocument, TaskDocument
from dhr_workflow.documents.versions import file_for, filename, generate, list_documents
from dhr_workflow.people.roles import sees_real_names
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import actor_for


@dataclass(frozen=True)
class OpenedDocument:
    filename: str
    media_type: str
    content: bytes


def shareable(ctx: AppContext, ref: str, viewer: User) -> dict[str, str]:
    """The toolkit documents a task can carry now ({template: title}): those the case has the data for."""
    if not sees_real_names(viewer.role):
        return {}
    return {d["name"]: d["title"] for d in list_documents(ctx, ref, viewer) if d["ready"]}


def share(ctx: AppContext, ref: str, task_id: int, template: str, *, by: str | None = None) -> GeneratedDocument:
    """Share the current version of `template` (made now if the case changed since the last one) with a task."""
    template_info(template)  # NotFound, naming the templates, for an unknown one
    doc, _ = generate(ctx, ref, template, by=by)
    with ctx.db.write() as session:
        case = load_case(session, ref)
        task = session.get(Task, task_id)
        if task is None or task.case_id != case.id:
            raise NotFound(f"no task {task_id} on {case.ref}")
        actor = actor_for(session, by)
        already = session.scalars(
            select(TaskDocument).where(TaskDocument.task_id == task_id, TaskDocument.document_id == doc.id)
        ).first()
        if already is None:
            session.add(TaskDocument(task_id=task_id, document_id=doc.id or 0, shared_by=actor.label))
            audit.append(
                session,
                actor=actor.label,
                action="task_document_shared",
                occurred_on=ctx.today(),
                case_id=case.id,
                payload={"task_id": task_id, "template": doc.template, "version": doc.version},
            )
    return doc


def shared_with_tasks(ctx: AppContext, ref: str, viewer: User) -> dict[int, list[dict[str, Any]]]:
    """{task id: the document versions shared with it}, for the tasks `viewer` may open documents of."""
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        rows = session.execute(
            select(Task, GeneratedDocument)
            .join(TaskDocument, TaskDocument.task_id == Task.id)
            .join(GeneratedDocument, GeneratedDocument.id == TaskDocument.document_id)
            .where(Task.case_id == case.id)
            .order_by(TaskDocument.id)
        ).all()
    found: dict[int, list[dict[str, Any]]] = {}
    for task, doc in rows:
        if _may_open(task, viewer):
            found.setdefault(task.id or 0, []).append(_view(doc))
    return found


def shared_with_my_tasks(ctx: AppContext, viewer: User) -> dict[int, list[dict[str, Any]]]:
    """{task id: the document versions shared with it} for `viewer`'s own open tasks."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(Task.id, GeneratedDocument)
            .join(TaskDocument, TaskDocument.task_id == Task.id)
            .join(GeneratedDocument, GeneratedDocument.id == TaskDocument.document_id)
            .where(Task.assignee_id == viewer.id, Task.done_on.is_(None))  # type: ignore[union-attr]
            .order_by(TaskDocument.id)
        ).all()
    found: dict[int, list[dict[str, Any]]] = {}
    for task_id, doc in rows:
        found.setdefault(task_id, []).append(_view(doc))
    return found


def open_shared(ctx: AppContext, ref: str, task_id: int, document_id: int, fmt: str, viewer: User) -> OpenedDocument:
    """Exactly the version shared with the task, for its assignee (and the roles that see every document); the
    read is audited. Anything else is 'not found', exactly as for a document that does not exist."""
    if fmt not in MEDIA_TYPES:
        raise InvalidInput(f"no format {fmt}; formats: {', '.join(MEDIA_TYPES)}")
    if not (is_id(task_id) and is_id(document_id)):  # beyond the column's range: PostgreSQL raises, not finds none
        raise NotFound(f"no document {document_id} shared with task {task_id}")
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        task = session.get(Task, task_id)
        link = session.scalars(
            select(TaskDocument).where(TaskDocument.task_id == task_id, TaskDocument.document_id == document_id)
        ).first()
        doc = session.get(GeneratedDocument, document_id)
        if task is None or task.case_id != case.id or link is None or doc is None or not _may_open(task, viewer):
            raise NotFound(f"no document {document_id} shared with task {task_id}")
        session.expunge(doc)
    content = file_for(ctx, doc, fmt, "standard", viewer.email)
    with ctx.db.write() as session:
        audit.append(
            session,
            actor=viewer.email,
            action="task_document_opened",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"task_id": task_id, "template": doc.template, "version": doc.version, "format": fmt},
        )
    return OpenedDocument(filename(case.ref, doc.template, doc.version, fmt, "standard"), MEDIA_TYPES[fmt], content)


def _may_open(task: Task, viewer: User) -> bool:
    return task.assignee_id == viewer.id or sees_real_names(viewer.role)


def _view(doc: GeneratedDocument) -> dict[str, Any]:
    return {"id": doc.id, "template": doc.template, "title": template_info(doc.template).title, "version": doc.version}

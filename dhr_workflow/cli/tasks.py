"""`dhr task`: what people owe on a case."""

from __future__ import annotations

from pathlib import Path

import typer

from dhr_workflow.cli.common import app_context, command, console, opt_date, req_date

app = typer.Typer(help="Add and complete tasks on a case.", no_args_is_help=True)


@command(app, "add")
def add(
    ref: str,
    title: str = typer.Option(..., "--title"),
    assignee: str = typer.Option(..., "--assignee"),
    due: str = typer.Option(..., "--due"),
    kind: str = typer.Option("general", "--kind"),
    document: str | None = typer.Option(
        None, "--document", help="share the current version of this toolkit document (see `dhr docs list REF`)"
    ),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Give someone a task with a due date (they are reminded before it is due), optionally with a document."""
    from dhr_workflow.cases.tasks import add_task

    ctx = app_context()
    if document:
        from dhr_workflow.documents.catalogue import template_info

        template_info(document)  # an unknown document is refused before the task is made
    task = add_task(ctx, ref, title, assignee, req_date(due, "--due"), kind=kind, by=by)
    console().print(f"Task {task.id} added to {ref.upper()}, due {task.due_on}.")
    if document:
        from dhr_workflow.documents.task_sharing import share

        doc = share(ctx, ref, task.id or 0, document, by=by)
        console().print(f"Shared {doc.template} version {doc.version} (document {doc.id}) with task {task.id}.")


@command(app, "document")
def task_document(
    ref: str,
    task_id: int,
    document_id: int,
    fmt: str = typer.Option("pdf", "--format"),
    output: Path = typer.Option(..., "-o", "--output"),
    by: str = typer.Option(..., "--by", help="who is reading it (the read is audited)"),
) -> None:
    """Save a document version shared with a task: its assignee may open exactly that version."""
    from dhr_workflow.documents.task_sharing import open_shared
    from dhr_workflow.people.users import user_by_email

    ctx = app_context()
    with ctx.db.read() as session:
        reader = user_by_email(session, by)
        session.expunge(reader)
    opened = open_shared(ctx, ref, task_id, document_id, fmt, reader)
    output.write_bytes(opened.content)
    console().print(f"Saved {opened.filename} to {output}.")


@command(app, "done")
def done(
    ref: str,
    task_id: int,
    on: str | None = typer.Option(None, "--on"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Mark a task done."""
    from dhr_workflow.cases.tasks import complete_task

    task = complete_task(app_context(), ref, task_id, on=opt_date(on, "--on"), by=by)
    console().print(f"Task {task.id} on {ref.upper()} done on {task.done_on}.")

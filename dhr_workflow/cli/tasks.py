"""`dhr task`: what people owe on a case."""

from __future__ import annotations

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
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Give someone a task with a due date (they are reminded before it is due)."""
    from dhr_workflow.cases.tasks import add_task

    task = add_task(app_context(), ref, title, assignee, req_date(due, "--due"), kind=kind, by=by)
    console().print(f"Task {task.id} added to {ref.upper()}, due {task.due_on}.")


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

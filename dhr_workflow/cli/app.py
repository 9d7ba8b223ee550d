"""`dhr`: the root command. Each command group lives in its own module."""

from __future__ import annotations

import typer

from dhr_workflow.cli import (
    actions,
    audit,
    calendar,
    cases,
    commentary,
    db,
    demo,
    meetings,
    plan,
    tasks,
    users,
    workflows,
)

app = typer.Typer(
    name="dhr",
    help="Run Domestic Homicide Reviews: cases, statutory clocks, reminders, documents and the audit trail.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="user")
app.add_typer(cases.app, name="case")
app.add_typer(tasks.app, name="task")
app.add_typer(audit.app, name="audit")
app.add_typer(workflows.app, name="workflow")
app.add_typer(calendar.app, name="calendar")
app.add_typer(plan.app, name="plan")
app.add_typer(plan.agency_app, name="agency")
app.add_typer(plan.recommendation_app, name="recommendation")
app.add_typer(actions.app, name="action")
app.add_typer(commentary.app, name="commentary")
app.add_typer(meetings.app, name="meeting")
demo.register(app)


def main() -> None:
    app()

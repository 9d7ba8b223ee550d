"""`dhr`: the root command. Each command group lives in its own module."""

from __future__ import annotations

import typer

from dhr_workflow.cli import (
    access_requests,
    accuracy,
    agencies,
    audit,
    backup,
    calendar,
    cases,
    db,
    demo,
    documents,
    family,
    lessons,
    panel,
    parties,
    publish,
    qa,
    reminders,
    report,
    retention,
    site,
    tasks,
    users,
    web,
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
app.add_typer(panel.app, name="panel")
app.add_typer(audit.app, name="audit")
app.add_typer(workflows.app, name="workflow")
app.add_typer(calendar.app, name="calendar")
app.add_typer(parties.app, name="party")
app.add_typer(documents.app, name="docs")
app.add_typer(publish.app, name="publish")
app.add_typer(access_requests.app, name="access-request")
app.add_typer(qa.app, name="qa")
app.add_typer(family.app, name="family")
app.add_typer(report.app, name="report")
app.add_typer(accuracy.app, name="accuracy")
app.add_typer(site.app, name="site")
demo.register(app)
app.add_typer(reminders.app, name="reminders")
reminders.register_processes(app)
web.register(app)
backup.register(app)
lessons.register(app)
agencies.register(app, cases.app)
retention.register(app)


def main() -> None:
    app()

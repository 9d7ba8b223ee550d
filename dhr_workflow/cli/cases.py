"""`dhr case`: log notifications, move cases through the workflow, pause clocks, read the history."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import (
    JsonOption,
    app_context,
    command,
    console,
    opt_date,
    print_json,
    req_date,
)

app = typer.Typer(help="Log police notifications and run cases through the review.", no_args_is_help=True)


@command(app, "notify")
def notify(
    death_date: str = typer.Option(..., "--death-date", help="YYYY-MM-DD"),
    notified_date: str = typer.Option(..., "--notified-date", help="When the CSP was notified, YYYY-MM-DD"),
    police_ref: str = typer.Option(..., "--police-ref"),
    victim_name: str = typer.Option(..., "--victim-name"),
    pseudonym: str = typer.Option(..., "--pseudonym", help="The name used in anything published"),
    victim_age: int | None = typer.Option(None, "--victim-age"),
    workflow: str = typer.Option("dhr", "--workflow"),
    coordinator: str | None = typer.Option(None, "--coordinator", help="Email of the coordinating officer"),
) -> None:
    """Log a police notification of a death; prints the new case reference."""
    from dhr_workflow.cases.intake import Notification
    from dhr_workflow.cases.lifecycle import notify_case

    n = Notification(
        req_date(death_date, "--death-date"),
        req_date(notified_date, "--notified-date"),
        police_ref,
        victim_name,
        pseudonym,
        victim_age,
    )
    print(notify_case(app_context(), n, workflow=workflow, coordinator=coordinator))  # noqa: T201 - the output


@command(app, "list")
def list_(
    state: str | None = typer.Option(None, "--state"),
    overdue: bool = typer.Option(False, "--overdue", help="Only cases with an overdue clock."),
    as_json: bool = JsonOption,
) -> None:
    """List cases with their stage and next statutory deadline."""
    from dhr_workflow.cli.read_commands import case_rows, print_cases

    print_cases(case_rows(state, overdue), as_json)


@command(app, "show")
def show(
    ref: str,
    as_json: bool = JsonOption,
    show_names: bool = typer.Option(False, "--show-names", help="Show real names (the read is audited)."),
) -> None:
    """Show a case: its stage, clocks, tasks and what can happen next."""
    from dhr_workflow.cli.read_commands import case_detail, print_case_detail

    print_case_detail(case_detail(ref, show_names), as_json)


@command(app, "fire")
def fire(
    ref: str,
    trigger: str,
    on: str | None = typer.Option(None, "--on", help="When it happened (YYYY-MM-DD), if not today."),
    by: str | None = typer.Option(None, "--by", help="Email of the person who did it."),
    set_: list[str] = typer.Option([], "--set", help="KEY=VALUE for a field the step needs; repeatable."),
    expect_version: int | None = typer.Option(
        None, "--expect-version", help="Refuse if the case changed since you read this version."
    ),
) -> None:
    """Record that a step of the review happened (a workflow trigger)."""
    from dhr_workflow.cases.lifecycle import fire as fire_trigger
    from dhr_workflow.workflow.fields import split_assignments

    outcome = fire_trigger(
        app_context(),
        ref,
        trigger,
        on=opt_date(on, "--on"),
        by=by,
        values=split_assignments(set_),
        expected_version=expect_version,
    )
    console().print(f"{ref.upper()}: {outcome.source} -> {outcome.dest}")
    for name in outcome.clocks_stopped:
        console().print(f"  stopped clock {name}")
    for name in outcome.clocks_started:
        console().print(f"  started clock {name}")


@command(app, "set")
def set_fields(ref: str, assignments: list[str], by: str | None = typer.Option(None, "--by")) -> None:
    """Set case data fields declared by the workflow (KEY=VALUE ...)."""
    from dhr_workflow.cases.lifecycle import set_fields as set_case_fields
    from dhr_workflow.workflow.fields import split_assignments

    updates = set_case_fields(app_context(), ref, split_assignments(assignments), by=by)
    console().print(f"{ref.upper()}: set {', '.join(updates)}")


@command(app, "assign")
def assign(
    ref: str,
    user: str = typer.Option(..., "--user"),
    role: str = typer.Option(..., "--role"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Put a person on a case in a role (this is what lets case-scoped roles see it)."""
    from dhr_workflow.cases.lifecycle import assign as assign_member

    assign_member(app_context(), ref, user, role, by=by)
    console().print(f"{user} is now on {ref.upper()} as {role}.")


@command(app, "pause")
def pause(
    ref: str,
    clock: str = typer.Option(..., "--clock"),
    reason: str = typer.Option(..., "--reason"),
    on: str | None = typer.Option(None, "--on"),
    note: str | None = typer.Option(None, "--note"),
    agreed_by: str | None = typer.Option(None, "--agreed-by", help="Who agreed the extension."),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Pause a statutory clock for a recorded reason (extends its due date by the days paused)."""
    from dhr_workflow.cases.lifecycle import pause_clock

    due = pause_clock(app_context(), ref, clock, reason, on=opt_date(on, "--on"), note=note, agreed_by=agreed_by, by=by)
    console().print(f"{ref.upper()}: {clock} clock paused ({reason}); due date moves while paused (now {due}).")


@command(app, "resume")
def resume(
    ref: str,
    clock: str = typer.Option(..., "--clock"),
    on: str | None = typer.Option(None, "--on"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Resume a paused clock."""
    from dhr_workflow.cases.lifecycle import resume_clock

    due = resume_clock(app_context(), ref, clock, on=opt_date(on, "--on"), by=by)
    console().print(f"{ref.upper()}: {clock} clock resumed; now due {due}.")


@command(app, "extend")
def extend(
    ref: str,
    clock: str = typer.Option(..., "--clock"),
    days: int = typer.Option(..., "--days", help="Extra calendar days agreed."),
    agreed_by: str = typer.Option(..., "--agreed-by", help="Who agreed it (for example: Home Office)."),
    reason: str = typer.Option(..., "--reason"),
    on: str | None = typer.Option(None, "--on", help="When it was agreed."),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Record more time agreed for a statutory clock, with who agreed it and why."""
    from dhr_workflow.cases.lifecycle import extend_clock

    due = extend_clock(
        app_context(), ref, clock, days, reason=reason, agreed_by=agreed_by, on=opt_date(on, "--on"), by=by
    )
    console().print(f"{ref.upper()}: {clock} clock extended by {days} day(s) (agreed by {agreed_by}); now due {due}.")


@command(app, "history")
def history(ref: str, as_json: bool = JsonOption) -> None:
    """Everything that happened on a case, from the audit trail."""
    from rich.table import Table

    from dhr_workflow.cases.queries import case_history

    events = case_history(app_context(), ref)
    if as_json:
        print_json(events)
        return
    table = Table("#", "Happened", "Recorded", "What", "Who", title=f"History of {ref.upper()}")
    for e in events:
        table.add_row(str(e["seq"]), e["occurred_on"], e["recorded_at"], e["action"], e["actor"])
    console().print(table)

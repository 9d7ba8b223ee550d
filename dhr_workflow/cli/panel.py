"""`dhr panel`: review panel meetings, whose calendar invitations go out through the reminder ledger."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import app_context, command, console

app = typer.Typer(help="Review panel meetings: schedule, move, cancel (invitations are emailed).", no_args_is_help=True)

AT_HELP = "local time (Europe/London), YYYY-MM-DD HH:MM"


@command(app, "schedule")
def schedule(
    ref: str,
    at: str = typer.Option(..., "--at", help=AT_HELP),
    minutes: int = typer.Option(120, "--minutes"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Arrange a panel meeting; the case's coordinator, chair and panel members are sent an invitation."""
    from dhr_workflow.cases import panel_meetings
    from dhr_workflow.cases.meetings import parse_local_time

    ctx = app_context()
    m = panel_meetings.schedule(ctx, ref, parse_local_time(at, ctx.settings.timezone), minutes, by=by)
    console().print(f"Panel meeting {m.id} on {m.case_ref}: {m.when}. Invitations queued for {m.invited} people.")


@command(app, "move")
def move(
    ref: str,
    meeting_id: int,
    at: str = typer.Option(..., "--at", help=AT_HELP),
    minutes: int = typer.Option(120, "--minutes"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Move a meeting; the update replaces the invitation already in people's calendars."""
    from dhr_workflow.cases import panel_meetings
    from dhr_workflow.cases.meetings import parse_local_time

    ctx = app_context()
    m = panel_meetings.move(ctx, ref, meeting_id, parse_local_time(at, ctx.settings.timezone), minutes, by=by)
    console().print(f"Panel meeting {m.id} on {m.case_ref} moved to {m.when}. Updates queued for {m.invited} people.")


@command(app, "cancel")
def cancel(ref: str, meeting_id: int, by: str | None = typer.Option(None, "--by")) -> None:
    """Call a meeting off; the cancellation takes it out of people's calendars."""
    from dhr_workflow.cases import panel_meetings

    m = panel_meetings.cancel(app_context(), ref, meeting_id, by=by)
    console().print(f"Panel meeting {m.id} on {m.case_ref} cancelled. Cancellations queued for {m.invited} people.")


@command(app, "list")
def list_meetings(ref: str) -> None:
    """A case's panel meetings."""
    from rich.table import Table

    from dhr_workflow.cases import panel_meetings

    table = Table("Id", "When", "Version", "Status", title=f"Panel meetings on {ref.upper()}")
    for m in panel_meetings.meetings_of(app_context(), ref):
        table.add_row(str(m.id), m.when, str(m.sequence), "cancelled" if m.cancelled else "arranged")
    console().print(table)

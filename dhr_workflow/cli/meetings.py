"""`dhr meeting`: quarterly, themed Delivery Group meetings, their invites and agenda packs."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, fail, print_json, req_date

app = typer.Typer(help="Delivery Group meetings: schedule, invite, agenda packs.", no_args_is_help=True)


def _time(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        fail(f"'{value}' is not a time: use HH:MM, for example 10:00", 2)
        raise


@command(app, "schedule")
def schedule(
    first: str = typer.Option(..., "--first", help="Date of the first meeting"),
    count: int = typer.Option(4, "--count", help="How many quarterly meetings"),
    at: str = typer.Option("10:00", "--time", help="Start time, Europe/London"),
    minutes: int = typer.Option(120, "--minutes"),
    location: str = typer.Option("Civic Offices, Committee Room 1", "--location"),
    theme: str | None = typer.Option(None, "--theme", help="The first meeting's theme (default: the next in turn)"),
    as_json: bool = JsonOption,
) -> None:
    """Schedule quarterly meetings, each themed, rotating through the plan's themes."""
    from dhr_workflow.lessons.meetings import schedule as plan_meetings

    rows = plan_meetings(
        app_context(),
        req_date(first, "--first"),
        count=count,
        at=_time(at),
        minutes=minutes,
        location=location,
        first_theme=theme,
    )
    if as_json:
        print_json(rows)
        return
    for m in rows:
        console().print(f"Meeting {m['id']}: {m['date']} {m['time']}, theme {m['theme_label']}")


@command(app, "list")
def list_(as_json: bool = JsonOption) -> None:
    """The current plan's meetings."""
    from dhr_workflow.lessons.meetings import list_meetings

    rows = list_meetings(app_context())
    if as_json:
        print_json(rows)
        return
    for m in rows:
        state = " (cancelled)" if m["cancelled"] else ""
        console().print(f"{m['id']}: {m['date']} {m['time']} {m['theme_label']}, {m['location']}{state}")


@command(app, "move")
def move(meeting_id: int, on: str = typer.Option(..., "--on"), at: str | None = typer.Option(None, "--time")) -> None:
    """Move a meeting (its invite is updated in place)."""
    from dhr_workflow.lessons.meetings import reschedule

    m = reschedule(app_context(), meeting_id, req_date(on, "--on"), at=_time(at) if at else None)
    console().print(f"Meeting {m['id']} moved to {m['date']} {m['time']}; send the invite again.")


@command(app, "cancel")
def cancel(meeting_id: int) -> None:
    """Cancel a meeting (the cancellation replaces the invite)."""
    from dhr_workflow.lessons.meetings import cancel as cancel_meeting

    cancel_meeting(app_context(), meeting_id)
    console().print(f"Meeting {meeting_id} cancelled; send the invite again so calendars drop it.")


@command(app, "present-round")
def present_round(meeting_id: int) -> None:
    """Put the latest commentary round's collated plan on this meeting's agenda."""
    from dhr_workflow.lessons.meetings import present_round_at

    present_round_at(app_context(), meeting_id)
    console().print(f"The collated plan is on meeting {meeting_id}'s agenda.")


@command(app, "invite")
def invite(
    meeting_ids: list[int] = typer.Argument(None, help="Meetings (default: all of the plan's)"),
    output: Path = typer.Option(..., "-o", "--output", help="PATH.ics"),
) -> None:
    """Calendar invites (ICS). Each meeting keeps its UID, so a re-sent invite replaces the old one."""
    from dhr_workflow.lessons.meetings import invites

    output.write_bytes(invites(app_context(), meeting_ids or None))
    console().print(f"Wrote {output}.")


@command(app, "agenda")
def agenda(
    meeting_id: int,
    fmt: str = typer.Option("html", "--format", help="html, pdf, docx or txt"),
    output: Path | None = typer.Option(None, "-o", "--output"),
    variant: str = typer.Option("standard", "--variant", help="standard or large-print"),
) -> None:
    """The themed agenda pack for a meeting."""
    from dhr_workflow.cli.plan import write_document
    from dhr_workflow.lessons import documents

    write_document(
        documents.render(app_context(), "agenda_pack", fmt, subject=meeting_id, variant=variant), fmt, output
    )

"""`dhr plan`, `dhr recommendation`: the Delivery Plan and its recommendations (agencies: cli/agencies.py), and its
documents (Board report, collated plan, learning briefings, spreadsheet)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, fail, opt_date, print_json, req_date

app = typer.Typer(help="The Delivery Plan: show it, export it, report on it.", no_args_is_help=True)
recommendation_app = typer.Typer(help="Recommendations from reviews (and the partnership).", no_args_is_help=True)

AsOption = typer.Option(None, "--as", help="Show what this user may see (an agency contact sees their agency's).")
FormatOption = typer.Option("html", "--format", help="html, pdf (PDF/UA-1), docx or txt")
OutputOption = typer.Option(None, "-o", "--output", help="Write to this file (default: print html/txt)")
VariantOption = typer.Option("standard", "--variant", help="standard or large-print")


def write_document(data: bytes, fmt: str, output: Path | None) -> None:
    if output is not None:
        output.write_bytes(data)
        console().print(f"Wrote {output}.")
    elif fmt in ("html", "txt"):
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        fail(f"give -o PATH.{fmt}: {fmt} is not printable", 2)


@command(app, "create")
def create(
    title: str = typer.Option(..., "--title"),
    start: str = typer.Option(..., "--start", help="First day of the plan period (YYYY-MM-DD)"),
    end: str = typer.Option(..., "--end", help="Last day of the plan period"),
    objective: list[str] = typer.Option([], "--objective", help="An objective (repeat for several)"),
    chair: str | None = typer.Option(None, "--chair", help="The Delivery Group chair's email (gets escalations)"),
    by: str = typer.Option("system", "--by"),
) -> None:
    """Start a Delivery Plan period (the previous plan stays readable, no longer current)."""
    from dhr_workflow.lessons.plans import create_plan

    plan = create_plan(
        app_context(), title, req_date(start, "--start"), req_date(end, "--end"), objective, chair=chair, by=by
    )
    console().print(f"Delivery Plan {plan.id} '{plan.title}' is now current.")


@command(app, "show")
def show(viewer: str | None = AsOption, as_json: bool = JsonOption) -> None:
    """The current plan: objectives, progress by theme and agency, recurring topics, and the actions you may see."""
    from dhr_workflow.lessons.queries import plan_summary

    summary = plan_summary(app_context(), viewer=viewer)
    if as_json:
        print_json(summary)
        return
    _print_summary(summary)


def _print_summary(s: dict[str, Any]) -> None:
    from rich.table import Table

    out = console()
    plan = s["plan"]
    out.print(f"[bold]{plan['title']}[/] ({plan['period']}); chair: {plan['chair'] or 'not named'}")
    for o in plan["objectives"]:
        out.print(f"  - {o}")
    themes = Table("Theme", "Actions", "Red", "Amber", "Green", "Complete", "Overdue", title="Progress by theme")
    for r in s["by_theme"]:
        themes.add_row(r["label"], *(str(r[k]) for k in ("total", "red", "amber", "green", "complete", "overdue")))
    out.print(themes)
    if s["recurring_topics"]:
        out.print("Topics across reviews: " + ", ".join(f"{t['tag']} ({t['reviews']})" for t in s["recurring_topics"]))
    if "actions" in s:
        from dhr_workflow.cli.actions import print_actions

        print_actions(s["actions"])


@command(app, "export")
def export(
    output: Path = typer.Option(..., "-o", "--output", help="PATH.xlsx"),
    viewer: str | None = AsOption,
) -> None:
    """The plan as an Excel workbook: a sheet per theme, a summary, and the national recommendations."""
    from dhr_workflow.lessons.export import plan_workbook

    if output.suffix.lower() != ".xlsx":
        fail("the export is an Excel workbook: give -o PATH.xlsx", 2)
    output.write_bytes(plan_workbook(app_context(), viewer=viewer))
    console().print(f"Wrote {output}.")


@command(app, "board-report")
def board_report(
    fmt: str = FormatOption,
    variant: str = VariantOption,
    output: Path | None = OutputOption,
    viewer: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """For the Board: progress by theme and agency, overdue actions, blockages and requests, national
    recommendations."""
    from dhr_workflow.lessons import documents, reports

    ctx = app_context()
    if as_json:
        print_json(reports.board_report(ctx, viewer=viewer))
        return
    write_document(documents.render(ctx, "board_report", fmt, viewer=viewer, variant=variant), fmt, output)


@command(app, "collated")
def collated(
    round_id: int | None = typer.Option(None, "--round", help="A commentary round (default: the latest)"),
    fmt: str = FormatOption,
    output: Path | None = OutputOption,
    variant: str = VariantOption,
) -> None:
    """The collated plan from a commentary round, for the Delivery Group and the Board."""
    from dhr_workflow.lessons import documents

    write_document(
        documents.render(app_context(), "collated_plan", fmt, subject=round_id, variant=variant), fmt, output
    )


@command(app, "briefing")
def briefing(
    ref: str, fmt: str = FormatOption, output: Path | None = OutputOption, viewer: str | None = AsOption
) -> None:
    """A short learning briefing for practitioners on a published review."""
    from dhr_workflow.lessons import documents

    write_document(documents.render(app_context(), "learning_briefing", fmt, subject=ref, viewer=viewer), fmt, output)


@command(recommendation_app, "send")
def recommendation_send(
    rec_id: int, on: str | None = typer.Option(None, "--on"), by: str | None = typer.Option(None, "--by")
) -> None:
    """Record that a national recommendation was sent to its national body."""
    from dhr_workflow.lessons.actions import send_to_national_body

    send_to_national_body(app_context(), rec_id, on=opt_date(on, "--on"), by=by)
    console().print(f"Recommendation {rec_id} recorded as sent.")


@command(recommendation_app, "response")
def recommendation_response(
    rec_id: int,
    status: str = typer.Option(
        ..., "--status", help="acknowledged, accepted, partially_accepted, rejected, implemented"
    ),
    response: str | None = typer.Option(None, "--response"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Record a national body's response to a recommendation."""
    from dhr_workflow.lessons.actions import record_national_response

    record_national_response(app_context(), rec_id, status, response, by=by)
    console().print(f"Recommendation {rec_id}: {status}.")

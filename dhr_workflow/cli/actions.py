"""`dhr action`: Delivery Plan actions: add, list, show, update, milestones, evidence, closure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, fail, opt_date, print_json, req_date

app = typer.Typer(help="Actions in the Delivery Plan (from reviews and the partnership).", no_args_is_help=True)
AsOption = typer.Option(None, "--as", help="Show what this user may see (an agency contact sees their agency's).")


@command(app, "add")
def add(
    description: str = typer.Option(..., "--description", help="The SMART action"),
    agency: str = typer.Option(..., "--agency", help="The owner agency"),
    target: str = typer.Option(..., "--target", help="Target date (YYYY-MM-DD)"),
    theme: str | None = typer.Option(None, "--theme", help="Default: the recommendation's theme"),
    recommendation: int | None = typer.Option(None, "--recommendation", help="The recommendation it carries out"),
    lead: str | None = typer.Option(None, "--lead", help="The lead officer: an account's email, or a name"),
    outcome: str | None = typer.Option(None, "--outcome", help="What success looks like (the measure)"),
    milestone: list[str] = typer.Option([], "--milestone", help="'text' or 'text@YYYY-MM-DD' (repeat)"),
    tag: list[str] = typer.Option([], "--tag", help="A cross-cutting topic, e.g. coercive-control (repeat)"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Add an action to the current Delivery Plan."""
    from dhr_workflow.lessons.actions import NewAction, add_action

    new = NewAction(
        description=description,
        agency=agency,
        target_on=req_date(target, "--target"),
        theme=theme,
        recommendation_id=recommendation,
        lead=lead,
        outcome=outcome,
        milestones=[_milestone(m) for m in milestone],
        tags=tag,
    )
    action = add_action(app_context(), new, by=by)
    console().print(f"Action {action.id} added, target {action.target_on}.")


def _milestone(raw: str) -> tuple[str, Any]:
    text, sep, due = raw.rpartition("@")
    return (text, req_date(due, "a milestone date")) if sep and text else (raw, None)


@command(app, "list")
def list_(
    overdue: bool = typer.Option(False, "--overdue", help="Only actions past their target date"),
    agency: str | None = typer.Option(None, "--agency"),
    theme: str | None = typer.Option(None, "--theme"),
    tag: str | None = typer.Option(None, "--tag"),
    viewer: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """The actions you may see."""
    from dhr_workflow.lessons.queries import list_actions

    rows = list_actions(app_context(), viewer=viewer, overdue=overdue, agency=agency, theme=theme, tag=tag)
    if as_json:
        print_json(rows)
        return
    print_actions(rows)


def print_actions(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table("ID", "Theme", "Agency", "Action", "Target", "Status", "RAG", "From", title="Actions")
    for a in rows:
        table.add_row(
            str(a["id"]),
            a["theme_label"],
            a["agency"]["name"],
            a["description"][:80],
            a["target_on"].isoformat() + (" (overdue)" if a["overdue"] else ""),
            a["status_label"],
            a["rag"],
            a["case_ref"] or "partnership",
        )
    console().print(table if rows else "No actions to show.")


@command(app, "show")
def show(action_id: int, viewer: str | None = AsOption, as_json: bool = JsonOption) -> None:
    """One action with its milestones, history, evidence and any hand-over."""
    from dhr_workflow.lessons.queries import show_action

    detail = show_action(app_context(), action_id, viewer=viewer)
    if as_json:
        print_json(detail)
        return
    out = console()
    out.print(f"[bold]Action {detail['id']}[/] ({detail['theme_label']}): {detail['description']}")
    out.print(f"Owner: {detail['agency']['name']}; lead: {detail['lead']}; target {detail['target_on']}")
    out.print(f"Status: {detail['status_label']} ({detail['rag']})" + (" - overdue" if detail["overdue"] else ""))
    for m in detail["milestones"]:
        out.print(f"  milestone {m['position']}: {m['text']}" + (f" (done {m['done_on']})" if m["done_on"] else ""))
    for h in detail["history"]:
        out.print(f"  {h['on']} {h['kind']}: {h['note'] or ''} {h['status_to'] or ''}".rstrip())
    for e in detail["evidence"]:
        out.print(f"  evidence {e['id']}: {e['filename']} ({e['size']} bytes)")


@command(app, "update")
def update(
    action_id: int,
    status: str | None = typer.Option(
        None, "--status", help="not_started, on_track, at_risk, off_track, blocked, completed"
    ),
    note: str | None = typer.Option(None, "--note", help="Commentary on progress"),
    blockage: str | None = typer.Option(None, "--blockage", help="What is stopping it"),
    request: str | None = typer.Option(None, "--request", help="What you ask of the Board"),
    on: str | None = typer.Option(None, "--on"),
    by: str | None = typer.Option(None, "--by", help="Your email (an agency contact may update only their own)"),
) -> None:
    """Record progress on an action; it also answers any commentary round request for it."""
    from dhr_workflow.lessons.actions import Progress, update_action

    update_action(app_context(), action_id, Progress(status, note, blockage, request), on=opt_date(on, "--on"), by=by)
    console().print(f"Action {action_id} updated.")


@command(app, "milestone")
def milestone(
    action_id: int,
    position: int,
    on: str | None = typer.Option(None, "--on"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Mark a milestone achieved."""
    from dhr_workflow.lessons.actions import complete_milestone

    complete_milestone(app_context(), action_id, position, on=opt_date(on, "--on"), by=by)
    console().print(f"Milestone {position} of action {action_id} achieved.")


@command(app, "evidence")
def evidence(
    action_id: int,
    file: Path,
    description: str | None = typer.Option(None, "--description"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Attach a file that shows the action was done (up to 10 MB)."""
    from dhr_workflow.lessons.action_evidence import add_evidence

    if not file.is_file():
        fail(f"no file {file}", 2)
    row = add_evidence(app_context(), action_id, file.name, file.read_bytes(), description=description, by=by)
    console().print(f"Evidence {row.id} ({row.filename}) attached to action {action_id}.")


@command(app, "close")
def close(
    action_id: int,
    by: str = typer.Option(..., "--by", help="Who approves the closure (team or CSP chair)"),
    note: str | None = typer.Option(None, "--note"),
    on: str | None = typer.Option(None, "--on"),
) -> None:
    """Approve a completed action as closed (it needs evidence)."""
    from dhr_workflow.lessons.actions import close_action

    action = close_action(app_context(), action_id, by=by, note=note, on=opt_date(on, "--on"))
    console().print(f"Action {action_id} closed on {action.closed_on}, approved by {action.approved_by}.")


@command(app, "evidence-get")
def evidence_get(
    evidence_id: int,
    output: Path = typer.Option(..., "-o", "--output", help="Where to save the file"),
    viewer: str | None = AsOption,
) -> None:
    """Save an evidence file (`dhr action show ID` lists them)."""
    from dhr_workflow.lessons.action_evidence import evidence_file

    name, _, content = evidence_file(app_context(), evidence_id, viewer=viewer)
    output.write_bytes(content)
    console().print(f"Wrote {name} to {output}.")

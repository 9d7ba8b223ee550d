"""`dhr commentary`: the bi-annual commentary round (workflows/commentary_round.yaml)."""

from __future__ import annotations

from typing import Any

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, opt_date, print_json

app = typer.Typer(help="The bi-annual commentary round on the Delivery Plan.", no_args_is_help=True)
OnOption = typer.Option(None, "--on")
ByOption = typer.Option(None, "--by")


def _report(result: dict[str, Any], as_json: bool, message: str) -> None:
    if as_json:
        print_json(result)
    else:
        console().print(message)


@command(app, "open")
def open_(
    title: str | None = typer.Option(None, "--title"),
    on: str | None = OnOption,
    by: str | None = ByOption,
    as_json: bool = JsonOption,
) -> None:
    """Open a round: every owner of an open action is asked for an update and reminded until they answer."""
    from dhr_workflow.lessons.commentary import open_round

    result = open_round(app_context(), title=title, on=opt_date(on, "--on"), by=by)
    message = f"Commentary round {result['round_id']} is collecting updates, due {result['due_on']}."
    if result["no_owner"]:
        message += f" No one to ask for action(s) {result['no_owner']}: name a lead or an agency contact."
    _report(result, as_json, message)


@command(app, "preview")
def preview(on: str | None = OnOption, by: str | None = ByOption, as_json: bool = JsonOption) -> None:
    """Before opening a round: who would be asked, on which action, and when their updates would be due."""
    from dhr_workflow.lessons.round_owners import preview as round_preview

    p = round_preview(app_context(), on=opt_date(on, "--on"), by=by)
    if as_json:
        print_json(p)
        return
    out = console()
    out.print(f"Opened on {p['opens_on']}, updates would be due {p['due_on']}.")
    for row in p["asked"]:
        who = f"{row['owner_name']} <{row['owner']}>" if row["owner"] else "NO ONE (name a lead or an agency contact)"
        out.print(f"Action {row['action_id']} ({row['agency'] or 'no agency'}): {who}")


@command(app, "status")
def status(round_id: int | None = typer.Option(None, "--round"), as_json: bool = JsonOption) -> None:
    """Who has answered and who has not."""
    from rich.table import Table

    from dhr_workflow.lessons.commentary import status as round_status

    s = round_status(app_context(), round_id=round_id)
    if as_json:
        print_json(s)
        return
    out = console()
    out.print(f"[bold]{s['title']}[/]: {s['state_label']}; updates due {s['due_on']}")
    out.print(f"{s['answered']} answered, {s['waiting']} waiting.")
    for step in s["next_steps"]:
        blocked = f" (not yet: {'; '.join(step['blocked_by'])})" if step["blocked_by"] else ""
        out.print(f"Next: {step['label']}{blocked}")
    table = Table("Action", "Owner", "Answered", "Reminders sent")
    for r in s["requests"]:
        table.add_row(str(r["action_id"]), r["owner"], str(r["answered_on"] or "not yet"), str(r["reminders_sent"]))
    out.print(table)


def _advance(trigger: str, note: str | None, on: str | None, by: str | None, as_json: bool) -> None:
    from dhr_workflow.lessons.commentary import advance

    result = advance(app_context(), trigger, note=note, on=opt_date(on, "--on"), by=by)
    _report(result, as_json, f"Commentary round {result['round_id']}: {result['from']} -> {result['state']}.")


@command(app, "collate")
def collate(
    note: str | None = typer.Option(None, "--note", help="Why collate with updates missing"),
    on: str | None = OnOption,
    by: str | None = ByOption,
    as_json: bool = JsonOption,
) -> None:
    """Collate the updates into the plan (reminders stop). `dhr plan collated` renders it."""
    _advance("collate", note, on, by, as_json)


@command(app, "reopen")
def reopen(on: str | None = OnOption, by: str | None = ByOption, as_json: bool = JsonOption) -> None:
    """Reopen a collated round to collect late updates."""
    _advance("reopen", None, on, by, as_json)


@command(app, "present")
def present(on: str | None = OnOption, by: str | None = ByOption, as_json: bool = JsonOption) -> None:
    """Record that the collated plan was presented to the Delivery Group."""
    _advance("present", None, on, by, as_json)


@command(app, "send-to-board")
def send_to_board(on: str | None = OnOption, by: str | None = ByOption, as_json: bool = JsonOption) -> None:
    """Record that the collated plan was sent to the Board (the round ends)."""
    _advance("send_to_board", None, on, by, as_json)

"""`dhr accuracy`: the factual-accuracy round. The draft overview report (a stored version) goes to the agencies in
scope and named recipients with a deadline; each answers with comments or none; the chair responds to each comment;
the round closes when every answer is in, or after the deadline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, fail, opt_date, print_json

app = typer.Typer(help="The factual-accuracy round on the draft overview report.", no_args_is_help=True)
ByOption = typer.Option(None, "--by", help="Your email (recorded as who did it)")


@command(app, "circulate")
def circulate(
    ref: str,
    version: int = typer.Option(..., "--version", help="The stored version of the overview report to send"),
    agency: list[str] = typer.Option([], "--agency", help="An agency in scope (repeat for each)"),
    recipient: list[str] = typer.Option(
        [], "--recipient", help='A named recipient outside the directory, "NAME <EMAIL>" (the SIO, the CPS)'
    ),
    due: str | None = typer.Option(None, "--due", help="The deadline (default: the workflow's working days)"),
    on: str | None = typer.Option(None, "--on", help="When it was sent (default today)"),
    by: str | None = ByOption,
) -> None:
    """Circulate a stored version of the draft overview report for factual accuracy."""
    from dhr_workflow.accuracy import rounds, views

    ctx = app_context()
    rounds.circulate(
        ctx,
        ref,
        version,
        agencies=agency,
        recipients=recipient,
        due=opt_date(due, "--due"),
        on=opt_date(on, "--on"),
        by=by,
    )
    latest = views.rounds_of(ctx, ref)[0]
    console().print(
        f"Version {version} sent to {len(latest['recipients'])} recipient(s); answers due {latest['due_on']}.",
        highlight=False,
    )
    for r in latest["recipients"]:
        console().print(f"  {r['id']}: {r['name']}", highlight=False, markup=False)


@command(app, "answer")
def answer(
    ref: str,
    recipient_id: int = typer.Argument(..., metavar="ID", help="The recipient's id (dhr accuracy show)"),
    comments: str | None = typer.Option(None, "--comments", help="The comments, as text"),
    file: Path | None = typer.Option(None, "--file", help="The comments, as a file"),
    no_comments: bool = typer.Option(False, "--no-comments", help="They have no comments"),
    on: str | None = typer.Option(None, "--on", help="When the answer came in (default today)"),
    by: str | None = ByOption,
) -> None:
    """Record a recipient's answer: comments (text and/or a file) or no comments."""
    from dhr_workflow.accuracy.rounds import Upload
    from dhr_workflow.accuracy.rounds import answer as record

    upload = None
    if file is not None:
        if not file.is_file():
            fail(f"no file {file}", 2)
        upload = Upload(file.name, file.read_bytes())
    comment = record(
        app_context(),
        ref,
        recipient_id,
        comments=comments,
        upload=upload,
        no_comments=no_comments,
        on=opt_date(on, "--on"),
        by=by,
    )
    said = f"comment {comment} recorded" if comment else "no comments recorded"
    console().print(f"Recipient {recipient_id} on {ref.upper()}: {said}.")


@command(app, "respond")
def respond(
    ref: str,
    comment_id: int,
    response: str = typer.Option(..., "--response", help="The chair's response to the comment"),
    by: str | None = ByOption,
) -> None:
    """Record the chair's response to a comment."""
    from dhr_workflow.accuracy.rounds import respond as record

    record(app_context(), ref, comment_id, response=response, by=by)
    console().print(f"Response to comment {comment_id} on {ref.upper()} recorded.")


@command(app, "close")
def close(
    ref: str,
    on: str | None = typer.Option(None, "--on", help="When it closed (default today)"),
    by: str | None = ByOption,
) -> None:
    """Close the round: every answer is in, or the deadline has passed (the rest are recorded as not answered)."""
    from dhr_workflow.accuracy.rounds import close as record

    missing = record(app_context(), ref, on=opt_date(on, "--on"), by=by)
    console().print(f"The round on {ref.upper()} is closed; {missing} recorded as not answered.")


@command(app, "show")
def show(ref: str, as_json: bool = JsonOption) -> None:
    """The case's rounds, latest first: who each went to, their answers, the comments and the chair's responses."""
    from dhr_workflow.accuracy.views import rounds_of

    rows = rounds_of(app_context(), ref)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print(f"{ref.upper()}: the draft has not been circulated for factual accuracy.")
    for r in rows:
        state = f"closed {r['closed_on']}" if r["closed_on"] else f"open, {r['awaited']} awaited"
        console().print(
            f"Round {r['id']}: version {r['version']} sent {r['circulated_on']}, due {r['due_on']} ({state})",
            highlight=False,
        )
        for p in r["recipients"]:
            console().print(f"  {p['id']}: {p['name']}: {p['status_label']}", highlight=False, markup=False)
            for c in p["comments"]:
                _comment(c)


def _comment(c: dict[str, Any]) -> None:
    said = c["text"] or ""
    if c["filename"]:
        said = f"{said} [file: {c['filename']}]".strip()
    console().print(f"    comment {c['id']}: {said}", highlight=False, markup=False)
    console().print(f"      response: {c['response'] or 'none yet'}", highlight=False, markup=False)

"""`dhr docs`: the review toolkit documents for a case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console

app = typer.Typer(
    help="Generate toolkit documents from a case: web page, tagged PDF, Word, plain text.", no_args_is_help=True
)


@command(app, "list")
def list_docs(ref: str, as_json: bool = JsonOption) -> None:
    """Every toolkit document, whether it fits the case's stage, and which case fields it still needs."""
    from dhr_workflow.cli.read_commands import document_rows, print_documents

    print_documents(ref, document_rows(ref), as_json)


@command(app, "render")
def render(
    ref: str,
    template: str,
    fmt: str = typer.Option("html", "--format", help="html, pdf, docx or txt"),
    variant: str | None = typer.Option(None, "--variant", help="standard (default), large-print or easy-read"),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Where to write it (default: a file named after it; '-' for stdout)"
    ),
    request: int | None = typer.Option(None, "--request", help="For accessible_format_response: which request"),
    party: int | None = typer.Option(
        None, "--party", help="family_letter only: the letter for this family member, in their recorded format"
    ),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Make one document (a new stored version only if the case changed) and write it out."""
    import sys

    from dhr_workflow.documents.versions import render_for_case

    if party is not None:
        rendered = _letter_for(ref, template, party, fmt, variant, by)
    else:
        rendered = render_for_case(app_context(), ref, template, fmt, variant or "standard", by=by, request_id=request)
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(rendered.content)
        return
    path = output or Path(rendered.filename)
    path.write_bytes(rendered.content)
    state = "new version" if rendered.new_version else "unchanged since"
    console().print(f"Wrote {path} ({state} v{rendered.version}).", highlight=False)


def _letter_for(ref: str, template: str, party: int, fmt: str, variant: str | None, by: str | None) -> Any:
    from dhr_workflow.core.errors import InvalidInput
    from dhr_workflow.family.letters import LETTER, letter_for

    if template != LETTER:
        raise InvalidInput(f"--party is for the family letter ({LETTER}), not {template}")
    if variant is not None:
        raise InvalidInput("--party uses the format recorded for the family member: leave out --variant")
    return letter_for(app_context(), ref, party, fmt=fmt, by=by)


@command(app, "pack")
def pack(
    ref: str,
    output: Path = typer.Option(..., "-o", "--output", help="The .zip to write"),
    formats: str = typer.Option("html,pdf,docx,txt", "--formats", help="Comma-separated formats"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Every document the case has the data for, in every format and variant, in one zip."""
    from rich.progress import Progress

    from dhr_workflow.documents.catalogue import catalogue
    from dhr_workflow.documents.versions import pack as make_pack

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    with Progress(console=console(), transient=False) as progress:
        task = progress.add_task("Rendering documents", total=len(catalogue()))
        data, skipped = make_pack(
            app_context(), ref, by=by, formats=chosen, progress=lambda name: progress.advance(task)
        )
    output.write_bytes(data)
    console().print(f"Wrote {output}.", highlight=False)
    for line in skipped:
        console().print(f"  not included: {line}", highlight=False)


@command(app, "diff")
def diff(
    ref: str,
    template: str,
    from_version: int | None = typer.Option(None, "--from"),
    to_version: int | None = typer.Option(None, "--to"),
) -> None:
    """What changed between two versions of a document (default: the last two), as a text diff."""
    from dhr_workflow.documents.versions import diff as text_diff

    out = text_diff(app_context(), ref, template, from_version, to_version)
    typer.echo(out or "The two versions read the same.")


@command(app, "attach")
def attach(
    ref: str,
    template: str,
    path: Path,
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Store a finished file made outside the system (say the chair's final report in Word) as the document's
    current version in that format; the publication check reads it."""
    from dhr_workflow.cli.common import fail
    from dhr_workflow.documents.versions import attach_file

    if not path.is_file():
        fail(f"no file at {path}", 2)
    fmt = path.suffix.lower().lstrip(".")
    doc = attach_file(app_context(), ref, template, fmt, path.read_bytes(), by=by)
    console().print(
        f"Attached {path.name} as the {fmt} of {template} v{doc.version}; run `dhr publish check {ref.upper()}`.",
        highlight=False,
    )

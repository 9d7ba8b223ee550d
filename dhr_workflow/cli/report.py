"""`dhr report sections|write|history`: the sections of the overview report only the chair can write (issue 13),
stored as text with every version kept, over dhr_workflow/findings/sections.py."""

from __future__ import annotations

from pathlib import Path

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, fail, print_json

app = typer.Typer(help="The chair's sections of the overview report, versioned.", no_args_is_help=True)


@command(app, "sections")
def sections(ref: str, as_json: bool = JsonOption) -> None:
    """Every section the chair writes, with its latest version."""
    from dhr_workflow.findings.sections import sections_of

    rows = sections_of(app_context(), ref)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        state = f"version {r['version']} by {r['written_by']}" if r["version"] else "not written yet"
        console().print(f"{r['name']}: {r['title']} ({state})")


@command(app, "write")
def write(
    ref: str,
    section: str,
    text: str | None = typer.Option(None, "--text"),
    file: Path | None = typer.Option(None, "--file", help="Read the text from this UTF-8 file"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Store a new version of a section (earlier versions are kept)."""
    from dhr_workflow.findings.sections import write_section

    if (text is None) == (file is None):
        fail("give the section's text with --text or --file (one of them)", 2)
        return
    body = text if text is not None else _read_text(file)  # type: ignore[arg-type]
    saved = write_section(app_context(), ref, section, body, by=by)
    console().print(f"{section} of {ref.upper()}: version {saved.version} stored.")


def _read_text(path: Path) -> str:
    if not path.is_file():
        fail(f"no file {path}", 2)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(f"{path} is not UTF-8 text: save it as UTF-8 and try again", 2)
        raise  # unreachable: fail() exits


@command(app, "history")
def history(ref: str, section: str, as_json: bool = JsonOption) -> None:
    """Every stored version of a section."""
    from dhr_workflow.findings.sections import history_of

    rows = history_of(app_context(), ref, section)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        console().print(f"version {r['version']} by {r['written_by']}:\n{r['text']}\n")

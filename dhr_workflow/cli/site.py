"""`dhr site page`: the accessibility statement and privacy notice, the same pages an admin edits on
/admin/site-pages (dhr_workflow/documents/site_pages.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, fail, print_json

app = typer.Typer(help="Pages about the service: the accessibility statement and privacy notice.", no_args_is_help=True)
page_app = typer.Typer(help="Show, set and list versions of a page (accessibility, privacy).", no_args_is_help=True)
app.add_typer(page_app, name="page")


@command(page_app, "show")
def show(kind: str = typer.Argument(..., help="accessibility or privacy"), as_json: bool = JsonOption) -> None:
    """The page's text as shown now, and which version it is."""
    from dhr_workflow.documents.site_pages import current

    page = current(app_context(), kind)
    if as_json:
        print_json(page)
        return
    if page["source"] == "file":
        console().print("[dim]Not edited yet: the default file is shown.[/]")
    else:
        console().print(
            f"[dim]Version {page['version']}, saved by {page['saved_by']} at {page['saved_at']:%Y-%m-%d %H:%M} UTC[/]"
        )
    print(page["text"] or "")  # noqa: T201 - the text is the output, unstyled


@command(page_app, "set")
def set_(
    kind: str = typer.Argument(..., help="accessibility or privacy"),
    file: Path = typer.Option(..., "--file", help="A UTF-8 text file: blank lines between paragraphs, # headings"),
    by: str | None = typer.Option(None, "--by", help="Who is saving it (an admin's email)"),
    as_json: bool = JsonOption,
) -> None:
    """Save a new version of the page from a text file (earlier versions are kept)."""
    from dhr_workflow.documents.site_pages import save

    try:
        text = file.read_bytes()[:1_000_000].decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        fail(f"cannot read {file} as UTF-8 text: {err}", 2)
        return
    saved = save(app_context(), kind, text, by=by)
    if as_json:
        print_json(saved)
    elif saved["changed"]:
        console().print(f"Saved version {saved['version']} of the {kind} page.")
    else:
        console().print(f"No change: version {saved['version']} already has this text.")


@command(page_app, "versions")
def versions(kind: str = typer.Argument(..., help="accessibility or privacy"), as_json: bool = JsonOption) -> None:
    """Every saved version, newest first: who saved it and when."""
    from dhr_workflow.documents.site_pages import versions as page_versions

    rows = page_versions(app_context(), kind)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print("Not edited yet: the default file is shown.")
    for r in rows:
        console().print(f"Version {r['version']}: {r['saved_by']}, {r['saved_at']:%Y-%m-%d %H:%M} UTC")

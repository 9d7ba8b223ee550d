"""`dhr workflow`: the workflow definitions in workflows/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, fail, keep_whole, print_json

app = typer.Typer(help="List, validate and draw workflow definitions.", no_args_is_help=True)


@command(app, "list")
def list_(as_json: bool = JsonOption) -> None:
    """The installed workflow definitions and their versions."""
    from rich.table import Table

    defs = sorted(app_context().workflows.definitions.values(), key=lambda d: (d.name, d.version))
    rows: list[dict[str, Any]] = [
        {
            "name": d.name,
            "version": d.version,
            "kind": d.kind,
            "title": d.title,
            "states": len(d.states),
            "clocks": list(d.clocks),
        }
        for d in defs
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("Name", "Version", "Title", "States", "Clocks", title="Workflows")
    for r in rows:
        table.add_row(r["name"], r["version"], r["title"], str(r["states"]), ", ".join(r["clocks"]))
    keep_whole(table, 0)
    console().print(table)


@command(app, "validate")
def validate(path: Path) -> None:
    """Check a workflow file; exits non-zero listing every problem with its place in the file."""
    from dhr_workflow.workflow.registry import load_file

    if not path.is_file():
        fail(f"no file {path}", 2)
    definition = load_file(path)
    console().print(
        f"{path}: valid ({definition.name} version {definition.version}, "
        f"{len(definition.states)} states, {len(definition.transitions)} transitions, "
        f"{len(definition.clocks)} clocks)."
    )


@command(app, "diagram")
def diagram(
    name: str,
    case: str | None = typer.Option(None, "--case", help="Highlight this case's stage."),
    fmt: str = typer.Option("mermaid", "--format", help="mermaid or svg"),
    output: Path | None = typer.Option(None, "-o", "--output"),
) -> None:
    """Draw a workflow (Mermaid or SVG), with a text alternative listing next steps and due dates."""
    from dhr_workflow.workflow.diagram import draw, text_alternative

    if fmt not in ("mermaid", "svg"):
        fail("--format must be mermaid or svg", 2)
    ctx = app_context()
    detail = None
    if case:
        from dhr_workflow.cases.queries import show_case

        detail = show_case(ctx, case)
        definition = ctx.workflows.get(detail["workflow"]["name"], detail["workflow"]["version"])
        if definition.name != name:
            fail(f"{case} runs the {definition.name} workflow, not {name}", 2)
    else:
        definition = ctx.workflows.latest(name)
    picture = draw(definition, detail["state"] if detail else None, fmt)
    alternative = "\n".join(text_alternative(definition, detail))
    if output:
        output.write_text(picture, encoding="utf-8")
        console().print(f"Wrote {output}.")
    else:
        print(picture)  # noqa: T201 - the diagram is the output
    print(("%% " if fmt == "mermaid" and not output else "") + "Text alternative:")  # noqa: T201
    print(alternative)  # noqa: T201

"""`dhr case list` and `dhr docs list`: what they read and how they print it, without Typer, so the Typer commands
(cli/cases.py, cli/documents.py) and the fast path (cli/fast.py) run the same code and print the same bytes."""

from __future__ import annotations

from typing import Any

from dhr_workflow.cli.contexts import read_context
from dhr_workflow.cli.output import console, keep_whole, print_json


def case_rows(state: str | None, overdue: bool) -> list[dict[str, Any]]:
    from dhr_workflow.cases.read_model import list_cases

    return list_cases(read_context(), state=state, overdue=overdue)


def print_cases(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table("Ref", "Stage", "State", "Next deadline", "Overdue", title=f"Cases ({len(rows)})")
    for r in rows:
        nxt = f"{r['next_due']['clock']} {r['next_due']['due']}" if r["next_due"] else "-"
        table.add_row(r["ref"], r["stage"], r["state_label"], nxt, "[red]yes[/]" if r["overdue"] else "")
    keep_whole(table, 0)
    keep_whole(table, 3, one_word=False)
    console().print(table)


def document_rows(ref: str) -> list[dict[str, Any]]:
    from dhr_workflow.documents.listing import list_documents

    return list_documents(read_context(), ref)


def print_documents(ref: str, rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"Documents for {ref.upper()}")
    for col in ("Name", "Title", "For this stage", "Needs", "Latest"):
        table.add_column(col)
    for r in rows:
        needs = ", ".join(r["missing_fields"]) or "ready"
        table.add_row(
            r["name"],
            r["title"],
            "yes" if r["for_this_stage"] else "",
            needs,
            f"v{r['latest_version']}" if r["latest_version"] else "-",
        )
    keep_whole(table, 0)
    keep_whole(table, 3, one_word=False)
    console().print(table)

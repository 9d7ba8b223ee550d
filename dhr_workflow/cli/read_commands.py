"""`dhr case list`, `dhr case show` and `dhr docs list`: what they read and how they print it, without Typer, so
the Typer commands (cli/cases.py, cli/documents.py) and the fast path (cli/fast.py) run the same code and print the
same bytes."""

from __future__ import annotations

from typing import Any

from dhr_workflow.cli.contexts import app_context, read_with
from dhr_workflow.cli.output import console, keep_whole, print_json


def case_rows(state: str | None, overdue: bool) -> list[dict[str, Any]]:
    from dhr_workflow.cases.read_model import list_cases

    return read_with(lambda ctx: list_cases(ctx, state=state, overdue=overdue))


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

    return read_with(lambda ctx: list_documents(ctx, ref))


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


def case_detail(ref: str, show_names: bool) -> dict[str, Any]:
    """Read with Core (cases.detail_model) unless real names are asked for (that read is audited, a write) or a
    guard needs a fact only an ORM provider computes."""
    if not show_names:
        from dhr_workflow.cases.core_facts import NeedsOrm
        from dhr_workflow.cases.detail_model import case_detail as core_detail

        try:
            return read_with(lambda ctx: core_detail(ctx, ref), keep=(NeedsOrm,))
        except NeedsOrm:
            pass
    from dhr_workflow.cases.queries import show_case

    return show_case(app_context(), ref, reveal_names=show_names)


def print_case_detail(d: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(d)
        return
    from rich.table import Table

    out = console()
    out.print(f"[bold]{d['ref']}[/] {d['workflow']['title']} (version {d['workflow']['version']})")
    out.print(f"Stage: {d['stage']} - {d['state_label']}  (notified {d['notified_date']})")
    clocks = Table("Clock", "Started", "Due", "Status", "Paused days", title="Statutory clocks")
    for c in d["clocks"]:
        clocks.add_row(
            f"{c['name']}\n{c['label']}; {c['rule']}",
            c["start"],
            c["due"],
            _status(c["status"]),
            str(c["paused_days"]),
        )
    keep_whole(clocks, 0, one_word=False)  # the name, typed back in `--clock NAME`, has a line to itself
    for column in (1, 2, 3):  # dates (typed back in `--on DATE`) and statuses stay whole
        keep_whole(clocks, column)
    out.print(clocks)
    if d["tasks"]:
        tasks = Table("Id", "Task", "Due", "Status", title="Tasks")
        for t in d["tasks"]:
            tasks.add_row(str(t["id"]), t["title"], t["due"], t["status"])
        keep_whole(tasks, 0)
        out.print(tasks)
    out.print(
        "Next: "
        + (
            "; ".join(
                f"{a['trigger']} ({a['label']})" + (f" needs --set {', '.join(a['requires'])}" if a["requires"] else "")
                for a in d["actions"]
            )
            or "nothing"
        )
    )
    for b in d["blocked_actions"]:
        out.print(f"Not yet: {b['trigger']}: {'; '.join(b['missing'])}")


def _status(status: str) -> str:
    colour = {"overdue": "red", "due_soon": "yellow", "paused": "blue", "met_late": "red", "met": "green"}
    return f"[{colour.get(status, 'white')}]{status}[/]"

"""`dhr audit`: the tamper-evident audit trail (ADR 0052)."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import app_context, command, console, err_console, fail

app = typer.Typer(help="Check the audit trail.", no_args_is_help=True)


@command(app, "verify")
def verify() -> None:
    """Check the audit chain with the audit key and against the anchor log; exit 7 naming the first event affected."""
    from dhr_workflow.core import audit

    with app_context().db.read() as session:
        result = audit.verify(session)
    if not result.ok:
        where = f"at event {result.first_broken_seq}" if result.first_broken_seq is not None else "in its anchor log"
        fail(
            f"audit trail broken {where}: {result.problem} ({result.events_checked} events before it are intact)",
            7,
        )
    anchors = f", {result.anchors_checked} anchors matched" if result.anchors_checked else ""
    console().print(f"Audit trail intact: {result.events_checked} events verified{anchors}.")
    for note in result.notes:
        err_console().print(f"Note: {note}", highlight=False, markup=False)

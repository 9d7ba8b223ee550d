"""`dhr audit`: the tamper-evident audit trail."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import app_context, command, console, fail

app = typer.Typer(help="Check the audit trail.", no_args_is_help=True)


@command(app, "verify")
def verify() -> None:
    """Check the audit hash chain; exits non-zero naming the first broken event."""
    from dhr_workflow.core import audit

    with app_context().db.read() as session:
        result = audit.verify(session)
    if not result.ok:
        fail(
            f"audit trail broken at event {result.first_broken_seq}: {result.problem} "
            f"({result.events_checked} events before it are intact)",
            7,
        )
    console().print(f"Audit trail intact: {result.events_checked} events verified.")

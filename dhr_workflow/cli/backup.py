"""`dhr backup` and `dhr restore`: the whole database to a file and back (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from dhr_workflow.cli.common import app_context, command, console, fail


def register(app: typer.Typer) -> None:
    command(app, "backup")(backup)
    command(app, "restore")(restore)


def backup(
    output: Path = typer.Option(..., "-o", "--output", help="The backup file to write."),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists."),
) -> None:
    """Back up the database: SQLite's online backup API, or pg_dump for PostgreSQL."""
    from dhr_workflow.core.backup import backup as run_backup

    written = run_backup(app_context().settings.database_url, output, overwrite=force)
    console().print(f"Backed up to {written} ({written.stat().st_size} bytes).", highlight=False)
    console().print("Keep the audit key and the anchor log safe separately: they are not in the backup.")


def restore(
    source: Path = typer.Argument(..., help="A file made by `dhr backup`."),
    yes: bool = typer.Option(False, "--yes", help="Confirm: every record in the database is replaced."),
) -> None:
    """Replace the database with a backup, bring its schema up to date and check its audit trail."""
    from dhr_workflow.core import audit
    from dhr_workflow.core.backup import restore as run_restore
    from dhr_workflow.core.migrate import upgrade

    if not yes:
        fail("restoring replaces every record in the database: run again with --yes to confirm", 2)
    ctx = app_context()
    ctx.db.dispose()
    run_restore(ctx.settings.database_url, source)
    upgrade(ctx.settings.database_url)
    with ctx.db.read() as session:
        result = audit.verify(session)
    if not result.ok:
        fail(f"restored, but the audit trail is broken at event {result.first_broken_seq}: {result.problem}", 7)
    console().print(f"Restored from {source}; audit trail intact ({result.events_checked} events).", highlight=False)

"""`dhr db`: the database schema."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import app_context, command, console

app = typer.Typer(help="Set up and upgrade the database.", no_args_is_help=True)


@command(app, "upgrade")
def upgrade() -> None:
    """Create or upgrade the database tables to the latest version."""
    from dhr_workflow.core.migrate import upgrade as run_upgrade

    ctx = app_context()
    run_upgrade(ctx.settings.database_url)
    console().print(f"Database is up to date ({_safe_url(ctx.settings.database_url)}).")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)

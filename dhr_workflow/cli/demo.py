"""`dhr demo`: seed a demo partnership to try the system with."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import app_context, command, console


def register(app: typer.Typer) -> None:
    command(app, "demo")(demo)


def demo(
    password: str | None = typer.Option(
        None,
        "--password",
        envvar="DHR_DEMO_PASSWORD",
        help="One password for every demo user (default: random, printed).",
    ),
) -> None:
    """Seed a demo partnership, one user per role, and cases at different stages."""
    from rich.table import Table

    from dhr_workflow.core.migrate import upgrade
    from dhr_workflow.demo.seed import seed

    ctx = app_context()
    upgrade(ctx.settings.database_url)
    result = seed(ctx, password)
    out = console()
    if result.already_seeded:
        from dhr_workflow.demo.sign_ins import reset_demo_passwords

        out.print("The demo partnership is already seeded: `dhr case list` shows its cases. New demo passwords:")
        result.credentials = reset_demo_passwords(ctx, password)
    if result.cases:
        cases = Table("Case", "Stage", title="Demo cases")
        for label, ref in result.cases.items():
            cases.add_row(ref, label)
        out.print(cases)
    people = Table("Email", "Password", title="Demo users (for local use only)")
    for email, secret in result.credentials.items():
        people.add_row(email, secret)
    out.print(people)
    out.print(f"Web: `dhr serve`, then open {ctx.settings.base_url} and sign in as one of the users above.")
    out.print("Try: dhr case list | dhr case show DHR-... | dhr workflow diagram dhr --case DHR-...")
    out.print("Lessons learned: dhr plan show | dhr action list --overdue | dhr commentary status | dhr meeting list")

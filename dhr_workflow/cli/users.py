"""`dhr user`: people and their roles."""

from __future__ import annotations

import sys
from typing import Any

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, keep_whole, print_json

app = typer.Typer(help="Add and list users.", no_args_is_help=True)


@command(app, "add")
def add(
    email: str = typer.Option(..., "--email"),
    name: str = typer.Option(..., "--name"),
    role: str = typer.Option(
        ..., "--role", help="admin coordinator csp_chair reviewer panel_member agency_contact viewer"
    ),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read a password from standard input."),
) -> None:
    """Add a user. Without --password-stdin they cannot sign in to the web app until given a password."""
    from dhr_workflow.people.users import add_user

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    user = add_user(app_context(), email, name, role, password)
    console().print(f"Added {user.email} as {user.role}.")


@command(app, "list")
def list_(as_json: bool = JsonOption) -> None:
    """List users."""
    from rich.table import Table

    from dhr_workflow.people.users import list_users

    users: list[dict[str, Any]] = [
        {
            "email": u.email,
            "name": u.name,
            "role": u.role,
            "active": u.active,
            "can_sign_in": u.password_hash is not None,
        }
        for u in list_users(app_context())
    ]
    if as_json:
        print_json(users)
        return
    table = Table("Email", "Name", "Role", "Can sign in", title="Users")
    for u in users:
        table.add_row(u["email"], u["name"], u["role"], "yes" if u["can_sign_in"] else "no")
    keep_whole(table, 0)
    console().print(table)

"""`dhr serve` (the web app and API) and `dhr token create` (personal API tokens)."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, print_json

token_app = typer.Typer(help="Personal API tokens for the JSON API.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    command(app, "serve")(serve)
    app.add_typer(token_app, name="token")


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (keep 127.0.0.1 behind a proxy)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
) -> None:
    """Run the web app and API; the embedded reminder scheduler runs too when DHR_REDIS_URL is unset."""
    import uvicorn

    from dhr_workflow.core.audit_keys import assert_safe
    from dhr_workflow.core.migrate import upgrade
    from dhr_workflow.web.app import create_app

    ctx = app_context()
    assert_safe(ctx.settings)
    web_app = create_app(ctx)  # before anything else, so a missing part of the installation is one line, no traceback
    upgrade(ctx.settings.database_url)
    console().print(f"Serving on http://{host}:{port} (Ctrl+C stops)")
    uvicorn.run(web_app, host=host, port=port, proxy_headers=False, server_header=False, access_log=False)


@command(token_app, "create")
def create(
    user: str = typer.Option(..., "--user", help="Email of the person the token acts as."),
    label: str = typer.Option("", "--label", help="What the token is for, to tell tokens apart."),
) -> None:
    """Create a personal API token. It is printed once and stored only as a hash: keep it somewhere safe."""
    from dhr_workflow.people.sign_in import create_api_token

    token = create_api_token(app_context(), user, label)
    console().print("Your API token (shown once; send it as `Authorization: Bearer TOKEN`):", highlight=False)
    typer.echo(token)


@command(token_app, "list")
def list_(
    user: str | None = typer.Option(None, "--user", help="Only this person's tokens."),
    as_json: bool = JsonOption,
) -> None:
    """List API tokens: owner, created, last used, expiry and whether each still works."""
    from rich.table import Table

    from dhr_workflow.people.tokens import list_tokens

    tokens = list_tokens(app_context(), user)
    if as_json:
        print_json([t.as_json() for t in tokens])
        return
    table = Table("ID", "Owner", "Label", "Starts", "Created", "Last used", "Expires", "Status", title="API tokens")
    for t in tokens:
        used = t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "never"
        table.add_row(
            str(t.id),
            t.owner,
            t.label,
            t.prefix,
            f"{t.created_at:%Y-%m-%d}",
            used,
            f"{t.expires_at:%Y-%m-%d}",
            t.status,
        )
    console().print(table)


@command(token_app, "revoke")
def revoke(
    token_id: int = typer.Argument(..., help="The token's ID, from `dhr token list`.", min=1, max=2**31 - 1),
    by: str | None = typer.Option(None, "--by", help="Email of the person doing this (recorded in the audit)."),
) -> None:
    """Stop an API token working at once."""
    from dhr_workflow.people.tokens import revoke_token

    revoke_token(app_context(), token_id, by=by)
    console().print(f"API token {token_id} revoked.")

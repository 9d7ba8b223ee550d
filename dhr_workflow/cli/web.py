"""`dhr serve` (the web app and API) and `dhr token create` (personal API tokens)."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import app_context, command, console

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

    from dhr_workflow.core.migrate import upgrade
    from dhr_workflow.web.app import create_app

    ctx = app_context()
    ctx.settings.assert_safe_for(ctx.settings.environment)
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

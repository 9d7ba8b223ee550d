"""`dhr publish`: the pseudonymisation leak check that guards publication."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, err_console, print_json

app = typer.Typer(help="Check publication documents before the review is published.", no_args_is_help=True)


@command(app, "check")
def check(ref: str, by: str | None = typer.Option(None, "--by"), as_json: bool = JsonOption) -> None:
    """Search every publication document, in every format, for real names, dates of birth, addresses and police
    references. Exits 1 listing each hit; a clean check lets `publish` happen until the case changes."""
    from dhr_workflow.documents.publication import check as run_check

    result = run_check(app_context(), ref, by=by)
    if as_json:
        print_json({"ref": result.ref, "clean": result.clean, "files": result.documents, "hits": result.hits})
    elif result.clean:
        console().print(
            f"Clean: no real names or identifying details in {len(result.documents)} files for {result.ref}.",
            highlight=False,
        )
    else:
        err = err_console()
        err.print(
            f"[bold red]{len(result.hits)} leak(s)[/] in the publication documents of {result.ref}:", highlight=False
        )
        for hit in result.hits:
            err.print(
                f"  {hit['document']} v{hit['version']} ({hit['format']}, {hit['variant']}): {hit['what']} "
                f"'{hit['found']}' in \"…{hit['context']}…\"",
                highlight=False,
                markup=False,
            )
        err.print("Fix the case fields or the attached file, then run the check again.", highlight=False)
    if not result.clean:
        raise typer.Exit(1)

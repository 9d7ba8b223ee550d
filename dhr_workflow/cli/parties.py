"""`dhr party`: the people in a case (each with the pseudonym published documents use)."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import app_context, command, console, opt_date

app = typer.Typer(help="Record the people in a case and their pseudonyms.", no_args_is_help=True)


@command(app, "add")
def add(
    ref: str,
    kind: str = typer.Option(..., "--kind", help="victim, perpetrator, family or other"),
    name: str = typer.Option(..., "--name", help="Their real name (never published)"),
    pseudonym: str = typer.Option(..., "--pseudonym", help="The name publication documents use"),
    age: int | None = typer.Option(None, "--age"),
    dob: str | None = typer.Option(None, "--dob", help="Date of birth, YYYY-MM-DD"),
    address: str | None = typer.Option(None, "--address"),
    relationship: str | None = typer.Option(None, "--relationship", help="Relationship to the person who died"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Add a person; the publication leak check searches for their name, date of birth and address."""
    from dhr_workflow.cases.parties import PartyInput, add_party

    party = add_party(
        app_context(),
        ref,
        PartyInput(kind, name, pseudonym, age, opt_date(dob, "--dob"), address, relationship),
        by=by,
    )
    console().print(f"Added a {party.kind} to {ref.upper()} as '{party.pseudonym}'.", highlight=False)

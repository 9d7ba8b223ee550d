"""`dhr family add|list|contact|contacts`: the family's involvement (issue 13), over
dhr_workflow/family/involvement.py. The contact log is need to know."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, print_json, req_date

app = typer.Typer(
    help="The family's involvement: family members and friends, and the contact log.", no_args_is_help=True
)
ByOption = typer.Option(None, "--by", help="Who acts (default: the system operator)")


@command(app, "add")
def add(
    ref: str,
    name: str = typer.Option(..., "--name"),
    relationship: str = typer.Option(..., "--relationship", help="To the person who died, e.g. Mother, Friend"),
    advocate: str = typer.Option("none", "--advocate", help="aafda, other or none"),
    wants_involvement: str | None = typer.Option(None, "--wants-involvement", help="yes or no"),
    pseudonym: str | None = typer.Option(None, "--pseudonym", help="Default: 'Family member N'"),
    language: str | None = typer.Option(None, "--language", help="The language they want letters in"),
    needs: str | None = typer.Option(None, "--needs", help="Accessibility or format needs, e.g. large print"),
    contact: str | None = typer.Option(None, "--contact", help="How and when they want to be contacted"),
    by: str | None = ByOption,
) -> None:
    """Add a family member or friend of the person who died."""
    from dhr_workflow.family.involvement import add_member

    member = add_member(
        app_context(),
        ref,
        name=name,
        relationship=relationship,
        advocate=advocate,
        wants_involvement=wants_involvement,
        pseudonym=pseudonym,
        language=language,
        accessibility_needs=needs,
        contact_preference=contact,
        by=by,
    )
    console().print(f"Family member added to {ref.upper()} as party {member.party_id}.")


@command(app, "list")
def list_members(ref: str, as_json: bool = JsonOption) -> None:
    """The family members and friends, with how they want to be involved."""
    from dhr_workflow.family.involvement import members_of

    rows = members_of(app_context(), ref)
    if as_json:
        print_json(rows)
        return
    for m in rows:
        console().print(f"{m['id']}: {m['name']} ({m['relationship']}); advocate: {m['advocate_label']}")


@command(app, "contact")
def contact(
    ref: str,
    party: int = typer.Option(..., "--party", help="The family member's party id (`dhr family list`)"),
    on: str = typer.Option(..., "--on", help="When the contact happened"),
    how: str = typer.Option(..., "--how", help="visit, phone, letter, email or video"),
    note: str = typer.Option(..., "--note", help="What was discussed"),
    by: str | None = typer.Option(None, "--by", help="Who made the contact (default: the system operator)"),
) -> None:
    """Record a contact with a family member in the need-to-know contact log."""
    from dhr_workflow.family.involvement import record_contact

    record_contact(app_context(), ref, party, on=req_date(on, "--on"), how=how, note=note, by=by)
    console().print("Contact recorded.")


@command(app, "contacts")
def contacts(ref: str, as_json: bool = JsonOption) -> None:
    """The contact log, newest first."""
    from dhr_workflow.family.involvement import contacts_of

    rows = contacts_of(app_context(), ref)
    if as_json:
        print_json(rows)
        return
    for c in rows:
        console().print(f"{c['on']} {c['how']} with {c['with']} by {c['by']}: {c['note']}")

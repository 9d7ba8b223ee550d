"""`dhr family add|update|list|contact|contacts|tor-input|share-draft`: the family's involvement (issue 13), over
dhr_workflow/family/ (involvement, wishes, tor_input, drafts). The family's records are need to know."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, opt_date, print_json, req_date

app = typer.Typer(
    help="The family's involvement: family members and friends, and the contact log.", no_args_is_help=True
)
ByOption = typer.Option(None, "--by", help="Who acts (default: the system operator)")
PartyOption = typer.Option(..., "--party", help="The family member's party id (`dhr family list`)")
FORMAT_HELP = "standard, large-print, easy-read or word (plain text or Word)"
AsOption = typer.Option(None, "--as", help="Read as this user: only roles that see the family's records may")
CONSENT_HELP = "consented, declined, not-asked or chair-chose (give --pseudonym-reason)"


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
    document_format: str | None = typer.Option(None, "--format", help=FORMAT_HELP),
    advocate_name: str | None = typer.Option(None, "--advocate-name", help="The other specialist service"),
    pseudonym_consent: str | None = typer.Option(None, "--pseudonym-consent", help=CONSENT_HELP),
    pseudonym_reason: str | None = typer.Option(None, "--pseudonym-reason", help="Why the chair chose it"),
    thanked: str | None = typer.Option(None, "--thanked-by-name", help="yes or no"),
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
        document_format=document_format,
        advocate_name=advocate_name,
        pseudonym_consent=pseudonym_consent,
        pseudonym_reason=pseudonym_reason,
        thanked_by_name=thanked,
    )
    console().print(f"Family member added to {ref.upper()} as party {member.party_id}.")


@command(app, "update")
def update(
    ref: str,
    party: int = PartyOption,
    relationship: str | None = typer.Option(None, "--relationship"),
    contact: str | None = typer.Option(None, "--contact", help="How and when they want to be contacted"),
    language: str | None = typer.Option(None, "--language", help="Their language ('' clears it)"),
    needs: str | None = typer.Option(None, "--needs", help="Accessibility needs ('' clears them)"),
    document_format: str | None = typer.Option(None, "--format", help=FORMAT_HELP),
    wants_involvement: str | None = typer.Option(None, "--wants-involvement", help="yes or no"),
    advocate: str | None = typer.Option(None, "--advocate", help="aafda, other (give --advocate-name) or none"),
    advocate_name: str | None = typer.Option(None, "--advocate-name", help="The other specialist service"),
    pseudonym_consent: str | None = typer.Option(None, "--pseudonym-consent", help=CONSENT_HELP),
    pseudonym_reason: str | None = typer.Option(None, "--pseudonym-reason", help="Why the chair chose it"),
    thanked: str | None = typer.Option(None, "--thanked-by-name", help="yes or no"),
    by: str | None = ByOption,
) -> None:
    """Change how a family member wants to be involved; options left out stay as they are."""
    from dhr_workflow.family.wishes import update_member

    done = update_member(
        app_context(),
        ref,
        party,
        by=by,
        relationship=relationship,
        contact_preference=contact,
        language=language,
        accessibility_needs=needs,
        document_format=document_format,
        wants_involvement=wants_involvement,
        advocate=advocate,
        advocate_name=advocate_name,
        pseudonym_consent=pseudonym_consent,
        pseudonym_reason=pseudonym_reason,
        thanked_by_name=thanked,
    )
    changed = ", ".join(done["changed"]) or "nothing"
    console().print(f"Family member {party} of {ref.upper()} updated: {changed}.", highlight=False)


@command(app, "list")
def list_members(ref: str, as_json: bool = JsonOption, viewer: str | None = AsOption) -> None:
    """The family members and friends, with how they want to be involved, what they asked the review to consider
    and the drafts shared with them."""
    from dhr_workflow.family.fields import reader
    from dhr_workflow.family.involvement import members_of

    ctx = app_context()
    rows = members_of(ctx, ref, viewer=reader(ctx, viewer))
    if as_json:
        print_json(rows)
        return
    for m in rows:
        console().print(
            f"{m['id']}: {m['name']} ({m['relationship']}); advocate: {m['advocate_name'] or m['advocate_label']}; "
            f"format: {m['document_format_label']}; pseudonym: {m['pseudonym_consent_label']}",
            highlight=False,
        )
        for d in m["drafts_shared"]:
            console().print(f"   shared {d['title']} v{d['version']} on {d['on']} by {d['how']}", highlight=False)


@command(app, "contact")
def contact(
    ref: str,
    party: int = PartyOption,
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
def contacts(ref: str, as_json: bool = JsonOption, viewer: str | None = AsOption) -> None:
    """The contact log, newest first (a reading `--as` someone is audited)."""
    from dhr_workflow.family.fields import reader
    from dhr_workflow.family.involvement import contacts_of

    ctx = app_context()
    rows = contacts_of(ctx, ref, viewer=reader(ctx, viewer))
    if as_json:
        print_json(rows)
        return
    for c in rows:
        console().print(f"{c['on']} {c['how']} with {c['with']} by {c['by']}: {c['note']}")


@command(app, "tor-input")
def tor_input(
    ref: str,
    party: int = PartyOption,
    text: str = typer.Option(..., "--text", help="What they asked the review to consider"),
    on: str | None = typer.Option(None, "--on", help="When they asked (default: today)"),
    by: str | None = ByOption,
) -> None:
    """Record what a family member asked the review to consider; the terms of reference record it."""
    from dhr_workflow.family.tor_input import record_tor_input

    record_tor_input(app_context(), ref, party, text=text, on=opt_date(on, "--on"), by=by)
    console().print("Recorded for the terms of reference.")


@command(app, "share-draft")
def share_draft(
    ref: str,
    party: int = PartyOption,
    version: int = typer.Option(..., "--version", help="The stored document version's id (`dhr docs versions`)"),
    on: str | None = typer.Option(None, "--on", help="When it was shared (default: today)"),
    how: str = typer.Option("email", "--how", help="meeting, post, email or secure-link"),
    response: str | None = typer.Option(None, "--response", help="What they said about it"),
    by: str | None = ByOption,
) -> None:
    """Record which stored draft version was shared with a family member, when and how."""
    from dhr_workflow.family.drafts import share_draft as record_share

    record_share(
        app_context(),
        ref,
        party,
        version_id=version,
        on=opt_date(on, "--on"),
        how=how,
        response=response,
        by=by,
    )
    console().print(f"Recorded: version {version} shared with family member {party}.", highlight=False)

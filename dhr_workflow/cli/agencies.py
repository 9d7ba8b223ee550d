"""`dhr agency`, `dhr evidence`, `dhr case agencies`: the agency directory, which agencies are in scope on a case,
and the evidence asked of them."""

from __future__ import annotations

from pathlib import Path

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, fail, opt_date, print_json, req_date

agency_app = typer.Typer(help="The partnership's agencies and who speaks for each.", no_args_is_help=True)
evidence_app = typer.Typer(
    help="Evidence asked of agencies: scoping returns, agency reports, chronologies.", no_args_is_help=True
)
chronology_app = typer.Typer(help="Agencies' chronologies and the merged case chronology.", no_args_is_help=True)
ByOption = typer.Option(None, "--by", help="Your email (recorded as who did it)")


@command(agency_app, "add")
def agency_add(
    name: str = typer.Option(..., "--name"),
    kind: str = typer.Option(
        ...,
        "--kind",
        help="police, acute_health_trust, mental_health_trust, gp_icb, adult_social_care, childrens_services, "
        "housing, probation, specialist_domestic_abuse_service, education, other",
    ),
    contact_email: str | None = typer.Option(None, "--contact-email", help="The agency's named contact (a user)"),
    by: str = typer.Option("system", "--by"),
) -> None:
    """Add an agency to the partnership's directory."""
    from dhr_workflow.agencies.directory import add_agency

    agency = add_agency(app_context(), name, kind, contact_email=contact_email, by=by)
    console().print(f"Agency '{agency.slug}' added.")


@command(agency_app, "contact")
def agency_contact(agency: str, email: str, by: str = typer.Option("system", "--by")) -> None:
    """Make a user a contact for an agency (they answer its evidence requests and update its actions)."""
    from dhr_workflow.agencies.directory import add_contact

    add_contact(app_context(), agency, email, by=by)
    console().print(f"{email} now speaks for {agency}.")


@command(agency_app, "list")
def agency_list(as_json: bool = JsonOption) -> None:
    """The agencies."""
    from dhr_workflow.agencies.directory import list_agencies

    rows = list_agencies(app_context())
    if as_json:
        print_json(rows)
        return
    for r in rows:
        contacts = ", ".join(r["contacts"]) or "no contact"
        console().print(f"{r['slug']}: {r['name']} ({r['kind_label']}; {contacts})", highlight=False)


def case_agencies(
    ref: str,
    add: list[str] = typer.Option([], "--add", help="Put this agency in scope (repeat for several)"),
    remove: list[str] = typer.Option([], "--remove", help="Take this agency out of scope (needs --reason)"),
    reason: str | None = typer.Option(None, "--reason", help="Why the agency is taken out of scope"),
    as_json: bool = JsonOption,
    by: str | None = ByOption,
) -> None:
    """Which agencies are in scope on a case; --add and --remove change it."""
    from dhr_workflow.agencies.directory import case_scope, change_scope

    ctx = app_context()
    rows = (
        change_scope(ctx, ref, add=add, remove=remove, reason=reason, by=by) if add or remove else case_scope(ctx, ref)
    )
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print(f"No agencies in scope on {ref.upper()}.")
    for r in rows:
        state = "in scope" if r["in_scope"] else f"out of scope since {r['removed_on']}: {r['removed_reason']}"
        console().print(f"{r['agency']}: {state}", highlight=False)


@command(evidence_app, "request")
def evidence_request(
    ref: str,
    agency: str = typer.Option(..., "--agency"),
    kind: str = typer.Option(..., "--kind", help="scoping_return, imr, chronology or factual_accuracy"),
    due: str | None = typer.Option(None, "--due", help="Due date (default: the workflow's working days for the kind)"),
    on: str | None = typer.Option(None, "--on", help="When it was asked for (default today)"),
    by: str | None = ByOption,
) -> None:
    """Ask an in-scope agency for evidence, with a deadline."""
    from dhr_workflow.agencies.evidence import request_evidence

    ctx = app_context()
    request_id = request_evidence(ctx, ref, agency, kind, due=opt_date(due, "--due"), on=opt_date(on, "--on"), by=by)
    console().print(f"Request {request_id} sent on {ref.upper()}.")


@command(evidence_app, "list")
def evidence_list(ref: str, as_json: bool = JsonOption) -> None:
    """The case's evidence requests, overdue first."""
    from dhr_workflow.agencies.evidence import list_requests

    rows = list_requests(app_context(), ref)
    if as_json:
        keys = ("id", "agency", "kind", "requested_on", "due", "status", "days_overdue", "status_on", "reason", "files")
        print_json([{k: r[k] for k in keys} for r in rows])
        return
    if not rows:
        console().print(f"No evidence requests on {ref.upper()}.")
    for r in rows:
        late = f", {r['days_overdue']} day(s) overdue" if r["days_overdue"] else ""
        console().print(
            f"{r['id']}: {r['agency']} - {r['kind_label']}: {r['status_label']}, due {r['due']}{late}", highlight=False
        )


@command(evidence_app, "receive")
def evidence_receive(
    ref: str,
    request_id: int,
    file: Path | None = typer.Option(None, "--file", help="The file the agency sent"),
    nil_return: bool = typer.Option(False, "--nil-return", help="The agency holds nothing relevant"),
    on: str | None = typer.Option(None, "--on", help="When it came in (default today)"),
    note: str | None = typer.Option(None, "--note"),
    by: str | None = ByOption,
) -> None:
    """Record what an agency sent: a file, or a nil return."""
    from dhr_workflow.agencies.evidence import Upload, receive

    upload = None
    if file is not None:
        if not file.is_file():
            fail(f"no file {file}", 2)
        upload = Upload(file.name, file.read_bytes())
    receive(
        app_context(), ref, request_id, upload=upload, nil_return=nil_return, on=opt_date(on, "--on"), note=note, by=by
    )
    console().print(f"Request {request_id} on {ref.upper()}: {'nil return' if nil_return else 'received'}.")


@command(evidence_app, "extend")
def evidence_extend(
    ref: str,
    request_id: int,
    to: str = typer.Option(..., "--to", help="The new due date"),
    agreed_by: str = typer.Option(..., "--agreed-by", help="Who agreed the extension"),
    reason: str = typer.Option(..., "--reason"),
    by: str | None = ByOption,
) -> None:
    """Record more time agreed with an agency."""
    from dhr_workflow.agencies.evidence import extend

    extend(app_context(), ref, request_id, to=req_date(to, "--to"), agreed_by=agreed_by, reason=reason, by=by)
    console().print(f"Request {request_id} on {ref.upper()} now due {to}.")


@command(evidence_app, "not-required")
def evidence_not_required(
    ref: str, request_id: int, reason: str = typer.Option(..., "--reason"), by: str | None = ByOption
) -> None:
    """Mark a request not required, with the reason."""
    from dhr_workflow.agencies.evidence import settle_without_evidence

    settle_without_evidence(app_context(), ref, request_id, "not_required", reason=reason, by=by)
    console().print(f"Request {request_id} on {ref.upper()}: not required.")


@command(evidence_app, "withdraw")
def evidence_withdraw(
    ref: str, request_id: int, reason: str = typer.Option(..., "--reason"), by: str | None = ByOption
) -> None:
    """Withdraw a request, with the reason."""
    from dhr_workflow.agencies.evidence import settle_without_evidence

    settle_without_evidence(app_context(), ref, request_id, "withdrawn", reason=reason, by=by)
    console().print(f"Request {request_id} on {ref.upper()}: withdrawn.")


@command(evidence_app, "file")
def evidence_file(ref: str, request_id: int, file_id: int, output: Path = typer.Option(..., "-o", "--output")) -> None:
    """Save a received file (the read is audited)."""
    from dhr_workflow.agencies.evidence import open_file

    stored = open_file(app_context(), ref, request_id, file_id, None)
    output.write_bytes(stored.content)
    console().print(f"Wrote {output}.")


@command(chronology_app, "import")
def chronology_import(
    ref: str,
    path: Path,
    agency: str = typer.Option(..., "--agency"),
    by: str | None = ByOption,
) -> None:
    """Import an agency's chronology (.xlsx from the chronology template, or .csv); all rows or none."""
    from dhr_workflow.agencies.chronology import import_chronology

    if not path.is_file():
        fail(f"no file {path}", 2)
    count = import_chronology(app_context(), ref, agency, path.name, path.read_bytes(), by)
    console().print(f"{count} entries imported for {agency} on {ref.upper()}.", highlight=False)


@command(chronology_app, "show")
def chronology_show(ref: str, as_json: bool = JsonOption) -> None:
    """The merged chronology: every agency's entries by date, time and agency, likely duplicates flagged."""
    from dhr_workflow.agencies.chronology import merged

    rows = merged(app_context(), ref)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print(f"No chronology entries on {ref.upper()}.")
    for r in rows:
        flags = f" [likely duplicate of {r['duplicate_of']}]" if r["duplicate_of"] else ""
        flags += f" [excluded: {r['excluded_reason']}]" if r["excluded"] else ""
        when = f"{r['date']} {r['time'] or ''}".strip()
        console().print(f"{r['id']}: {when} {r['agency']}: {r['event']}{flags}", highlight=False, markup=False)


@command(chronology_app, "exclude")
def chronology_exclude(
    ref: str, entry_id: int, reason: str = typer.Option(..., "--reason"), by: str | None = ByOption
) -> None:
    """Leave an entry out of the merged chronology, saying why."""
    from dhr_workflow.agencies.chronology import exclude

    exclude(app_context(), ref, entry_id, reason, by)
    console().print(f"Entry {entry_id} on {ref.upper()} excluded.")


@command(chronology_app, "template")
def chronology_template(
    ref: str, agency: str = typer.Option(..., "--agency"), output: Path = typer.Option(..., "-o", "--output")
) -> None:
    """Write the chronology template (.xlsx) for an agency on a case; `dhr chronology import` reads it back."""
    from dhr_workflow.agencies.chronology import template_for

    output.write_bytes(template_for(app_context(), ref, agency))
    console().print(f"Wrote {output}.")


def register(app: typer.Typer, case_app: typer.Typer) -> None:
    app.add_typer(agency_app, name="agency")
    app.add_typer(evidence_app, name="evidence")
    app.add_typer(chronology_app, name="chronology")
    if not any(c.name == "agencies" for c in case_app.registered_commands):  # once, however many roots are built
        command(case_app, "agencies")(case_agencies)

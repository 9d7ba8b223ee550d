"""`dhr access-request`: documents in accessible formats, tracked to a deadline."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, opt_date, print_json

app = typer.Typer(help="Record and fulfil requests for documents in accessible formats.", no_args_is_help=True)


@command(app, "new")
def new(
    name: str = typer.Option(..., "--name", help="Who is asking"),
    document: str = typer.Option(..., "--document", help="Which document they want"),
    fmt: str = typer.Option(
        ...,
        "--format",
        help="accessible_pdf, large_print, easy_read, word, plain_text, braille, audio, bsl, other_language",
    ),
    email: str | None = typer.Option(None, "--email"),
    phone: str | None = typer.Option(None, "--phone"),
    address: str | None = typer.Option(None, "--address"),
    language: str | None = typer.Option(None, "--language", help="For other_language"),
    details: str | None = typer.Option(None, "--details"),
    case: str | None = typer.Option(None, "--case", help="The case the document belongs to"),
    template: str | None = typer.Option(None, "--template", help="The toolkit document, if it is one"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Record a request: it is acknowledged and delivered against working-day deadlines."""
    from dhr_workflow.documents.access_formats import RequestInput
    from dhr_workflow.documents.access_requests import new_request

    row = new_request(
        app_context(),
        RequestInput(name, document, fmt, email, phone, address, language, details, case, template),
        by=by,
    )
    console().print(
        f"Request AFR-{row.id} recorded: acknowledge by {row.acknowledge_by}, deliver by {row.deliver_by}. "
        f"Status: {row.status}" + (f"; task {row.task_id} given to the coordinator." if row.task_id else "."),
        highlight=False,
    )


@command(app, "list")
def list_cmd(
    open_only: bool = typer.Option(False, "--open", help="Only requests not yet fulfilled"), as_json: bool = JsonOption
) -> None:
    """Requests, their deadlines and where they are."""
    from rich.table import Table

    from dhr_workflow.documents.access_requests import list_requests

    rows = list_requests(app_context(), open_only=open_only)
    if as_json:
        print_json(rows)
        return
    table = Table(title="Accessible-format requests")
    for col in ("Number", "Case", "Format", "Status", "Acknowledge by", "Deliver by", "Overdue"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["number"],
            r["case"] or "-",
            r["format_label"],
            r["status"],
            str(r["acknowledge_by"]),
            str(r["deliver_by"]),
            "yes" if r["overdue"] else "",
        )
    console().print(table)


@command(app, "acknowledge")
def acknowledge(
    request_id: int, on: str | None = typer.Option(None, "--on"), by: str | None = typer.Option(None, "--by")
) -> None:
    """Record that the person was told their request is being dealt with."""
    from dhr_workflow.documents.access_requests import acknowledge as ack

    row = ack(app_context(), request_id, on=opt_date(on, "--on"), by=by)
    console().print(f"Request AFR-{row.id} acknowledged on {row.acknowledged_on}.", highlight=False)


@command(app, "fulfil")
def fulfil(
    request_id: int,
    on: str | None = typer.Option(None, "--on"),
    supplier: str | None = typer.Option(None, "--supplier"),
    note: str | None = typer.Option(None, "--note"),
    by: str | None = typer.Option(None, "--by"),
) -> None:
    """Record that the person has the document in their format (closes its task and reminders)."""
    from dhr_workflow.documents.access_requests import fulfil as do_fulfil

    row = do_fulfil(app_context(), request_id, on=opt_date(on, "--on"), supplier=supplier, note=note, by=by)
    late = " (late)" if row.fulfilled_on and row.fulfilled_on > row.deliver_by else ""
    console().print(f"Request AFR-{row.id} fulfilled on {row.fulfilled_on}{late}.", highlight=False)

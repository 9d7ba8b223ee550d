"""`dhr retention` (what is due, apply, legal holds) and `dhr subject-access export`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, fail, opt_date, print_json

app = typer.Typer(help="Retention schedule: what is due, applying it, and legal holds.", no_args_is_help=True)
subject_access = typer.Typer(help="What the system holds about one person.", no_args_is_help=True)
ByOption = typer.Option(None, "--by", help="Email of the person doing this (recorded in the audit).")
OnOption = typer.Option(None, "--on", help="The day to work out for (YYYY-MM-DD; default today).")


@command(app, "due")
def due(as_json: bool = JsonOption, on: str | None = OnOption, by: str | None = ByOption) -> None:
    """What the retention schedule has due, and why: kind, record, case, rule and the day it fell due."""
    from rich.table import Table

    from dhr_workflow.retention.apply import due as find_due

    rows = [d.as_dict() for d in find_due(app_context(), opt_date(on, "--on"), by=by)]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print("Nothing is due.")
        return
    table = Table("Kind", "Record", "Case", "Rule", "Due since", title=f"{len(rows)} record(s) due")
    for r in rows:
        table.add_row(str(r["kind"]), str(r["record_id"]), str(r["case_ref"] or "-"), str(r["rule"]), str(r["due_on"]))
    console().print(table)


@command(app, "apply")
def apply(
    on: str | None = OnOption,
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would be done; change nothing."),
    by: str | None = ByOption,
) -> None:
    """Anonymise or delete what is due: one transaction per case, each kind leaving an audit tombstone."""
    from dhr_workflow.retention.apply import apply as run

    result = run(app_context(), opt_date(on, "--on"), dry_run=dry_run, by=by)
    verb = "Would anonymise or delete" if dry_run else "Anonymised or deleted"
    if not result.done:
        console().print("Nothing is due." if dry_run else "Nothing was due: nothing changed.")
        return
    for ref, kinds in result.done.items():
        where = ref or "records of no one case"
        counts = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in kinds.items())
        console().print(f"{verb} on {where}: {counts}.", highlight=False)


@command(app, "hold")
def hold(
    ref: str = typer.Argument(..., help="The case reference."),
    reason: str = typer.Option(..., "--reason", help="Why: live proceedings, an inquest, a claim."),
    by: str | None = ByOption,
) -> None:
    """Put a case under a legal hold: none of its records is due while the hold stands."""
    from dhr_workflow.retention.holds import set_hold

    set_hold(app_context(), ref, reason, by=by)
    console().print(f"{ref.strip().upper()} is under a legal hold.", highlight=False)


@command(app, "release")
def release(
    ref: str = typer.Argument(..., help="The case reference."),
    reason: str = typer.Option(..., "--reason", help="Why the hold ends."),
    by: str | None = ByOption,
) -> None:
    """Release a case's legal hold: its records follow the retention schedule again."""
    from dhr_workflow.retention.holds import release_hold

    release_hold(app_context(), ref, reason, by=by)
    console().print(f"The legal hold on {ref.strip().upper()} is released.", highlight=False)


@command(app, "holds")
def holds(as_json: bool = JsonOption) -> None:
    """Cases under a legal hold now."""
    from dhr_workflow.retention.holds import list_holds

    rows = [
        {"case_ref": h.case_ref, "reason": h.reason, "set_by": h.set_by, "set_at": h.set_at.isoformat()}
        for h in list_holds(app_context())
    ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        console().print(f"{r['case_ref']}: {r['reason']} (set by {r['set_by']})", highlight=False)
    if not rows:
        console().print("No case is under a legal hold.")


@command(subject_access, "export")
def export(
    output: Path = typer.Option(..., "-o", "--output", help="The file to write."),
    email: str | None = typer.Option(None, "--email", help="A user, by email address."),
    party: str | None = typer.Option(None, "--party", help="A person in a case, as REF:ID."),
    text: bool = typer.Option(False, "--text", help="Readable text instead of JSON."),
    by: str | None = ByOption,
) -> None:
    """Export what the system holds about one person, with need-to-know redactions marked. Audited."""
    from dhr_workflow.retention.export_text import as_text
    from dhr_workflow.retention.subject_access import export_party, export_user

    if (email is None) == (party is None):
        fail("give exactly one of --email or --party", 2)
    data = export_user(app_context(), email, by=by) if email else export_party(app_context(), party or "", by=by)
    body = as_text(data) if text else json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        output.write_text(body, encoding="utf-8")
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror}", 1)
    console().print(f"Wrote {output}.", highlight=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="retention")
    root.add_typer(subject_access, name="subject-access")

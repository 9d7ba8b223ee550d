"""The binding commands: `dhr agency`, `dhr case agencies`, `dhr evidence` (names and flags as issue 12 wrote them)."""

from __future__ import annotations

import json
from datetime import date

from tests.agencies.builders import case_at
from tests.factories import add_people


def test_agencies_scope_and_evidence_from_the_command_line(ctx, cli, tmp_path):
    add_people(ctx)
    assert (
        cli(
            "agency",
            "add",
            "--name",
            "Metropolitan Police",
            "--kind",
            "police",
            "--contact-email",
            "agency@example.org",
        ).exit_code
        == 0
    )
    assert cli("agency", "add", "--name", "Housing Services", "--kind", "housing").exit_code == 0
    listed = json.loads(cli("agency", "list", "--json").stdout)
    assert [(a["name"], a["kind"], a["contacts"]) for a in listed] == [
        ("Housing Services", "housing", []),
        ("Metropolitan Police", "police", ["agency@example.org"]),
    ]
    ref = case_at(ctx, date(2026, 9, 1))
    scope = json.loads(
        cli("case", "agencies", ref, "--add", "Metropolitan Police", "--add", "Housing Services", "--json").stdout
    )
    assert [s["agency"] for s in scope if s["in_scope"]] == ["Housing Services", "Metropolitan Police"]
    out = cli("evidence", "request", ref, "--agency", "Metropolitan Police", "--kind", "imr", "--on", "2026-10-20")
    assert out.exit_code == 0, out.output
    cli("evidence", "request", ref, "--agency", "Housing Services", "--kind", "scoping_return", "--due", "2026-11-30")
    rows = json.loads(cli("evidence", "list", ref, "--json").stdout)
    assert [(r["agency"], r["kind"], r["due"], r["status"], r["days_overdue"]) for r in rows] == [
        ("Metropolitan Police", "imr", "2026-11-17", "requested", 3),  # overdue first
        ("Housing Services", "scoping_return", "2026-11-30", "requested", 0),
    ]
    assert set(rows[0]) >= {"id", "agency", "kind", "requested_on", "due", "status", "days_overdue"}
    imr, scoping = rows[0]["id"], rows[1]["id"]
    report = tmp_path / "police-imr.pdf"
    report.write_bytes(b"%PDF-1.7 the report")
    assert cli("evidence", "receive", ref, str(imr), "--file", str(report), "--on", "2026-11-19").exit_code == 0
    ext = cli(
        "evidence", "extend", ref, str(scoping), "--to", "2026-12-14", "--agreed-by", "Chair", "--reason", "Archive"
    )
    assert ext.exit_code == 0, ext.output
    rows = {r["id"]: r for r in json.loads(cli("evidence", "list", ref, "--json").stdout)}
    assert rows[imr]["status"] == "received" and rows[imr]["files"][0]["filename"] == "police-imr.pdf"
    assert rows[scoping]["status"] == "extended" and rows[scoping]["due"] == "2026-12-14"
    out = cli("case", "agencies", ref, "--remove", "Housing Services", "--reason", "No records held")
    assert out.exit_code == 0 and "out of scope" in out.stdout


def test_command_line_errors_go_to_stderr_with_a_non_zero_exit(ctx, cli):
    add_people(ctx)
    bad_kind = cli("agency", "add", "--name", "Fire", "--kind", "fire")
    assert bad_kind.exit_code != 0 and "choose one of" in bad_kind.stderr
    ref = case_at(ctx, date(2026, 9, 1))
    missing = cli("evidence", "request", ref, "--agency", "Nobody", "--kind", "imr")
    assert missing.exit_code != 0 and "no agency 'Nobody'" in missing.stderr
    both = cli("evidence", "receive", ref, "1", "--nil-return", "--file", "x.pdf")
    assert both.exit_code != 0
    no_reason = cli("case", "agencies", ref, "--remove", "Nobody")
    assert no_reason.exit_code != 0 and "say why" in no_reason.stderr


def test_chronology_template_import_and_show_from_the_command_line(ctx, cli, tmp_path):
    add_people(ctx)
    cli("agency", "add", "--name", "Metropolitan Police", "--kind", "police")
    cli("agency", "add", "--name", "Housing Services", "--kind", "housing")
    ref = case_at(ctx, date(2026, 9, 1))
    cli("case", "agencies", ref, "--add", "Metropolitan Police", "--add", "Housing Services")
    template = tmp_path / "police.xlsx"
    assert cli("chronology", "template", ref, "--agency", "Metropolitan Police", "-o", str(template)).exit_code == 0
    from openpyxl import load_workbook

    book = load_workbook(template)
    book["Chronology"].append(["2024-03-07", "14:30", "Metropolitan Police", "Attended the address", "CAD 1"])
    book.save(template)
    out = cli("chronology", "import", ref, "--agency", "Metropolitan Police", str(template))
    assert out.exit_code == 0 and "1 entries imported" in out.stdout
    housing = tmp_path / "housing.csv"
    housing.write_text("Date,Time,Agency,Event,Source\n2024-03-07,14:30,Housing,Attended the address.,Log\nbad,,,x,\n")
    bad = cli("chronology", "import", ref, "--agency", "Housing Services", str(housing))
    assert bad.exit_code != 0 and "row 3: the date 'bad' is not a date" in bad.stderr
    housing.write_text("Date,Time,Agency,Event,Source\n2024-03-07,14:30,Housing,Attended the address.,Log\n")
    assert cli("chronology", "import", ref, "--agency", "Housing Services", str(housing)).exit_code == 0
    rows = json.loads(cli("chronology", "show", ref, "--json").stdout)
    assert [(r["date"], r["time"], r["agency"], r["duplicate_of"]) for r in rows] == [
        ("2024-03-07", "14:30", "Housing Services", None),
        ("2024-03-07", "14:30", "Metropolitan Police", rows[0]["id"]),
    ]
    assert set(rows[0]) >= {"date", "time", "agency", "event", "duplicate_of"}

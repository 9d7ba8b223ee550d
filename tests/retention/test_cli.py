"""`dhr retention ...` and `dhr subject-access export`: the same services, clean errors and exit codes."""

from __future__ import annotations

import json

from sqlalchemy import select

from dhr_workflow.cases.tables import TaskFile
from dhr_workflow.core.tables import AuditHead
from dhr_workflow.demo.seed import email_for
from tests.retention.builders import ADMIN, ClosedCase

LATER = "2032-11-20"


def _head(ctx):
    with ctx.db.read() as session:
        return session.execute(select(AuditHead.seq, AuditHead.hash)).one()


def test_due_apply_and_verify_from_the_command_line(demo, closed: ClosedCase, cli):
    listed = cli("retention", "due", "--json", "--on", LATER)
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert {"kind": "task_files", "case_ref": closed.ref}.items() <= next(
        r for r in rows if r["kind"] == "task_files"
    ).items()
    dry = cli("retention", "apply", "--on", LATER, "--dry-run")
    assert dry.exit_code == 0 and "Would anonymise or delete on " + closed.ref in dry.output
    with demo.ctx.db.read() as session:
        assert session.get(TaskFile, closed.task_file_id) is not None
    done = cli("retention", "apply", "--on", LATER, "--by", ADMIN)
    assert done.exit_code == 0, done.output
    assert f"Anonymised or deleted on {closed.ref}" in done.output
    with demo.ctx.db.read() as session:
        assert session.get(TaskFile, closed.task_file_id) is None
    verified = cli("audit", "verify")
    assert verified.exit_code == 0, verified.output
    again = cli("retention", "apply", "--on", LATER)
    assert again.exit_code == 0 and "Nothing was due" in again.output
    assert json.loads(cli("retention", "due", "--json", "--on", LATER).output) == []


def test_holds_from_the_command_line(demo, closed: ClosedCase, cli):
    held = cli("retention", "hold", closed.ref.lower(), "--reason", "Inquest opened", "--by", email_for("coordinator"))
    assert held.exit_code == 0, held.output
    assert [h["case_ref"] for h in json.loads(cli("retention", "holds", "--json").output)] == [closed.ref]
    rows = json.loads(cli("retention", "due", "--json", "--on", LATER).output)
    assert all(r["case_ref"] != closed.ref for r in rows)
    released = cli("retention", "release", closed.ref, "--reason", "Inquest concluded")
    assert released.exit_code == 0, released.output
    assert json.loads(cli("retention", "holds", "--json").output) == []


def test_refusals_and_hostile_input_exit_non_zero_and_change_nothing(demo, closed: ClosedCase, cli):
    before = _head(demo.ctx)
    cases = [
        (("retention", "apply", "--on", LATER, "--by", email_for("coordinator")), 8),
        (("retention", "due", "--by", email_for("panel_member")), 8),
        (("retention", "hold", closed.ref, "--reason", "x", "--by", email_for("viewer")), 8),
        (("retention", "hold", closed.ref, "--reason", "Two\nlines"), 2),
        (("retention", "hold", closed.ref, "--reason", "Evil \u202e override"), 2),
        (("retention", "hold", closed.ref, "--reason", "\u200b\u200b"), 2),
        (("retention", "hold", "DHR-1999-999", "--reason", "No such case"), 4),
        (("retention", "release", closed.ref, "--reason", "Never held"), 2),
        (("retention", "due", "--on", "9999-12-31"), 2),
        (("retention", "apply", "--on", "1800-01-01"), 2),
        (("retention", "due", "--on", "yesterday"), 2),
        (("subject-access", "export", "-o", "/tmp/x.json"), 2),
        (("subject-access", "export", "-o", "/tmp/x.json", "--email", "a@b.org", "--party", "X:1"), 2),
        (("subject-access", "export", "-o", "/tmp/x.json", "--party", "nonsense"), 2),
        (("subject-access", "export", "-o", "/tmp/x.json", "--email", "nobody@example.org"), 4),
        (("subject-access", "export", "-o", "/tmp/x.json", "--email", ADMIN, "--by", email_for("coordinator")), 8),
    ]
    for args, code in cases:
        result = cli(*args)
        assert result.exit_code == code, (args, result.exit_code, result.output)
        assert "Traceback" not in result.output
    assert _head(demo.ctx) == before


def test_a_broken_schedule_file_is_refused_naming_the_line(demo, cli, tmp_path, monkeypatch):
    broken = tmp_path / "schedule.yaml"
    broken.write_text("schedule:\n  papers:\n    period: 6 years\n", encoding="utf-8")
    monkeypatch.setenv("DHR_RETENTION_SCHEDULE", str(broken))
    result = cli("retention", "due")
    assert result.exit_code == 3
    assert "line 2: unknown kind of record 'papers'" in result.output


def test_subject_access_export_writes_json_or_text(demo, closed: ClosedCase, cli, tmp_path):
    out = tmp_path / "export.json"
    result = cli("subject-access", "export", "--email", email_for("coordinator"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["account"]["email"] == email_for("coordinator")
    text = tmp_path / "party.txt"
    party = f"{closed.ref}:{closed.family_party_id}"
    result = cli("subject-access", "export", "--party", party, "--text", "-o", str(text))
    assert result.exit_code == 0, result.output
    assert "Greta Sample" in text.read_text(encoding="utf-8")
    unwritable = cli("subject-access", "export", "--party", party, "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert unwritable.exit_code == 1 and "cannot write" in unwritable.output

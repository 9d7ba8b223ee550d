"""`dhr backup` and `dhr restore` (issue 16): a round trip brings back exactly what was backed up, and the audit trail
still verifies; a restore checks its file first and needs --yes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from dhr_workflow.core.context import AppContext
from tests.factories import new_case
from tests.integration.test_clean_errors import snapshot


def test_a_backup_restored_brings_back_what_was_backed_up_and_the_audit_trail_verifies(
    ctx: AppContext, cli, tmp_path: Path
) -> None:
    ref = new_case(ctx, date(2026, 10, 1))
    file = tmp_path / "backups" / "dhr.backup"
    made = cli("backup", "-o", str(file))
    assert made.exit_code == 0, made.output
    assert file.stat().st_size > 0
    backed_up = snapshot(ctx)
    new_case(ctx, date(2026, 10, 2), police_ref="MET/2026/0002", name="Bea Other", pseudonym="Rose")
    assert snapshot(ctx) != backed_up

    restored = cli("restore", str(file), "--yes")
    assert restored.exit_code == 0, restored.output
    assert "audit trail intact" in restored.stdout
    assert snapshot(ctx) == backed_up
    assert [c["ref"] for c in json.loads(cli("case", "list", "--json").stdout)] == [ref]
    verified = cli("audit", "verify")
    assert verified.exit_code == 0 and "events verified" in verified.stdout


def test_backup_refuses_to_overwrite_a_file_without_force(ctx: AppContext, cli, tmp_path: Path) -> None:
    file = tmp_path / "dhr.backup"
    file.write_text("keep me")
    refused = cli("backup", "-o", str(file))
    assert refused.exit_code == 2 and "--force" in refused.stderr and file.read_text() == "keep me"


def test_restore_needs_yes_and_a_real_backup_and_changes_nothing_otherwise(
    ctx: AppContext, cli, tmp_path: Path
) -> None:
    new_case(ctx, date(2026, 10, 1))
    before = snapshot(ctx)
    good = tmp_path / "good.backup"
    assert cli("backup", "-o", str(good)).exit_code == 0
    unconfirmed = cli("restore", str(good))
    assert unconfirmed.exit_code == 2 and "--yes" in unconfirmed.stderr
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    refused = cli("restore", str(junk), "--yes")
    assert refused.exit_code != 0 and "Traceback" not in refused.output
    missing = cli("restore", str(tmp_path / "missing.backup"), "--yes")
    assert missing.exit_code == 2 and "no backup file" in missing.stderr
    assert snapshot(ctx) == before

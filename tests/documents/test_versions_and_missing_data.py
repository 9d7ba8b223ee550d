"""Stored versions: a new one only when the case or template changed; diffs between them; missing data named."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.core.context import AppContext
from dhr_workflow.documents import MissingData
from dhr_workflow.documents import versions as documents
from tests.documents.helpers import case_with_people
from tests.factories import add_people, new_case


def test_regenerating_an_unchanged_case_reuses_the_version(ctx: AppContext, today: date) -> None:
    ref = case_with_people(ctx, today)
    first, made = documents.generate(ctx, ref, "terms_of_reference", by="coordinator@example.org")
    again, made_again = documents.generate(ctx, ref, "terms_of_reference")
    assert made and not made_again and again.id == first.id and first.version == 1
    assert first.generated_by == "coordinator@example.org" and len(first.data_hash) == 64
    assert first.template_version.startswith("1+")


def test_a_change_to_the_case_makes_a_new_version_and_the_diff_shows_it(ctx: AppContext, today: date) -> None:
    ref = case_with_people(ctx, today)
    documents.generate(ctx, ref, "terms_of_reference")
    cases.set_fields(ctx, ref, {"chair_name": "Ms B New-Chair & Co"})
    second, made = documents.generate(ctx, ref, "terms_of_reference")
    assert made and second.version == 2
    text = documents.diff(ctx, ref, "terms_of_reference")
    lines = text.splitlines()
    changed = [line[1:] for line in lines if line.startswith(("-", "+")) and not line.startswith(("--", "++"))]
    assert changed and not any(line.startswith("Period under review") for line in changed)  # only what changed
    assert "+Independent chair: Ms B New-Chair & Co" in text and "-Independent chair: Dr A Chair" in text
    assert documents.diff(ctx, ref, "terms_of_reference", 1, 1) == ""


def test_docs_diff_cli_names_missing_versions(ctx: AppContext, today: date, cli) -> None:
    ref = case_with_people(ctx, today)
    documents.generate(ctx, ref, "terms_of_reference")
    result = cli("docs", "diff", ref, "terms_of_reference", "--from", "1", "--to", "3")
    assert result.exit_code == 4 and "no version 3" in result.stderr


def test_missing_fields_are_named_with_the_command_to_fill_them(ctx: AppContext, today: date, cli) -> None:
    add_people(ctx)
    ref = new_case(ctx, today - timedelta(days=3))
    with pytest.raises(MissingData) as err:
        documents.generate(ctx, ref, "overview_report")
    assert {"chair_name (Independent chair)", "rationale (Reasons for the decision)"} <= set(err.value.missing)
    result = cli("docs", "render", ref, "decision_record", "--format", "pdf")
    assert result.exit_code == 2
    assert "rationale" in result.stderr and "review_decision" in result.stderr and "dhr case set" in result.stderr


def test_docs_list_says_what_fits_the_stage_and_what_is_missing(ctx: AppContext, today: date, cli) -> None:
    add_people(ctx)
    ref = new_case(ctx, today - timedelta(days=3))
    rows = {r["name"]: r for r in documents.list_documents(ctx, ref)}
    assert rows["notification"]["for_this_stage"] and rows["notification"]["ready"]
    assert rows["decision_record"]["missing_fields"] == ["rationale", "review_decision"]
    assert (rows["family_letter"]["readers"], rows["family_letter"]["marking"]) == ("family", "")
    assert (rows["imr_request"]["readers"], rows["imr_request"]["marking"]) == ("agency", "OFFICIAL-SENSITIVE")
    listed = cli("docs", "list", ref, "--json")
    assert listed.exit_code == 0 and '"readers": "public"' in listed.output


def test_docs_render_writes_the_file(ctx: AppContext, today: date, cli, tmp_path: Path) -> None:
    ref = case_with_people(ctx, today)
    out = tmp_path / "letter.docx"
    result = cli("docs", "render", ref, "family_letter", "--format", "docx", "--variant", "easy-read", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    bad = cli("docs", "render", ref, "terms_of_reference", "--variant", "easy-read")
    assert bad.exit_code == 2 and "no easy-read version" in bad.stderr
    unknown = cli("docs", "render", ref, "nonsense")
    assert unknown.exit_code == 4 and "terms_of_reference" in unknown.stderr


def test_docs_pack_zips_every_ready_document_and_lists_the_rest(ctx: AppContext, today: date, cli, tmp_path) -> None:
    ref = case_with_people(ctx, today)
    out = tmp_path / "pack.zip"
    result = cli("docs", "pack", ref, "-o", str(out), "--formats", "html,txt")
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(io.BytesIO(out.read_bytes())).namelist()
    assert f"{ref}-overview_report-v1.html" in names and f"{ref}-family_letter-v1-easy-read.txt" in names
    assert "NOT-INCLUDED.txt" in names  # the accessible-format response needs a request
    assert "not included: accessible_format_response" in result.output

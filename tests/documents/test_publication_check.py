"""The leak check finds real names wherever they hide, passes a clean case, and guards `publish`."""

from __future__ import annotations

from datetime import date

import pytest

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import GuardFailed
from dhr_workflow.documents import publication
from dhr_workflow.documents.pipeline import convert
from dhr_workflow.documents.versions import attach_file
from dhr_workflow.findings import sections
from tests.documents.helpers import case_with_people, to_approved_for_publication

PUBLISH = {"publication_url": "https://example.org/dhr/olive", "criminal_proceedings_live": "no", "inquest_live": "no"}


def test_a_clean_case_passes_in_every_format(ctx: AppContext, today: date) -> None:
    ref = case_with_people(ctx, today)
    result = publication.check(ctx, ref)
    assert result.clean and result.hits == []
    assert {d.split("(")[1].split(",")[0] for d in result.documents} == {"html", "pdf", "docx", "txt"}
    assert len(result.documents) == 12


def test_a_name_planted_in_a_free_text_field_is_found_in_every_format(ctx: AppContext, today: date) -> None:
    ref = case_with_people(ctx, today)
    sections.write_section(ctx, ref, "analysis", "Jane told her GP that KEVIN had threatened her")
    result = publication.check(ctx, ref)
    assert not result.clean
    found = {(h["document"], h["format"], h["what"]) for h in result.hits}
    for fmt in ("html", "pdf", "docx", "txt"):
        assert ("overview_report", fmt, "the victim's first name") in found
        assert ("overview_report", fmt, "the perpetrator's first name") in found


def test_the_internal_decision_rationale_stays_out_of_every_publication_document(ctx: AppContext, today: date) -> None:
    ref = case_with_people(ctx, today)
    cases.set_fields(ctx, ref, {"rationale": "Jane told her GP that KEVIN had threatened her"})
    result = publication.check(ctx, ref)
    assert result.clean, result.hits


def test_an_address_planted_in_a_table_cell_is_found(ctx: AppContext, today: date) -> None:
    ref = case_with_people(ctx, today)
    cases.set_fields(ctx, ref, {"place_of_death_area": "4 Hidden Lane"})
    result = publication.check(ctx, ref)
    hits = [h for h in result.hits if h["format"] == "docx"]
    assert hits and hits[0]["what"] == "the family's address" and hits[0]["found"] == "4 Hidden Lane"


def _file_with(text: str, fmt: str) -> bytes:
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><title>Final report</title></head>'
        f"<body><main><h1>Final report</h1><p>{text}</p></main></body></html>"
    )
    return convert(html, fmt)


@pytest.mark.parametrize(
    ("fmt", "planted", "what"),
    [
        ("pdf", "Mrs Mary   Realname attended on 7 June 1955.", "the family's full name"),
        ("docx", "Seen by police, reference MET/2026/0042.", "the police reference"),
    ],
)
def test_a_name_in_an_attached_pdf_or_word_file_is_found(
    ctx: AppContext, today: date, fmt: str, planted: str, what: str
) -> None:
    ref = case_with_people(ctx, today)
    attach_file(ctx, ref, "overview_report", fmt, _file_with(planted, fmt))
    result = publication.check(ctx, ref)
    assert {h["format"] for h in result.hits} == {fmt}
    assert what in {h["what"] for h in result.hits}
    assert any("uploaded" in d for d in result.documents)


def test_publish_waits_for_a_clean_check_that_is_still_current(ctx: AppContext, today: date) -> None:
    ref = case_with_people(ctx, today)
    to_approved_for_publication(ctx, ref, today)
    with pytest.raises(GuardFailed, match="dhr publish check"):
        cases.fire(ctx, ref, "publish", values=PUBLISH)
    assert publication.check(ctx, ref).clean
    cases.set_fields(ctx, ref, {"inquest_live": "no"})  # any change to the case makes the check stale
    with pytest.raises(GuardFailed, match="publication leak check"):
        cases.fire(ctx, ref, "publish", values=PUBLISH)
    assert publication.check(ctx, ref).clean
    assert cases.fire(ctx, ref, "publish", values=PUBLISH).dest == "action_plan_monitoring"


def test_a_check_that_found_leaks_does_not_open_the_guard(ctx: AppContext, today: date) -> None:
    ref = case_with_people(ctx, today)
    to_approved_for_publication(ctx, ref, today)
    sections.write_section(ctx, ref, "analysis", "Mary Realname asked for the review")
    assert not publication.check(ctx, ref).clean
    with pytest.raises(GuardFailed):
        cases.fire(ctx, ref, "publish", values=PUBLISH)


def test_publish_check_cli_exits_non_zero_listing_each_leak(ctx: AppContext, today: date, cli) -> None:
    ref = case_with_people(ctx, today)
    clean = cli("publish", "check", ref)
    assert clean.exit_code == 0, clean.output
    sections.write_section(ctx, ref, "analysis", "Realname, Jane was known to services")
    leaky = cli("publish", "check", ref)
    assert leaky.exit_code == 1
    assert "overview_report v" in leaky.stderr and "(pdf, standard)" in leaky.stderr
    assert "Realname, Jane" in leaky.stderr


def test_people_added_from_the_command_line_are_searched_for(ctx: AppContext, today: date, cli) -> None:
    ref = case_with_people(ctx, today)
    added = cli("party", "add", ref, "--kind", "family", "--name", "Toby Witness", "--pseudonym", "Sid",
                "--dob", "1990-01-31", "--relationship", "Brother")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    clash = cli("party", "add", ref, "--kind", "other", "--name", "Al Other", "--pseudonym", "sid")
    assert clash.exit_code == 2 and "already used" in clash.stderr
    sections.write_section(ctx, ref, "analysis", "Toby said on 31/01/1990 ...")
    found = {h["what"] for h in publication.check(ctx, ref).hits}
    assert {"the family's first name", "the family's date of birth"} <= found

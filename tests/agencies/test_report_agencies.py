"""The overview report lists the agencies that contributed and what each provided, and summarises the merged
chronology (period, entries by agency and by year, first and last recorded contacts) without any entry's words; the
executive summary names the agencies. Compared with the records in HTML, PDF, Word and text."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dhr_workflow.agencies import chronology, directory, evidence
from dhr_workflow.core.text import long_date
from dhr_workflow.documents.extract import text_of
from dhr_workflow.documents.versions import render_for_case
from tests.web.conftest import Demo

FORMATS = ("html", "pdf", "docx", "txt")
NOT_REQUIRED = "No contact with either person in the period"


def _flat(text: str) -> str:
    """Without whitespace: text and PDF wrap long cells, breaking lines after hyphens too."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def published(ctx, demo: Demo) -> str:
    """The demo's published review, with a third agency in scope whose report was not required, and one chronology
    entry excluded by the coordinator."""
    ref = demo.ref("published")
    directory.change_scope(ctx, ref, add=["Housing Services"])
    asked = evidence.request_evidence(ctx, ref, "Housing Services", "imr", on=date(2026, 1, 5))
    evidence.settle_without_evidence(ctx, ref, asked, "not_required", reason=NOT_REQUIRED)
    first = chronology.merged(ctx, ref)[0]
    chronology.exclude(ctx, ref, first["id"], "Recorded twice by the police")
    return ref


def _rendered(ctx, ref: str, name: str, fmt: str) -> str:
    return _flat(text_of(fmt, render_for_case(ctx, ref, name, fmt).content))


def test_the_overview_report_lists_each_agency_in_scope_with_what_it_provided(ctx, published) -> None:
    in_scope = [s["agency"] for s in directory.case_scope(ctx, published) if s["in_scope"]]
    requests = {(r["agency"], r["kind"]): r for r in evidence.list_requests(ctx, published)}
    entries = [e for e in chronology.merged(ctx, published) if not e["excluded"]]
    assert len(in_scope) == 3
    for fmt in FORMATS:
        text = _rendered(ctx, published, "overview_report", fmt)
        assert _flat("Agencies that contributed to the review") in text, fmt
        for agency in in_scope:
            assert _flat(agency) in text, (fmt, agency)
            imr = requests[(agency, "imr")]
            said = {
                "received": f"Agency report (IMR) received, {long_date(imr['status_on'])}",
                "nil_return": f"Agency report (IMR): nil return, no relevant records, {long_date(imr['status_on'])}",
                "not_required": f"Agency report (IMR) not required: {NOT_REQUIRED}",
            }[imr["status"]]
            assert _flat(said) in text, (fmt, agency, said)
            count = sum(1 for e in entries if e["agency"] == agency)
            if count:
                assert _flat(f"Chronology ({count} {'entry' if count == 1 else 'entries'}") in text, (fmt, agency)


def test_the_chronology_summary_counts_what_was_not_excluded_and_quotes_no_entry(ctx, published) -> None:
    merged = chronology.merged(ctx, published)
    live = [e for e in merged if not e["excluded"]]
    days = [date.fromisoformat(e["date"]) for e in live]
    by_year: dict[int, int] = {}
    for day in days:
        by_year[day.year] = by_year.get(day.year, 0) + 1
    for fmt in FORMATS:
        text = _rendered(ctx, published, "overview_report", fmt)
        period = f"gave {len(live)} dated entries, from {long_date(min(days))} to {long_date(max(days))}"
        assert _flat(period) in text, fmt
        assert _flat(f"The first recorded contact was by {live[0]['agency']} on {long_date(days[0])}") in text, fmt
        assert _flat(f"the last was by {live[-1]['agency']} on {long_date(days[-1])}") in text, fmt
        for year, count in by_year.items():
            # a row of the by-year table (text formats print a row as "Year: 2021 / Entries: 4")
            assert re.search(rf"{year}(Entries:)?{count}", text), (fmt, year)
        for entry in merged:  # the agencies' own words stay in the merged chronology document
            assert _flat(entry["event"]) not in text, (fmt, entry["event"])
    assert any(e["excluded"] for e in merged) and len(live) == len(merged) - 1


def test_the_executive_summary_names_the_contributing_agencies(ctx, published) -> None:
    in_scope = [s["agency"] for s in directory.case_scope(ctx, published) if s["in_scope"]]
    for fmt in FORMATS:
        text = _rendered(ctx, published, "executive_summary", fmt)
        assert _flat("The review had information from: " + ", ".join(in_scope)) in text, fmt


def test_an_agency_still_awaited_is_listed_as_such_and_no_chronology_means_no_summary(ctx) -> None:
    from dhr_workflow.agencies.report_data import report_data
    from dhr_workflow.cases.lifecycle import load_case
    from tests.agencies.builders import agencies
    from tests.factories import new_case

    agencies(ctx)
    ref = new_case(ctx, date(2026, 9, 1))
    with ctx.db.read() as session:
        assert report_data(session, load_case(session, ref), True) == {
            "contributing_agencies": [],
            "chronology_overview": None,
        }
    directory.change_scope(ctx, ref, add=["Metropolitan Police", "Housing Services"])
    evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", on=date(2026, 9, 2), due=date(2026, 9, 30))
    with ctx.db.read() as session:
        found = report_data(session, load_case(session, ref), True)
    assert [a["provided"] for a in found["contributing_agencies"]] == [
        ["Asked for information; nothing received yet"],  # Housing Services: in scope, nothing asked yet
        ["Agency report (IMR) awaited (due 30 September 2026)"],
    ]
    assert found["chronology_overview"] is None

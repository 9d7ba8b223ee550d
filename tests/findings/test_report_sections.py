"""The overview report follows the guidance's structure; the chair's sections are written in the system as versioned
text; the internal decision rationale is kept out of public documents."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dhr_workflow.core.errors import InvalidInput, NotPermitted
from dhr_workflow.documents.extract import text_of
from dhr_workflow.documents.versions import render_for_case
from dhr_workflow.family import involvement
from dhr_workflow.findings import sections
from tests.documents.helpers import case_with_people

GUIDANCE_ORDER = [
    "Introduction and terms of reference",
    "The chair's independence",
    "Panel membership and contributors",
    "Methodology",
    "The family's involvement",
    "Background and summary of the chronology",
    "Analysis against each line of enquiry",
    "Conclusions",
    "Lessons learned",
    "Recommendations",
    "Dissemination",
]


def _text(ctx, ref: str, name: str, fmt: str = "txt") -> str:
    return " ".join(text_of(fmt, render_for_case(ctx, ref, name, fmt).content).split())


def test_each_save_is_a_new_version_and_the_report_uses_the_latest(ctx, today: date) -> None:
    ref = case_with_people(ctx, today)
    sections.write_section(ctx, ref, "analysis", "First draft of the analysis.")
    saved = sections.write_section(ctx, ref, "analysis", "The agencies did not share what they knew.\n\nSecond.")
    assert saved.version == 2
    history = sections.history_of(ctx, ref, "analysis")
    assert [h["text"] for h in history] == ["First draft of the analysis.", saved.text]
    text = _text(ctx, ref, "overview_report")
    assert "The agencies did not share what they knew." in text and "First draft" not in text
    with pytest.raises(InvalidInput, match="not a section"):
        sections.write_section(ctx, ref, "gossip", "x")
    with pytest.raises(InvalidInput):
        sections.write_section(ctx, ref, "analysis", "   ")


def test_the_overview_report_follows_the_guidance_s_structure_without_the_rationale(ctx, today: date) -> None:
    ref = case_with_people(ctx, today)
    involvement.add_member(ctx, ref, name="Sam Realname", relationship="Sister", advocate="aafda",
                           wants_involvement="yes", pseudonym="Ruby")  # fmt: skip
    sections.write_section(ctx, ref, "conclusions", "Agencies missed the signs.")
    html = render_for_case(ctx, ref, "overview_report", "html").content.decode()
    positions = [html.find(f"{title}</h2>") for title in GUIDANCE_ORDER]
    assert all(p > 0 for p in positions), dict(zip(GUIDANCE_ORDER, positions, strict=True))
    assert positions == sorted(positions)
    text = _text(ctx, ref, "overview_report", "html")
    assert "Criteria met: intimate partner relationship" not in text  # the internal decision rationale
    assert "To be written by the chair" not in text
    assert "Agencies missed the signs." in text
    assert "invited 1 family member and friend of Olive to take part; 1 chose to" in text and "AAFDA" in text
    assert "Sam Realname" not in text


def test_the_executive_summary_carries_the_key_findings(ctx, today: date) -> None:
    ref = case_with_people(ctx, today)
    sections.write_section(ctx, ref, "key_findings", "Information was not shared between agencies.")
    assert "Information was not shared between agencies." in _text(ctx, ref, "executive_summary")


def test_a_new_version_makes_a_clean_publication_check_stale(ctx, today: date) -> None:
    from dhr_workflow.cases.queries import show_case

    ref = case_with_people(ctx, today)
    before = show_case(ctx, ref)["version"]
    sections.write_section(ctx, ref, "analysis", "Text")
    assert show_case(ctx, ref)["version"] == before + 1


def test_the_cli_writes_lists_and_shows_history_and_a_viewer_may_not_write(ctx, cli, today: date, tmp_path) -> None:
    ref = case_with_people(ctx, today)
    source = tmp_path / "analysis.txt"
    source.write_text("From a file.", encoding="utf-8")
    assert cli("report", "write", ref, "analysis", "--file", str(source)).exit_code == 0
    assert cli("report", "write", ref, "analysis", "--text", "Edited.").exit_code == 0
    listed = {s["name"]: s for s in json.loads(cli("report", "sections", ref, "--json").stdout)}
    assert listed["analysis"]["version"] == 2 and listed["analysis"]["text"] == "Edited."
    assert listed["conclusions"]["version"] is None
    history = json.loads(cli("report", "history", ref, "analysis", "--json").stdout)
    assert [h["text"] for h in history] == ["From a file.", "Edited."]
    neither = cli("report", "write", ref, "analysis")
    assert neither.exit_code == 2
    from dhr_workflow.people import users

    users.add_user(ctx, "viewer@example.org", "Viewer", "viewer")
    with pytest.raises(NotPermitted):
        sections.write_section(ctx, ref, "analysis", "x", by="viewer@example.org")


def test_the_case_page_saves_a_section(demo, client_for) -> None:
    from tests.web.conftest import form_post

    client = client_for("reviewer")
    ref = demo.ref("gathering evidence")
    page = f"/cases/{ref}"
    saved = form_post(client, page, f"{page}/report-sections/analysis", {"text": "Written on the page."})
    assert saved.status_code == 303, saved.text
    assert sections.sections_of(demo.ctx, ref)[5]["text"] == "Written on the page."
    assert "(version 1)" in client.get(page).text

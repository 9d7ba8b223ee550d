"""Quarterly themed Delivery Group meetings: rotation, invites that replace themselves, agenda packs."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar

from dhr_workflow.lessons import actions, documents, meetings, reports
from dhr_workflow.lessons.actions import Progress
from dhr_workflow.lessons.rules import THEMES, quarterly_slots
from tests.lessons.builders import COORDINATOR, action, plan_with_agencies


@pytest.mark.single_db
def test_themes_rotate_quarter_by_quarter_and_wrap():
    slots = quarterly_slots(date(2027, 1, 15), 6, "funding")
    assert [s.theme for s in slots] == [
        "funding",
        "communication",
        "community",
        "engagement",
        "priority_response",
        "funding",
    ]
    assert [s.starts_on for s in slots][:3] == [date(2027, 1, 15), date(2027, 4, 15), date(2027, 7, 15)]
    assert set(THEMES) == {"community", "engagement", "priority_response", "funding", "communication"}


@pytest.fixture
def plan(ctx):
    plan_with_agencies(ctx)
    return ctx


def test_scheduling_continues_the_rotation_and_meets_on_working_days(plan):
    first = meetings.schedule(plan, date(2026, 12, 5), count=2)  # a Saturday
    assert [m["theme"] for m in first] == ["community", "engagement"]
    assert first[0]["date"] == date(2026, 12, 7)  # the Monday after
    later = meetings.schedule(plan, date(2027, 6, 1), count=1)
    assert later[0]["theme"] == "priority_response"


def _events(ics: bytes):
    return {str(e["UID"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}


def test_a_moved_or_cancelled_meeting_replaces_its_invite(plan):
    ctx = plan
    m1, m2 = meetings.schedule(ctx, date(2026, 12, 7), count=2)
    before = _events(meetings.invites(ctx))
    assert set(before) == {m1["uid"], m2["uid"]}
    assert int(before[m1["uid"]]["SEQUENCE"]) == 0

    meetings.reschedule(ctx, m1["id"], date(2026, 12, 9))
    meetings.cancel(ctx, m2["id"])
    after = _events(meetings.invites(ctx))
    assert set(after) == set(before)  # same UIDs: calendars update, not duplicate
    assert int(after[m1["uid"]]["SEQUENCE"]) == 1
    assert after[m1["uid"]].decoded("DTSTART").date() == date(2026, 12, 9)
    assert str(after[m2["uid"]]["STATUS"]) == "CANCELLED" and int(after[m2["uid"]]["SEQUENCE"]) == 1


def test_the_agenda_pack_covers_the_meetings_theme_red_first(plan):
    ctx = plan
    on_track = action(ctx, theme="engagement", description="Hold engagement events", target=date(2027, 2, 1))
    late = action(ctx, theme="engagement", description="Publish the survey results", target=date(2026, 10, 1))
    other = action(ctx, theme="funding", description="Bid for funding")
    actions.update_action(ctx, on_track, Progress("on_track"), by=COORDINATOR)
    actions.update_action(
        ctx, late, Progress("blocked", blockage="No analyst", request="Fund an analyst"), by=COORDINATOR
    )
    meeting = meetings.schedule(ctx, date(2026, 12, 7), count=1, first_theme="engagement")[0]

    agenda = reports.theme_agenda(ctx, meeting["id"])
    assert [a["id"] for a in agenda["actions"]] == [late, on_track]
    assert other not in [a["id"] for a in agenda["actions"]]
    assert any("Exceptions: 1" in item for item in agenda["items"])
    assert agenda["blockages"][0]["request"] == "Fund an analyst"

    html = documents.render(ctx, "agenda_pack", "html", subject=meeting["id"]).decode()
    assert "Agenda pack: Engagement" in html and "Publish the survey results" in html
    assert "Bid for funding" not in html


def test_the_agenda_pack_is_a_tagged_pdf_and_a_word_file_with_headings(plan):
    ctx = plan
    action(ctx, theme="community")
    meeting = meetings.schedule(ctx, date(2026, 12, 7), count=1)[0]
    pdf = documents.render(ctx, "agenda_pack", "pdf", subject=meeting["id"])
    from io import BytesIO

    from docx import Document
    from pypdf import PdfReader

    root = PdfReader(BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # PDF/UA identification in the XMP metadata

    doc = Document(BytesIO(documents.render(ctx, "agenda_pack", "docx", subject=meeting["id"])))
    styles = {p.style.name for p in doc.paragraphs if p.text}
    assert {"Heading 1", "Heading 2"} <= styles


def test_the_agenda_pack_comes_in_large_print_and_bad_formats_are_refused(plan, cli, tmp_path):
    action(plan, theme="community")
    meeting = meetings.schedule(plan, date(2026, 12, 7), count=1)[0]
    result = cli("meeting", "agenda", str(meeting["id"]), "--format", "html", "--variant", "large-print")
    assert result.exit_code == 0 and "Agenda pack: Community" in result.output
    refused = cli("meeting", "agenda", str(meeting["id"]), "--format", "odt")
    assert refused.exit_code == 2 and "not a format" in refused.output

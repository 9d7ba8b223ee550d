"""The case page's panel meeting forms: a coordinator arranges, moves and cancels; each change queues invitations;
people who may not change the case cannot; a meeting of another case cannot be reached through one you can see."""

from __future__ import annotations

from sqlalchemy import select

from dhr_workflow.cases import panel_meetings
from dhr_workflow.demo.seed import email_for
from notifications.ledger.tables import Reminder
from tests.web.conftest import csrf_of, form_post

MEETING = {"date": "2026-12-08", "time": "10:00", "minutes": "90"}


def _invitation_rules(ctx, meeting_id):
    with ctx.db.read() as s:
        rows = s.scalars(select(Reminder).where(Reminder.subject == f"meeting:{meeting_id}")).all()
        return sorted({(r.rule, r.status) for r in rows})


def test_a_coordinator_arranges_moves_and_cancels_a_panel_meeting(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("gathering evidence")
    page = f"/cases/{ref}"
    assert "No panel meetings arranged." in client.get(page).text
    arranged = form_post(client, page, f"{page}/panel-meetings", MEETING)
    assert arranged.status_code == 303 and arranged.headers["location"].endswith("#panel-meetings")
    [meeting] = panel_meetings.meetings_of(demo.ctx, ref)
    html = client.get(arranged.headers["location"]).text
    assert "Tuesday 8 December 2026, 10:00 to 11:30 (UK time)" in html and "invitations are on their way" in html
    assert _invitation_rules(demo.ctx, meeting.id) == [("invite:0", "pending")]
    moved = form_post(
        client,
        page,
        f"{page}/panel-meetings/{meeting.id}/move",
        {"date": "2026-12-09", "time": "14:00", "minutes": "60"},
    )
    assert moved.status_code == 303
    assert "Wednesday 9 December 2026, 14:00 to 15:00 (UK time)" in client.get(page).text
    cancelled = form_post(client, page, f"{page}/panel-meetings/{meeting.id}/cancel", {})
    assert cancelled.status_code == 303 and "Cancelled" in client.get(page).text
    # unsent earlier versions were withdrawn: only the cancellation is waiting to go
    assert _invitation_rules(demo.ctx, meeting.id) == [
        ("cancel:2", "pending"),
        ("invite:0", "cancelled"),
        ("invite:1", "cancelled"),
    ]


def test_a_meeting_form_with_mistakes_says_what_to_fix(demo, client_for):
    client = client_for("coordinator")
    page = f"/cases/{demo.ref('gathering evidence')}"
    missing = form_post(client, page, f"{page}/panel-meetings", {"date": "", "time": "", "minutes": ""})
    assert missing.status_code == 422
    assert all(f'href="#meeting-{field}"' in missing.text for field in ("date", "time", "minutes"))
    past = form_post(client, page, f"{page}/panel-meetings", {**MEETING, "date": "2026-11-01"})
    assert past.status_code == 422 and "has already passed" in past.text
    bad_time = form_post(client, page, f"{page}/panel-meetings", {**MEETING, "time": "25:00"})
    assert bad_time.status_code == 422 and "not a real date and time" in bad_time.text
    too_short = form_post(client, page, f"{page}/panel-meetings", {**MEETING, "minutes": "5"})
    assert too_short.status_code == 422 and 'href="#meeting-minutes"' in too_short.text
    assert panel_meetings.meetings_of(demo.ctx, demo.ref("gathering evidence")) == []


def test_people_who_cannot_change_the_case_cannot_arrange_or_cancel(demo, client_for):
    ref = demo.ref("gathering evidence")
    meeting = panel_meetings.schedule(demo.ctx, ref, _utc("2026-12-08 10:00"), 60, by=email_for("coordinator"))
    for role in ("panel_member", "agency_contact", "viewer"):
        client = client_for(role)
        token = csrf_of(client.get(f"/cases/{ref}").text)
        assert "Arrange the meeting" not in client.get(f"/cases/{ref}").text
        posted = client.post(f"/cases/{ref}/panel-meetings", data={**MEETING, "csrf_token": token})
        assert posted.status_code == 403, role
        cancel = client.post(f"/cases/{ref}/panel-meetings/{meeting.id}/cancel", data={"csrf_token": token})
        assert cancel.status_code == 403, role
    assert not panel_meetings.meetings_of(demo.ctx, ref)[0].cancelled


def test_a_meeting_of_another_case_cannot_be_reached_through_one_you_can_see(demo, client_for):
    hidden = panel_meetings.schedule(
        demo.ctx, demo.ref("just notified"), _utc("2026-12-08 10:00"), 60, by=email_for("coordinator")
    )
    client = client_for("reviewer")  # may change the cases they are on, and only those
    seen = f"/cases/{demo.ref('gathering evidence')}"
    response = form_post(client, seen, f"{seen}/panel-meetings/{hidden.id}/cancel", {})
    assert response.status_code == 404
    assert not panel_meetings.meetings_of(demo.ctx, demo.ref("just notified"))[0].cancelled


def _utc(text):
    from dhr_workflow.cases.meetings import parse_local_time

    return parse_local_time(text, "Europe/London")

"""Panel meeting invitations go out through the reminder ledger: to the panel, once, with the calendar entry attached;
a move or a cancellation replaces the entry in people's calendars (same UID, higher SEQUENCE)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases import panel_meetings, tasks
from dhr_workflow.cases.meetings import parse_local_time, stable_uid
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import AuditEvent
from notifications import delivery
from notifications.admin import set_preference
from notifications.channels import transports_from_settings
from notifications.ledger.tables import Reminder
from notifications.tables import DeliveryAttempt
from tests.factories import COORDINATOR, add_people, notification
from tests.reminders.conftest import at, set_today

PANEL = "panel@example.org"
AGENCY = "agency@example.org"


def _case_with_panel(ctx, today):
    add_people(ctx)
    ref = cases.notify_case(ctx, notification(today), coordinator=COORDINATOR)
    cases.assign(ctx, ref, PANEL, "panel_member")
    cases.assign(ctx, ref, AGENCY, "agency_contact")
    return ref


def _sweep(ctx, day):
    set_today(ctx, day)
    return delivery.sweep(ctx, transports_from_settings(ctx.settings), now=at(day))


def _calendar(message):
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    return calendar, next(iter(calendar.walk("VEVENT")))


def _ten_am(day):
    return parse_local_time(f"{day.isoformat()} 10:00", "Europe/London")


def test_the_panel_is_invited_once_with_the_meeting_in_an_attached_calendar_entry(mail_ctx, smtp, today):
    ref = _case_with_panel(mail_ctx, today)
    meeting = panel_meetings.schedule(mail_ctx, ref, _ten_am(date(2026, 12, 8)), 120, by=COORDINATOR)
    assert meeting.invited == 2 and meeting.when == "Tuesday 8 December 2026, 10:00 to 12:00 (UK time)"
    _sweep(mail_ctx, today)
    assert _sweep(mail_ctx, today).claimed == 0  # a second sweep sends nothing
    assert sorted(m["To"] for m in smtp.messages) == [COORDINATOR, PANEL]  # agency contacts are not on the panel
    [message] = smtp.to(PANEL)
    assert str(message["Subject"]) == (
        f"Invitation: {ref}: review panel meeting, Tuesday 8 December 2026, 10:00 to 12:00 (UK time)"
    )
    calendar, event = _calendar(message)
    assert str(calendar["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == 0
    assert str(event["UID"]) == stable_uid(f"panel:{meeting.id}", ref)
    assert event.decoded("DTSTART") == datetime(2026, 12, 8, 10, tzinfo=UTC)  # GMT in December
    assert [str(a) for a in _attendees(event)] == [f"mailto:{PANEL}"]  # nobody learns who else is on the panel
    with mail_ctx.db.read() as s:
        outcomes = s.scalars(select(DeliveryAttempt.outcome)).all()
    assert outcomes == ["sent", "sent"]  # in the ledger like every reminder


def _attendees(event):
    found = event.get("ATTENDEE")
    return found if isinstance(found, list) else [found]


def test_a_move_and_a_cancellation_replace_the_same_calendar_entry(mail_ctx, smtp, today):
    ref = _case_with_panel(mail_ctx, today)
    meeting = panel_meetings.schedule(mail_ctx, ref, _ten_am(date(2026, 12, 8)), 120)
    _sweep(mail_ctx, today)
    panel_meetings.move(mail_ctx, ref, meeting.id, _ten_am(date(2026, 12, 10)), 60)
    _sweep(mail_ctx, today + timedelta(days=3))
    panel_meetings.cancel(mail_ctx, ref, meeting.id)
    _sweep(mail_ctx, today + timedelta(days=4))
    versions = [_calendar(m) for m in smtp.to(PANEL)]
    assert [str(c["METHOD"]) for c, _e in versions] == ["REQUEST", "REQUEST", "CANCEL"]
    assert [int(e["SEQUENCE"]) for _c, e in versions] == [0, 1, 2]
    assert {str(e["UID"]) for _c, e in versions} == {stable_uid(f"panel:{meeting.id}", ref)}
    subjects = [str(m["Subject"]).split(":")[0] for m in smtp.to(PANEL)]
    assert subjects == ["Invitation", "Updated", "Cancelled"]
    with pytest.raises(InvalidInput, match="cancelled"):
        panel_meetings.move(mail_ctx, ref, meeting.id, _ten_am(date(2026, 12, 11)), 60)


def test_only_the_latest_version_goes_when_the_meeting_changes_before_the_invitation_is_sent(mail_ctx, smtp, today):
    ref = _case_with_panel(mail_ctx, today)
    meeting = panel_meetings.schedule(mail_ctx, ref, _ten_am(date(2026, 12, 8)), 120)
    panel_meetings.move(mail_ctx, ref, meeting.id, _ten_am(date(2026, 12, 9)), 120)
    _sweep(mail_ctx, today)
    [message] = smtp.to(PANEL)
    _calendar_, event = _calendar(message)
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART").date() == date(2026, 12, 9)
    with mail_ctx.db.read() as s:
        statuses = sorted(s.scalars(select(Reminder.status).where(Reminder.subject == f"meeting:{meeting.id}")))
    assert statuses == ["cancelled", "cancelled", "sent", "sent"]


def test_an_invitation_is_not_folded_into_a_digest_nor_cancelled_by_the_case_moving_on(mail_ctx, smtp, today):
    ref = _case_with_panel(mail_ctx, today)
    set_preference(mail_ctx, PANEL, digest=True)
    panel_meetings.schedule(mail_ctx, ref, _ten_am(date(2026, 12, 8)), 120)
    cases.fire(mail_ctx, ref, "decide_review", on=today, values={"rationale": "Criteria met"})  # re-syncs reminders
    tasks.add_task(mail_ctx, ref, "Report", AGENCY, today + timedelta(days=20), kind="agency_report")
    _sweep(mail_ctx, today)
    [message] = smtp.to(PANEL)
    assert str(message["Subject"]).startswith("Invitation:")  # on its own, with its calendar entry
    assert _calendar(message)[1] is not None


def test_people_outside_the_panel_may_not_arrange_meetings_and_past_days_are_refused(mail_ctx, today):
    ref = _case_with_panel(mail_ctx, today)
    with pytest.raises(NotPermitted):
        panel_meetings.schedule(mail_ctx, ref, _ten_am(date(2026, 12, 8)), 120, by=PANEL)
    with pytest.raises(InvalidInput, match="already passed"):
        panel_meetings.schedule(mail_ctx, ref, _ten_am(today - timedelta(days=1)), 120)
    with pytest.raises(InvalidInput, match="minutes"):
        panel_meetings.schedule(mail_ctx, ref, _ten_am(date(2026, 12, 8)), 5)
    with pytest.raises(NotFound):
        panel_meetings.cancel(mail_ctx, ref, 2**40)  # typed at the command line; more than the column holds
    with mail_ctx.db.read() as s:
        assert s.scalars(select(Reminder).where(Reminder.subject.like("meeting:%"))).all() == []


def test_each_change_to_a_meeting_is_in_the_audit_trail(mail_ctx, today):
    ref = _case_with_panel(mail_ctx, today)
    meeting = panel_meetings.schedule(mail_ctx, ref, _ten_am(date(2026, 12, 8)), 120, by=COORDINATOR)
    panel_meetings.move(mail_ctx, ref, meeting.id, _ten_am(date(2026, 12, 9)), 120, by=COORDINATOR)
    panel_meetings.cancel(mail_ctx, ref, meeting.id, by=COORDINATOR)
    with mail_ctx.db.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action.like("meeting_%")).order_by(AuditEvent.seq))
        trail = [(e.action, e.actor, e.payload["sequence"]) for e in events]
    assert trail == [
        ("meeting_scheduled", COORDINATOR, 0),
        ("meeting_moved", COORDINATOR, 1),
        ("meeting_cancelled", COORDINATOR, 2),
    ]


def test_the_cli_schedules_lists_and_cancels_a_meeting(cli, ctx, today):
    ref = _case_with_panel(ctx, today)
    scheduled = cli("panel", "schedule", ref, "--at", "2026-12-08 10:00", "--minutes", "90")
    assert scheduled.exit_code == 0, scheduled.output
    said = " ".join(scheduled.output.split())  # Rich wraps to the terminal's width
    assert "Tuesday 8 December 2026, 10:00 to 11:30 (UK time)" in said and "2 people" in said
    assert "arranged" in cli("panel", "list", ref).output
    assert "cancelled" in cli("panel", "cancel", ref, "1").output
    wrong = cli("panel", "schedule", ref, "--at", "next Tuesday")
    assert wrong.exit_code == 2 and "is not a time" in wrong.output


@pytest.mark.single_db
def test_wall_clock_times_are_read_in_london_and_the_missing_spring_hour_is_refused():
    assert parse_local_time("2027-07-01 10:00", "Europe/London") == datetime(2027, 7, 1, 9, tzinfo=UTC)  # BST
    assert parse_local_time("2027-01-05T09:30", "Europe/London") == datetime.combine(date(2027, 1, 5), time(9, 30), UTC)
    with pytest.raises(InvalidInput, match="does not exist"):
        parse_local_time("2027-03-28 01:30", "Europe/London")
    with pytest.raises(InvalidInput, match="not a real date"):
        parse_local_time("2027-02-30 10:00", "Europe/London")

"""Calendar invitations (ICS, RFC 5545/5546) for review panel meetings.

The UID is derived from a stable key (the case reference and the meeting's id), so an update or a cancellation of a
meeting replaces the same entry in people's calendars; SEQUENCE must grow with each change. The summary carries only
the case reference: never names or case facts (the same rule as every other message).
"""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from dhr_workflow.cases.meetings import Meeting, stable_uid
from dhr_workflow.core.errors import InvalidInput

PRODID = "-//dhr-workflow//panel meetings//EN"


def meeting_invite(meeting: Meeting, organiser: str, attendees: list[str], *, now: datetime | None = None) -> bytes:
    """An iTIP REQUEST (new or updated meeting) or CANCEL, as bytes for a text/calendar attachment."""
    if meeting.ends_at <= meeting.starts_at:
        raise InvalidInput("a meeting must end after it starts")
    if meeting.starts_at.tzinfo is None or meeting.ends_at.tzinfo is None:
        raise InvalidInput("meeting times need a time zone (Europe/London or UTC)")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if meeting.cancelled else "REQUEST")
    event = Event()
    event.add("uid", stable_uid(meeting.meeting_key, meeting.case_ref))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    title = f"{meeting.case_ref}: review panel meeting" if meeting.case_ref else "Review panel meeting"
    event.add("summary", title)
    event.add("description", f"{title}. Details for those on the panel: {meeting.link}")
    event.add("location", meeting.location)
    event.add("url", meeting.link)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    organiser_address = vCalAddress(f"mailto:{organiser}")
    organiser_address.params["cn"] = vText("DHR case system")
    event["organizer"] = organiser_address
    for email in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    return cal.to_ical()

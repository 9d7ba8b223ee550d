"""Calendar invitations (ICS, RFC 5545/5546) for review panel meetings.

The UID is derived from a stable key (the case reference and the meeting's id), so an update or a cancellation of a
meeting replaces the same entry in people's calendars; SEQUENCE must grow with each change. The summary carries only
the case reference: never names or case facts (the same rule as every other message).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from dhr_workflow.domain.errors import InvalidInput

PRODID = "-//dhr-workflow//panel meetings//EN"


@dataclass(frozen=True)
class Meeting:
    case_ref: str | None
    meeting_key: str  # stable: "panel:3" (the meeting's id), never a date that may move
    starts_at: datetime
    ends_at: datetime
    link: str
    location: str = "See the case page for joining details"
    sequence: int = 0


def stable_uid(meeting_key: str, case_ref: str | None) -> str:
    seed = f"{case_ref or '-'}:{meeting_key}".encode()
    return f"{hashlib.sha256(seed).hexdigest()[:32]}@dhr-workflow"


def meeting_invite(
    meeting: Meeting, organiser: str, attendees: list[str], *, cancelled: bool = False, now: datetime | None = None
) -> bytes:
    """An iTIP REQUEST (new or updated meeting) or CANCEL, as bytes for a text/calendar attachment."""
    if meeting.ends_at <= meeting.starts_at:
        raise InvalidInput("a meeting must end after it starts")
    if meeting.starts_at.tzinfo is None or meeting.ends_at.tzinfo is None:
        raise InvalidInput("meeting times need a time zone (Europe/London or UTC)")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
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
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
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


def send_meeting_invite(
    settings: object, meeting: Meeting, attendees: list[str], *, cancelled: bool = False
) -> list[str]:
    """Email the invitation (text, and the ICS as text/calendar) to each attendee over SMTP; returns Message-IDs."""
    import smtplib
    from email.message import EmailMessage

    from notifications.channels.smtp import message_id

    mail_from: str = getattr(settings, "mail_from")  # noqa: B009 - typed loosely so callers may pass Settings
    ics = meeting_invite(meeting, mail_from, attendees, cancelled=cancelled)
    verb = "Cancelled" if cancelled else ("Updated" if meeting.sequence else "Invitation")
    ids = []
    with smtplib.SMTP(getattr(settings, "smtp_host") or "", getattr(settings, "smtp_port"), timeout=30) as smtp:  # noqa: B009
        for email in attendees:
            msg = EmailMessage()
            msg["From"], msg["To"] = mail_from, email
            msg["Subject"] = f"{verb}: {meeting.case_ref + ': ' if meeting.case_ref else ''}review panel meeting"
            msg["Message-ID"] = message_id(f"{meeting.meeting_key}:{meeting.sequence}:{cancelled}:{email}", mail_from)
            msg.set_content(f"{msg['Subject']}. Details: {meeting.link}")
            method = "CANCEL" if cancelled else "REQUEST"
            msg.add_attachment(
                ics, maintype="text", subtype="calendar", filename="invite.ics", params={"method": method}
            )
            smtp.send_message(msg)
            ids.append(str(msg["Message-ID"]))
    return ids

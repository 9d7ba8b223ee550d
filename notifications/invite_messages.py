"""What a panel meeting invitation says, and the calendar entry it carries (cases/panel_meetings.py queues them).

Like every message: the case reference, when, and a link; never names or case facts. The row's rule says which
version of the meeting this is ("invite:2", "cancel:3"): that number is the calendar entry's SEQUENCE, so a late
delivery of an older version never overrides a newer one in anyone's calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from dhr_workflow.cases.meetings import Meeting, as_utc, when_text
from dhr_workflow.cases.tables import PanelMeeting
from notifications.messages import RenderedMessage, SubjectInfo, render_message


@dataclass(frozen=True)
class InviteWording:
    ref: str | None
    verb: str  # "Invitation", "Updated", "Cancelled"
    headline: str
    when: str
    link: str
    cancelled: bool


def render_invitation(
    session: Session, info: SubjectInfo, base_url: str, timezone: str, templates: Path | None
) -> RenderedMessage:
    row = info.reminder
    meeting = session.get(PanelMeeting, int(row.subject.split(":", 1)[1]))
    if meeting is None:
        raise LookupError(f"reminder {row.id} invites to a panel meeting that no longer exists")
    kind, sequence = row.rule.split(":", 1)
    cancelled = kind == "cancel"
    ref = info.case.ref if info.case is not None else None
    link = base_url.rstrip("/") + (f"/cases/{ref}" if ref else "/")
    wording = InviteWording(
        ref=ref,
        verb="Cancelled" if cancelled else ("Updated" if int(sequence) else "Invitation"),
        headline=_headline(cancelled, int(sequence)),
        when=when_text(meeting.starts_at, meeting.ends_at, timezone),
        link=link,
        cancelled=cancelled,
    )
    message = render_message("invite", {"invite": wording}, link, templates)
    entry = Meeting(
        case_ref=ref,
        meeting_key=f"panel:{meeting.id}",
        starts_at=as_utc(meeting.starts_at),
        ends_at=as_utc(meeting.ends_at),
        link=link,
        sequence=int(sequence),
        cancelled=cancelled,
    )
    return RenderedMessage(message.subject, message.text, message.html, link, message.personalisation, entry)


def _headline(cancelled: bool, sequence: int) -> str:
    if cancelled:
        return "A review panel meeting has been cancelled"
    return "A review panel meeting has moved" if sequence else "You are invited to a review panel meeting"

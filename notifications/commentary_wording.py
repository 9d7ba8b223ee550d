"""What a commentary-round reminder says: what is asked and where to answer, never the action's text (it may
carry case detail). services.reminder_messages registers this describer for subjects "commentary:ROUND:action:ID"."""

from __future__ import annotations

from sqlalchemy.orm import Session

from notifications.messages import Described, SubjectInfo


def describe_commentary(session: Session, info: SubjectInfo) -> Described:
    parts = info.reminder.subject.split(":")
    action_id = parts[3] if len(parts) == 4 and parts[3].isdigit() else ""
    what = "Your update on a Delivery Plan action for the commentary round"
    return Described(what, f"/plan/actions/{action_id}" if action_id else "/plan")

"""Review panel meetings and their calendar invitations.

Scheduling, moving or cancelling a meeting writes, in the transaction that makes the change and its audit event, one
invitation row per person invited into the reminder table (subject "meeting:ID", rule "invite:SEQUENCE" or
"cancel:SEQUENCE", due today). The sweep delivers them like every reminder: claimed with a lease, journalled, in the
ledger, sent once (ADR 0012, ADR 0014), with the ICS attached. An invitation still unsent when the meeting changes
again is cancelled, so people get the latest version only; one already sent is replaced in their calendar by the
next, which carries the same UID and a higher SEQUENCE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.meetings import local_day, meeting_span, when_text
from dhr_workflow.cases.reminder_plan import CANCELLABLE, reminder_key
from dhr_workflow.cases.tables import Case, CaseMember, PanelMeeting
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import utcnow
from dhr_workflow.people.roles import may_change_cases
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import actor_for
from notifications.ledger.tables import Reminder

MEETING_SUBJECT = "meeting:"  # "meeting:ID": the invitation reminder rows this module writes

INVITED_ROLES = ("coordinator", "reviewer", "panel_member")  # the panel and the person who runs its meetings
CHANNEL = "email"  # the invitation travels as an email with the ICS attached (Notify and SMS get the wording only)


@dataclass(frozen=True)
class MeetingView:
    id: int
    case_ref: str
    starts_at: datetime
    ends_at: datetime
    when: str
    sequence: int
    cancelled: bool
    invited: int  # invitation rows written by the last change


def schedule(ctx: AppContext, ref: str, starts_at: datetime, minutes: int, *, by: str | None = None) -> MeetingView:
    """Arrange a panel meeting and invite the case's panel."""
    starts, ends = meeting_span(starts_at, minutes, ctx.today(), ctx.settings.timezone)
    with ctx.db.write() as session:
        case, actor = _case_and_arranger(session, ref, by)
        meeting = PanelMeeting(case_id=case.id or 0, starts_at=starts, ends_at=ends, created_by=actor)
        session.add(meeting)
        session.flush()
        return _record(ctx, session, case, meeting, actor, "meeting_scheduled")


def move(
    ctx: AppContext, ref: str, meeting_id: int, starts_at: datetime, minutes: int, *, by: str | None = None
) -> MeetingView:
    """Move a meeting: the updated invitation replaces the old one in people's calendars."""
    starts, ends = meeting_span(starts_at, minutes, ctx.today(), ctx.settings.timezone)
    with ctx.db.write() as session:
        case, actor = _case_and_arranger(session, ref, by)
        meeting = _live_meeting(session, case, meeting_id)
        meeting.starts_at, meeting.ends_at, meeting.sequence = starts, ends, meeting.sequence + 1
        return _record(ctx, session, case, meeting, actor, "meeting_moved")


def cancel(ctx: AppContext, ref: str, meeting_id: int, *, by: str | None = None) -> MeetingView:
    """Call a meeting off: the cancellation removes it from people's calendars."""
    with ctx.db.write() as session:
        case, actor = _case_and_arranger(session, ref, by)
        meeting = _live_meeting(session, case, meeting_id)
        meeting.cancelled_at, meeting.sequence = utcnow(), meeting.sequence + 1
        return _record(ctx, session, case, meeting, actor, "meeting_cancelled")


def meetings_of(ctx: AppContext, ref: str) -> list[MeetingView]:
    with ctx.db.read() as session:
        case = load_case(session, ref)
        rows = session.scalars(
            select(PanelMeeting).where(PanelMeeting.case_id == case.id).order_by(PanelMeeting.starts_at)
        ).all()
        return [_view(ctx, case, m, 0) for m in rows]


def _case_and_arranger(session: Session, ref: str, by: str | None) -> tuple[Case, str]:
    actor = actor_for(session, by)
    case = load_case(session, ref, actor.user)  # someone on only some cases is told this one does not exist
    if actor.user is not None and not may_change_cases(actor.user.role):
        raise NotPermitted("your role can see this case but not arrange its meetings; ask the case coordinator")
    return case, actor.label


def _live_meeting(session: Session, case: Case, meeting_id: int) -> PanelMeeting:
    if not 0 < meeting_id < 2**31:  # a typed id the database column could not even hold
        raise NotFound(f"no panel meeting {meeting_id} on {case.ref}; `dhr panel list {case.ref}` lists them")
    meeting = session.scalars(
        select(PanelMeeting).where(PanelMeeting.id == meeting_id, PanelMeeting.case_id == case.id).with_for_update()
    ).first()
    if meeting is None:
        raise NotFound(f"no panel meeting {meeting_id} on {case.ref}; `dhr panel list {case.ref}` lists them")
    if meeting.cancelled_at is not None:
        raise InvalidInput(f"panel meeting {meeting_id} on {case.ref} was cancelled; schedule a new one")
    return meeting


def _record(
    ctx: AppContext, session: Session, case: Case, meeting: PanelMeeting, actor: str, action: str
) -> MeetingView:
    invited = _queue_invitations(ctx, session, case, meeting)
    audit.append(
        session,
        actor=actor,
        action=action,
        occurred_on=ctx.today(),
        case_id=case.id,
        payload={
            "meeting_id": meeting.id,
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
            "sequence": meeting.sequence,
            "invited": invited,
        },
    )
    return _view(ctx, case, meeting, len(invited))


def _queue_invitations(ctx: AppContext, session: Session, case: Case, meeting: PanelMeeting) -> list[int]:
    """One invitation row per person invited; any earlier version still waiting to go is cancelled."""
    subject = f"{MEETING_SUBJECT}{meeting.id}"
    session.execute(
        update(Reminder)
        .where(Reminder.subject == subject, Reminder.status.in_(CANCELLABLE))
        .values(status="cancelled", last_error="replaced by a later version of the meeting before it was sent")
    )
    rule = f"{'cancel' if meeting.cancelled_at is not None else 'invite'}:{meeting.sequence}"
    meeting_day, today = local_day(meeting.starts_at, ctx.settings.timezone), ctx.today()
    invited = _invited(session, case)
    for user_id in invited:
        session.add(
            Reminder(
                case_id=case.id,
                subject=subject,
                rule=rule,
                deadline_on=meeting_day,
                send_on=today,
                recipient_id=user_id,
                channel=CHANNEL,
                idem_key=reminder_key(case.id, subject, rule, meeting_day, user_id, CHANNEL),
            )
        )
    return invited


def _invited(session: Session, case: Case) -> list[int]:
    return list(
        session.scalars(
            select(CaseMember.user_id)
            .join(User, User.id == CaseMember.user_id)  # type: ignore[arg-type]
            .where(CaseMember.case_id == case.id, CaseMember.role.in_(INVITED_ROLES), User.active.is_(True))  # type: ignore[attr-defined]
            .distinct()
            .order_by(CaseMember.user_id)
        ).all()
    )


def _view(ctx: AppContext, case: Case, meeting: PanelMeeting, invited: int) -> MeetingView:
    return MeetingView(
        id=meeting.id or 0,
        case_ref=case.ref,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        when=when_text(meeting.starts_at, meeting.ends_at, ctx.settings.timezone),
        sequence=meeting.sequence,
        cancelled=meeting.cancelled_at is not None,
        invited=invited,
    )

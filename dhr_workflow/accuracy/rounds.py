"""The factual-accuracy round (issue 12): circulating a stored version of the draft overview report with a deadline,
recording each recipient's answer (comments as text and/or a file, or no comments), the chair's response to each
comment, and closing the round. Every change is one transaction with its audit event.

An in-scope agency answers through an evidence request of kind factual_accuracy made with the round: it carries the
due date, the reminder before it and the chasers through the ledger (agencies/reminders.py), and it is settled in the
transaction that records the answer. A named recipient outside the directory (the police senior investigating
officer, the CPS, when criminal proceedings are live) has no account here: the case's team records their answer.

Who may act: people who change cases; an agency's own contact answers for their agency on a case they are on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.accuracy.rules import close_problem, parse_recipient
from dhr_workflow.accuracy.tables import AccuracyComment, AccuracyRecipient, AccuracyRound
from dhr_workflow.agencies import reminders
from dhr_workflow.agencies.directory import agencies_of, agency_by_key, in_scope
from dhr_workflow.agencies.rules import OPEN_STATUSES
from dhr_workflow.agencies.tables import Agency, EvidenceRequest
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case
from dhr_workflow.cases.task_files import MEDIA_TYPES, check_upload
from dhr_workflow.core import audit
from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text, in_supported_range, is_id, not_in_future
from dhr_workflow.documents.tables import GeneratedDocument
from dhr_workflow.people.roles import may_change_cases
from dhr_workflow.people.users import Actor, actor_for
from dhr_workflow.workflow.definition import WorkflowDefinition

DRAFT = "overview_report"


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


def circulate(
    ctx: AppContext,
    ref: str,
    version: int,
    *,
    agencies: list[str],
    recipients: list[str] | None = None,
    due: date | None = None,
    on: date | None = None,
    by: str | None = None,
) -> int:
    """Send stored version `version` of the case's draft overview report to in-scope agencies and named recipients
    (`NAME <EMAIL>`). The deadline defaults to the workflow file's factual_accuracy period in working days from the
    day it went out (`on`, default today). Returns the round's id."""
    named = [_recipient(value) for value in recipients or []]
    if not agencies and not named:
        raise InvalidInput("choose at least one agency (or named recipient) to circulate the draft to")
    today = ctx.today()
    sent = not_in_future(on, today, "--on") if on else today
    if due is not None:  # a deadline in year 9999 would pass every check below and chase nobody
        in_supported_range(due, "the deadline")
    with ctx.db.write() as session:
        case = load_case(session, ref)
        actor = _changer(session, case, by)
        document = _draft_version(session, case, version)
        previous = _latest_round(session, case)
        if previous is not None and _awaited(session, previous):
            raise InvalidInput(f"a factual-accuracy round is still open on {case.ref}; close it first")
        definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
        cal = load_calendar(session)
        due_on = due or cal.add_working_days(sent, definition.evidence["factual_accuracy"].working_days)  # type: ignore[index]
        if due_on <= sent:
            raise InvalidInput(
                f"the deadline {due_on.isoformat()} must be after the day it is sent ({sent.isoformat()})"
            )
        found = _agencies(session, case, agencies)
        row = AccuracyRound(
            case_id=case.id or 0, document_id=document.id or 0, circulated_on=sent, due_on=due_on,
            circulated_by=actor.label,
        )  # fmt: skip
        session.add(row)
        session.flush()
        _add_recipients(session, row, found, named, actor, definition, cal)
        payload = {
            "round_id": row.id, "version": document.version, "due_on": due_on.isoformat(),
            "agencies": [a.slug for a in found], "named_recipients": len(named),
        }  # fmt: skip
        audit.append(
            session, actor=actor.label, action="accuracy_circulated", occurred_on=sent, case_id=case.id, payload=payload
        )
        case.updated_at = utcnow()
        return row.id or 0


def answer(
    ctx: AppContext,
    ref: str,
    recipient_id: int,
    *,
    comments: str | None = None,
    upload: Upload | None = None,
    no_comments: bool = False,
    on: date | None = None,
    by: str | None = None,
) -> int | None:
    """Record a recipient's answer: comments (text and/or a file) or no comments. Returns the comment's id."""
    text = clean_text(comments, "the comments", 10000, required=False, single_line=False) if comments else ""
    if no_comments == bool(text or upload):
        raise InvalidInput("give the comments (text and/or a file) or say there are no comments, not both")
    name = check_upload(upload.filename, upload.content) if upload is not None else None
    today = ctx.today()
    day = not_in_future(on, today, "--on") if on else today
    with ctx.db.write() as session:
        actor = actor_for(session, by)
        case = load_case(session, ref, actor.user)
        recipient, round_ = _answerable(session, case, recipient_id, actor)
        if day < round_.circulated_on:
            raise InvalidInput(f"it cannot have been answered before the draft went out ({round_.circulated_on})")
        comment_id = None
        if not no_comments:
            comment = _comment(recipient, text or None, upload, name, actor)
            session.add(comment)
            session.flush()
            comment_id = comment.id
        recipient.status = "no_comments" if no_comments else "comments"
        recipient.answered_on, recipient.answered_by = day, actor.label
        _settle_request(ctx, session, case, recipient, day, actor)
        payload = {"round_id": round_.id, "recipient_id": recipient.id, "status": recipient.status}
        if comment_id is not None:
            payload |= {"comment_id": comment_id, "file": name is not None}
        audit.append(
            session, actor=actor.label, action="accuracy_answered", occurred_on=day, case_id=case.id, payload=payload
        )
        case.updated_at = utcnow()
        return comment_id


def respond(ctx: AppContext, ref: str, comment_id: int, *, response: str, by: str | None = None) -> None:
    """The chair's response to one comment (what was changed in the draft, or why not); a later one replaces it."""
    text = clean_text(response, "the response", 10000, single_line=False)
    with ctx.db.write() as session:
        case = load_case(session, ref)
        actor = _changer(session, case, by)
        wanted = select(AccuracyComment).where(AccuracyComment.id == comment_id, AccuracyComment.case_id == case.id)
        comment = session.scalars(wanted).first() if is_id(comment_id) else None
        if comment is None:
            raise NotFound(f"no factual-accuracy comment {comment_id} on {case.ref}")
        replaced = comment.response is not None
        comment.response, comment.responded_by, comment.responded_on = text, actor.label, ctx.today()
        audit.append(
            session, actor=actor.label, action="accuracy_responded", occurred_on=ctx.today(), case_id=case.id,
            payload={"comment_id": comment.id, "replaced": replaced},
        )  # fmt: skip
        case.updated_at = utcnow()


def close(ctx: AppContext, ref: str, *, on: date | None = None, by: str | None = None) -> int:
    """Close the case's open round: allowed once every answer is in, or after the deadline, when every answer still
    awaited is recorded as not answered (and its agency's request is marked withdrawn, which stops the chasers).
    Returns how many were recorded as not answered."""
    today = ctx.today()
    day = not_in_future(on, today, "--on") if on else today
    with ctx.db.write() as session:
        case = load_case(session, ref)
        actor = _changer(session, case, by)
        round_ = _latest_round(session, case)
        if round_ is None or round_.closed_on is not None:
            raise InvalidInput(f"{case.ref} has no open factual-accuracy round")
        awaited = _awaited(session, round_)
        problem = close_problem(len(awaited), round_.due_on, day)
        if problem:
            raise InvalidInput(problem)
        for recipient in awaited:
            recipient.status, recipient.answered_on, recipient.answered_by = "not_answered", day, actor.label
            _settle_request(ctx, session, case, recipient, day, actor)
        round_.closed_on, round_.closed_by = day, actor.label
        audit.append(
            session, actor=actor.label, action="accuracy_closed", occurred_on=day, case_id=case.id,
            payload={"round_id": round_.id, "not_answered": len(awaited)},
        )  # fmt: skip
        case.updated_at = utcnow()
        return len(awaited)


# -- helpers ---------------------------------------------------------------------------------------------------------


def latest_round(session: Session, case: Case) -> AccuracyRound | None:
    return _latest_round(session, case)


def awaited_in(session: Session, round_: AccuracyRound) -> list[AccuracyRecipient]:
    return _awaited(session, round_)


def _latest_round(session: Session, case: Case) -> AccuracyRound | None:
    return session.scalars(  # type: ignore[no-any-return]
        select(AccuracyRound).where(AccuracyRound.case_id == case.id).order_by(AccuracyRound.id.desc())  # type: ignore[union-attr]
    ).first()


def _awaited(session: Session, round_: AccuracyRound) -> list[AccuracyRecipient]:
    return list(
        session.scalars(
            select(AccuracyRecipient).where(
                AccuracyRecipient.round_id == round_.id, AccuracyRecipient.status == "awaited"
            )
        )
    )


def _recipient(value: str) -> tuple[str, str]:
    try:
        name, email = parse_recipient(value)
    except ValueError as err:
        raise InvalidInput(str(err)) from None
    return clean_text(name, "the recipient's name", 200), clean_text(email, "the recipient's email", 320)


def _changer(session: Session, case: Case, by: str | None) -> Actor:
    actor = actor_for(session, by)
    if actor.user is not None:
        load_case(session, case.ref, actor.user)  # a case they may not see is reported as missing
        if not may_change_cases(actor.user.role):
            raise NotPermitted("only the case's coordinators, chairs and reviewers may do this")
    return actor


def _draft_version(session: Session, case: Case, version: int) -> GeneratedDocument:
    wanted = select(GeneratedDocument).where(
        GeneratedDocument.case_id == case.id,
        GeneratedDocument.template == DRAFT,
        GeneratedDocument.version == version,
    )
    found = session.scalars(wanted).first() if is_id(version) else None
    if found is None:
        raise InvalidInput(
            f"{case.ref} has no stored version {version} of the overview report; make or upload the draft first"
        )
    return found  # type: ignore[no-any-return]


def _agencies(session: Session, case: Case, keys: list[str]) -> list[Agency]:
    found: dict[int, Agency] = {}
    for key in keys:
        agency = agency_by_key(session, key)
        if not in_scope(session, case, agency):
            raise InvalidInput(f"{agency.name} is not in scope on {case.ref}; put the agency in scope first")
        open_request = session.scalar(
            select(EvidenceRequest.id).where(
                EvidenceRequest.case_id == case.id,
                EvidenceRequest.agency_id == agency.id,
                EvidenceRequest.kind == "factual_accuracy",
                EvidenceRequest.status.in_(OPEN_STATUSES),  # type: ignore[attr-defined]
            )
        )
        if open_request is not None:
            raise InvalidInput(f"{agency.name} already has an open factual-accuracy request on {case.ref}")
        found[agency.id or 0] = agency
    return sorted(found.values(), key=lambda a: a.name)


def _add_recipients(
    session: Session,
    round_: AccuracyRound,
    agencies: list[Agency],
    named: list[tuple[str, str]],
    actor: Actor,
    definition: WorkflowDefinition,
    cal: WorkingCalendar,
) -> None:
    """Each agency's answer is an evidence request of kind factual_accuracy (its reminders and chasers come with it);
    a named recipient is a row of its own."""
    for agency in agencies:
        request = EvidenceRequest(
            case_id=round_.case_id, agency_id=agency.id or 0, kind="factual_accuracy",
            requested_on=round_.circulated_on, due_on=round_.due_on, requested_by=actor.label,
        )  # fmt: skip
        session.add(request)
        session.flush()
        reminders.sync_request(session, request, definition, cal)
        session.add(
            AccuracyRecipient(
                round_id=round_.id or 0, case_id=round_.case_id, agency_id=agency.id, evidence_request_id=request.id,
                name=agency.name,
            )
        )  # fmt: skip
    for name, email in named:
        session.add(AccuracyRecipient(round_id=round_.id or 0, case_id=round_.case_id, name=name, email=email))
    session.flush()


def _answerable(
    session: Session, case: Case, recipient_id: int, actor: Actor
) -> tuple[AccuracyRecipient, AccuracyRound]:
    wanted = select(AccuracyRecipient).where(AccuracyRecipient.id == recipient_id, AccuracyRecipient.case_id == case.id)
    recipient = session.scalars(wanted).first() if is_id(recipient_id) else None  # huge ids: not found, no crash
    user = actor.user
    own = user is not None and recipient is not None and recipient.agency_id in agencies_of(session, user)
    if recipient is None or (user is not None and user.role == "agency_contact" and not own):
        raise NotFound(f"no factual-accuracy recipient {recipient_id} on {case.ref}")
    if user is not None and not may_change_cases(user.role) and not own:
        raise NotPermitted("only the case's team, or the agency's own contact, may record this answer")
    round_ = session.get(AccuracyRound, recipient.round_id)
    assert round_ is not None  # the foreign key
    if round_.closed_on is not None:
        raise InvalidInput(f"the factual-accuracy round closed on {round_.closed_on.isoformat()}")
    if recipient.status != "awaited":
        raise InvalidInput(f"this answer is already recorded ({recipient.status.replace('_', ' ')})")
    return recipient, round_


def _comment(
    recipient: AccuracyRecipient, text: str | None, upload: Upload | None, name: str | None, actor: Actor
) -> AccuracyComment:
    comment = AccuracyComment(
        recipient_id=recipient.id or 0, case_id=recipient.case_id, text=text, recorded_by=actor.label
    )
    if upload is not None and name is not None:
        comment.filename, comment.media_type = name, MEDIA_TYPES[name.rsplit(".", 1)[-1].lower()]
        comment.size, comment.content = len(upload.content), upload.content
        comment.sha256 = hashlib.sha256(upload.content).hexdigest()
    return comment


def _settle_request(
    ctx: AppContext, session: Session, case: Case, recipient: AccuracyRecipient, day: date, actor: Actor
) -> None:
    """The agency's evidence request follows its answer, so its reminders and chasers stop."""
    if recipient.evidence_request_id is None:
        return
    request = session.get(EvidenceRequest, recipient.evidence_request_id)
    if request is None or request.status not in OPEN_STATUSES:
        return
    status = {"comments": "received", "no_comments": "nil_return"}.get(recipient.status, "withdrawn")
    request.status, request.status_on, request.recorded_by, request.updated_at = status, day, actor.label, utcnow()
    if status == "withdrawn":
        request.reason = "Not answered by the factual-accuracy deadline; the round was closed"
    definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
    reminders.sync_request(session, request, definition, load_calendar(session))

"""Evidence requests: asking an agency for a scoping return, an agency report (IMR), a chronology or factual-accuracy
comments, and recording how each stands. Every change is one transaction with its audit event and its reminder rows.

Who may act: people who change cases, and an agency's own contacts on a case they are a member of (they record
what their agency sent). Everyone else on the case sees the requests; an agency contact sees only their agency's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies import reminders
from dhr_workflow.agencies.directory import agencies_of, agency_by_key, in_scope
from dhr_workflow.agencies.rules import (
    EVIDENCE_KINDS,
    OPEN_STATUSES,
    STATUS_LABELS,
    days_overdue,
    parse_choice,
    sort_key,
)
from dhr_workflow.agencies.tables import Agency, EvidenceExtension, EvidenceFile, EvidenceRequest
from dhr_workflow.cases.facts import load_extensions
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case
from dhr_workflow.core import audit
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text, is_id, not_in_future
from dhr_workflow.people.roles import CASE_CHANGER_ROLES, may_change_cases
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import Actor, actor_for

# Capabilities above agencies that answer some requests their own way (the factual-accuracy round) refuse the
# evidence forms for those: each check returns why, or None. Registered when the capability is imported.
AnswerCheck = Callable[[Session, EvidenceRequest], str | None]
_ANSWER_CHECKS: list[AnswerCheck] = []


def add_answer_check(check: AnswerCheck) -> None:
    if check not in _ANSWER_CHECKS:
        _ANSWER_CHECKS.append(check)


def request_evidence(
    ctx: AppContext,
    ref: str,
    agency: str,
    kind: str,
    *,
    due: date | None = None,
    on: date | None = None,
    by: str | None = None,
) -> int:
    """Ask an in-scope agency for one kind of evidence. The due date defaults to the workflow file's working days
    for the kind, counted from the day it was asked (`on`, default today). Returns the request's id."""
    try:
        kind = parse_choice(kind, EVIDENCE_KINDS, "kind of evidence")
    except ValueError as err:
        raise InvalidInput(str(err)) from None
    today = ctx.today()
    asked = not_in_future(on, today, "--on") if on else today
    with ctx.db.write() as session:
        case = load_case(session, ref)
        actor = _changer(session, by)
        found = agency_by_key(session, agency)
        if not in_scope(session, case, found):
            raise InvalidInput(f"{found.name} is not in scope on {case.ref}; put the agency in scope first")
        if _open_request(session, case, found, kind) is not None:
            raise InvalidInput(f"{found.name} already has an open {EVIDENCE_KINDS[kind].lower()} request on {case.ref}")
        definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
        cal = load_calendar(session)
        due_on = due or cal.add_working_days(asked, definition.evidence[kind].working_days)  # type: ignore[index]
        if due_on <= asked:
            raise InvalidInput(f"the due date {due_on.isoformat()} must be after the request ({asked.isoformat()})")
        row = EvidenceRequest(
            case_id=case.id or 0,
            agency_id=found.id or 0,
            kind=kind,
            requested_on=asked,
            due_on=due_on,
            requested_by=actor.label,
        )
        session.add(row)
        session.flush()
        _audit(session, actor, "evidence_requested", asked, row, {"agency": found.slug, "due_on": due_on.isoformat()})
        reminders.sync_request(session, row, definition, cal)
        return row.id or 0


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


def receive(
    ctx: AppContext,
    ref: str,
    request_id: int,
    *,
    upload: Upload | None = None,
    nil_return: bool = False,
    on: date | None = None,
    note: str | None = None,
    by: str | None = None,
) -> None:
    """Record what the agency sent: a file, or a nil return (it held nothing relevant)."""
    from dhr_workflow.cases.task_files import MAX_BYTES, MEDIA_TYPES, clean_filename

    if (upload is None) == (not nil_return):
        raise InvalidInput("give either the file received or a nil return, not both and not neither")
    name = ""
    if upload is not None:
        name = clean_filename(upload.filename)
        if not upload.content:
            raise InvalidInput("the file is empty")
        if len(upload.content) > MAX_BYTES:
            raise InvalidInput(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    text = clean_text(note, "the note", 2000, required=False) if note else None
    today = ctx.today()
    day = not_in_future(on, today, "--on") if on else today
    with ctx.db.write() as session:
        case, row, actor = _for_change(session, ref, request_id, by, agency_may=True)
        if row.status not in OPEN_STATUSES:
            raise InvalidInput(f"request {request_id} is already {STATUS_LABELS[row.status].lower()}")
        if day < row.requested_on:
            raise InvalidInput(f"it cannot have come in before it was asked for ({row.requested_on.isoformat()})")
        payload: dict[str, Any] = {"nil_return": nil_return}
        if upload is not None:
            import hashlib

            stored = EvidenceFile(
                request_id=row.id or 0,
                case_id=case.id or 0,
                filename=name,
                media_type=MEDIA_TYPES[name.rsplit(".", 1)[-1].lower()],
                size=len(upload.content),
                sha256=hashlib.sha256(upload.content).hexdigest(),
                content=upload.content,
                uploaded_by=actor.label,
            )
            session.add(stored)
            session.flush()
            payload |= {"file_id": stored.id, "size": stored.size, "sha256": stored.sha256}
        row.status = "nil_return" if nil_return else "received"
        row.status_on, row.note, row.recorded_by, row.updated_at = day, text, actor.label, utcnow()
        _audit(session, actor, "evidence_received", day, row, payload)
        _sync(ctx, session, case, row)


def extend(
    ctx: AppContext, ref: str, request_id: int, *, to: date, agreed_by: str, reason: str, by: str | None = None
) -> None:
    """More time agreed with the agency: who agreed it, why, and the new due date."""
    agreed = clean_text(agreed_by, "who agreed it", 200)
    why = clean_text(reason, "the reason", 2000)
    with ctx.db.write() as session:
        case, row, actor = _for_change(session, ref, request_id, by)
        if row.status not in OPEN_STATUSES:
            raise InvalidInput(
                f"request {request_id} is {STATUS_LABELS[row.status].lower()}; only an awaited one moves"
            )
        if to <= row.due_on:
            raise InvalidInput(f"the new date must be after the current due date ({row.due_on.isoformat()})")
        session.add(
            EvidenceExtension(
                request_id=row.id or 0,
                previous_due_on=row.due_on,
                due_on=to,
                agreed_by=agreed,
                reason=why,
                recorded_by=actor.label,
            )
        )
        payload = {"from": row.due_on.isoformat(), "to": to.isoformat(), "agreed_by": agreed, "reason": why}
        row.due_on, row.status, row.updated_at = to, "extended", utcnow()
        _audit(session, actor, "evidence_extended", ctx.today(), row, payload)
        _sync(ctx, session, case, row)


def settle_without_evidence(
    ctx: AppContext, ref: str, request_id: int, status: str, *, reason: str, by: str | None = None
) -> None:
    """Mark a request not required (the agency report is not needed) or withdrawn, with the reason."""
    if status not in ("not_required", "withdrawn"):
        raise InvalidInput("a request is settled without evidence as not_required or withdrawn")
    why = clean_text(reason, "the reason", 2000)
    with ctx.db.write() as session:
        case, row, actor = _for_change(session, ref, request_id, by)
        if row.status not in OPEN_STATUSES:
            raise InvalidInput(f"request {request_id} is already {STATUS_LABELS[row.status].lower()}")
        row.status, row.status_on, row.reason = status, ctx.today(), why
        row.recorded_by, row.updated_at = actor.label, utcnow()
        _audit(session, actor, f"evidence_{status}", ctx.today(), row, {"reason": why})
        _sync(ctx, session, case, row)


def list_requests(ctx: AppContext, ref: str, viewer: User | None = None) -> list[dict[str, Any]]:
    """The case's requests the viewer may see, overdue first: each with its agency, kind, dates, status, files."""
    today = ctx.today()
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        return _views(session, [case], viewer, today)


def requests_for_my_agency(ctx: AppContext, viewer: User) -> list[dict[str, Any]]:
    """Every request to the viewer's agencies on the cases they are a member of."""
    from dhr_workflow.cases.tables import CaseMember

    with ctx.db.read() as session:
        cases = list(
            session.scalars(
                select(Case).join(CaseMember, CaseMember.case_id == Case.id).where(CaseMember.user_id == viewer.id)
            ).unique()
        )
        return _views(session, cases, viewer, ctx.today(), only_own=True)


def open_file(ctx: AppContext, ref: str, request_id: int, file_id: int, viewer: User | None) -> EvidenceFile:
    """A received file, if the viewer may see its request; reading it is audited."""
    with ctx.db.write() as session:
        case = load_case(session, ref, viewer)
        row = _visible_request(session, case, request_id, viewer)
        found = select(EvidenceFile).where(EvidenceFile.id == file_id, EvidenceFile.request_id == row.id)
        stored = session.scalars(found).first() if is_id(file_id) else None
        if stored is None:
            raise NotFound(f"no file {file_id} on request {request_id}")
        audit.append(
            session,
            actor=viewer.email if viewer is not None else "system",
            action="evidence_file_opened",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"request_id": row.id, "file_id": stored.id},
        )
        session.expunge(stored)
        return stored  # type: ignore[no-any-return]


# -- helpers ---------------------------------------------------------------------------------------------------------


def _open_request(session: Session, case: Case, agency: Agency, kind: str) -> EvidenceRequest | None:
    return session.scalars(  # type: ignore[no-any-return]
        select(EvidenceRequest).where(
            EvidenceRequest.case_id == case.id,
            EvidenceRequest.agency_id == agency.id,
            EvidenceRequest.kind == kind,
            EvidenceRequest.status.in_(OPEN_STATUSES),  # type: ignore[attr-defined]
        )
    ).first()


def _changer(session: Session, by: str | None) -> Actor:
    actor = actor_for(session, by)
    if actor.user is not None and not may_change_cases(actor.user.role):
        raise NotPermitted("only the case's coordinators, chairs and reviewers may do this", sorted(CASE_CHANGER_ROLES))
    return actor


def _visible_request(session: Session, case: Case, request_id: int, viewer: User | None) -> EvidenceRequest:
    found = select(EvidenceRequest).where(EvidenceRequest.id == request_id, EvidenceRequest.case_id == case.id)
    row = session.scalars(found).first() if is_id(request_id) else None
    if row is None or not _may_see(session, row, viewer):
        raise NotFound(f"no evidence request {request_id} on {case.ref}")
    return row  # type: ignore[no-any-return]


def _may_see(session: Session, row: EvidenceRequest, viewer: User | None) -> bool:
    if viewer is None or viewer.role != "agency_contact":
        return True
    return row.agency_id in agencies_of(session, viewer)


def _for_change(
    session: Session, ref: str, request_id: int, by: str | None, agency_may: bool = False
) -> tuple[Case, EvidenceRequest, Actor]:
    actor = actor_for(session, by)
    case = load_case(session, ref, actor.user)
    row = _visible_request(session, case, request_id, actor.user)
    user = actor.user
    if user is not None and not may_change_cases(user.role) and not (agency_may and user.role == "agency_contact"):
        raise NotPermitted("only the case's coordinators, chairs and reviewers may do this", sorted(CASE_CHANGER_ROLES))
    load_extensions()
    for check in _ANSWER_CHECKS:
        if (problem := check(session, row)) is not None:
            raise InvalidInput(problem)
    return case, row, actor


def _sync(ctx: AppContext, session: Session, case: Case, row: EvidenceRequest) -> None:
    case.updated_at = utcnow()
    definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
    reminders.sync_request(session, row, definition, load_calendar(session))


def _audit(
    session: Session, actor: Actor, action: str, on: date, row: EvidenceRequest, payload: dict[str, Any]
) -> None:
    audit.append(
        session,
        actor=actor.label,
        action=action,
        occurred_on=on,
        case_id=row.case_id,
        payload={"request_id": row.id, "kind": row.kind, **payload},
    )


def _views(
    session: Session, cases: list[Case], viewer: User | None, today: date, only_own: bool = False
) -> list[dict[str, Any]]:
    if not cases:
        return []
    refs = {c.id: c.ref for c in cases}
    query = (
        select(EvidenceRequest, Agency)
        .join(Agency, Agency.id == EvidenceRequest.agency_id)
        .where(EvidenceRequest.case_id.in_(list(refs)))  # type: ignore[attr-defined]
    )
    if only_own or (viewer is not None and viewer.role == "agency_contact"):
        query = query.where(EvidenceRequest.agency_id.in_(agencies_of(session, viewer)))  # type: ignore[arg-type,attr-defined]
    pairs = [(r[0], r[1]) for r in session.execute(query)]
    ids = [r.id for r, _a in pairs]
    files: dict[int, list[dict[str, Any]]] = {}
    for f in session.execute(
        select(EvidenceFile.id, EvidenceFile.request_id, EvidenceFile.filename, EvidenceFile.size).where(
            EvidenceFile.request_id.in_(ids)  # type: ignore[attr-defined]
        )
    ):
        files.setdefault(f.request_id, []).append({"id": f.id, "filename": f.filename, "size": f.size})
    extensions: dict[int, list[dict[str, Any]]] = {}
    for e in session.scalars(select(EvidenceExtension).where(EvidenceExtension.request_id.in_(ids))):  # type: ignore[attr-defined]
        extensions.setdefault(e.request_id, []).append(
            {"from": e.previous_due_on, "to": e.due_on, "agreed_by": e.agreed_by, "reason": e.reason}
        )
    pairs.sort(key=lambda p: (*sort_key(p[0].status, p[0].due_on, today), p[1].name, p[0].kind))
    return [
        _view(r, a, refs[r.case_id], today, files.get(r.id or 0, []), extensions.get(r.id or 0, [])) for r, a in pairs
    ]


def _view(
    r: EvidenceRequest, a: Agency, ref: str, today: date, files: list[dict[str, Any]], ext: list[dict[str, Any]]
) -> dict[str, Any]:
    late = days_overdue(r.due_on, r.status, today)
    return {
        "id": r.id,
        "case_ref": ref,
        "agency": a.name,
        "agency_slug": a.slug,
        "kind": r.kind,
        "kind_label": EVIDENCE_KINDS[r.kind],
        "requested_on": r.requested_on,
        "due": r.due_on,
        "status": r.status,
        "status_label": STATUS_LABELS[r.status],
        "status_on": r.status_on,
        "days_overdue": late,
        "overdue": late > 0,
        "open": r.status in OPEN_STATUSES,
        "reason": r.reason,
        "note": r.note,
        "recorded_by": r.recorded_by,
        "files": files,
        "extensions": ext,
    }

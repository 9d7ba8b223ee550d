"""Reading the factual-accuracy rounds: what the case page and `dhr accuracy show` list, what an agency contact's
"Requests for my agency" offers them to answer, and the comment files (need to know: an agency contact sees only
their own agency's answers; every read of a file is audited)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.accuracy.rules import ANSWERED, STATUS_LABELS
from dhr_workflow.accuracy.tables import AccuracyComment, AccuracyRecipient, AccuracyRound
from dhr_workflow.agencies.directory import agencies_of
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case, CaseMember
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import NotFound
from dhr_workflow.documents.tables import GeneratedDocument
from dhr_workflow.people.tables import User


def rounds_of(ctx: AppContext, ref: str, viewer: User | None = None) -> list[dict[str, Any]]:
    """The case's rounds, latest first, with the recipients and comments the viewer may see."""
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        return round_views(session, case, _own_agencies(session, viewer), ctx.today())


def stored_drafts(ctx: AppContext, ref: str, viewer: User | None = None) -> list[dict[str, Any]]:
    """The stored versions of the overview report that may be circulated, newest first."""
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        rows = session.execute(
            select(GeneratedDocument.version, GeneratedDocument.generated_at)
            .where(GeneratedDocument.case_id == case.id, GeneratedDocument.template == "overview_report")
            .order_by(GeneratedDocument.version.desc())  # type: ignore[attr-defined]
        )
        return [{"version": r.version, "made_on": r.generated_at.date()} for r in rows]


def for_my_agency(ctx: AppContext, viewer: User) -> list[dict[str, Any]]:
    """Every factual-accuracy answer asked of the viewer's agencies on the cases they are a member of."""
    with ctx.db.read() as session:
        own = agencies_of(session, viewer)
        if not own:
            return []
        rows = session.execute(
            select(AccuracyRecipient, AccuracyRound, Case.ref)
            .join(AccuracyRound, AccuracyRound.id == AccuracyRecipient.round_id)
            .join(Case, Case.id == AccuracyRecipient.case_id)
            .join(CaseMember, (CaseMember.case_id == Case.id) & (CaseMember.user_id == viewer.id))
            .where(AccuracyRecipient.agency_id.in_(own))  # type: ignore[union-attr]
            .order_by(AccuracyRound.due_on, AccuracyRecipient.id)
        ).all()
        comments = _comments(session, [r[0].id for r in rows])
        return [
            {**_recipient_view(r, comments.get(r.id or 0, [])), "case_ref": ref, **_round_dates(round_, ctx.today())}
            for r, round_, ref in rows
        ]


def open_comment_file(ctx: AppContext, ref: str, comment_id: int, viewer: User | None) -> AccuracyComment:
    """A comment's file, if the viewer may see the answer it came with; reading it is audited."""
    with ctx.db.write() as session:
        case = load_case(session, ref, viewer)
        found = session.execute(
            select(AccuracyComment, AccuracyRecipient.agency_id)
            .join(AccuracyRecipient, AccuracyRecipient.id == AccuracyComment.recipient_id)
            .where(AccuracyComment.id == comment_id, AccuracyComment.case_id == case.id)
        ).first()
        own = _own_agencies(session, viewer)
        if found is None or found[0].content is None or (own is not None and found[1] not in own):
            raise NotFound(f"no file with factual-accuracy comment {comment_id} on {case.ref}")
        comment = found[0]
        audit.append(
            session,
            actor=viewer.email if viewer is not None else "system",
            action="accuracy_file_opened",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"comment_id": comment.id},
        )
        session.expunge(comment)
        return comment  # type: ignore[no-any-return]


def round_views(session: Session, case: Case, own: set[int] | None, today: date) -> list[dict[str, Any]]:
    """Each round with its recipients; `own` limits them to those agencies (an agency contact's view)."""
    views = []
    for round_, version in session.execute(
        select(AccuracyRound, GeneratedDocument.version)
        .join(GeneratedDocument, GeneratedDocument.id == AccuracyRound.document_id)
        .where(AccuracyRound.case_id == case.id)
        .order_by(AccuracyRound.id.desc())  # type: ignore[union-attr]
    ):
        query = select(AccuracyRecipient).where(AccuracyRecipient.round_id == round_.id)
        if own is not None:
            query = query.where(AccuracyRecipient.agency_id.in_(own))  # type: ignore[union-attr]
        recipients = list(
            session.scalars(query.order_by(AccuracyRecipient.agency_id.is_(None), AccuracyRecipient.name))
        )  # type: ignore[union-attr]
        comments = _comments(session, [r.id for r in recipients])
        views.append(
            {
                "id": round_.id,
                "version": version,
                "circulated_on": round_.circulated_on,
                "circulated_by": round_.circulated_by,
                **_round_dates(round_, today),
                "recipients": [_recipient_view(r, comments.get(r.id or 0, [])) for r in recipients],
                "awaited": sum(1 for r in recipients if r.status == "awaited"),
            }
        )
    return views


def _round_dates(round_: AccuracyRound, today: date) -> dict[str, Any]:
    return {
        "round_id": round_.id,
        "due_on": round_.due_on,
        "closed_on": round_.closed_on,
        "open": round_.closed_on is None,
        "past_deadline": today > round_.due_on,
    }


def _recipient_view(r: AccuracyRecipient, comments: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": r.id,
        "name": r.name,
        "agency": r.agency_id is not None,
        "evidence_request_id": r.evidence_request_id,
        "status": r.status,
        "status_label": STATUS_LABELS[r.status],
        "answered": r.status in ANSWERED,
        "awaited": r.status == "awaited",
        "answered_on": r.answered_on,
        "answered_by": r.answered_by,
        "comments": comments,
    }


def _comments(session: Session, recipient_ids: list[int | None]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    if not recipient_ids:
        return found
    for c in session.scalars(
        select(AccuracyComment)
        .where(AccuracyComment.recipient_id.in_(recipient_ids))  # type: ignore[attr-defined]
        .order_by(AccuracyComment.id)
    ):
        found.setdefault(c.recipient_id, []).append(
            {
                "id": c.id,
                "text": c.text,
                "filename": c.filename,
                "size": c.size,
                "response": c.response,
                "responded_by": c.responded_by,
                "responded_on": c.responded_on,
            }
        )
    return found


def _own_agencies(session: Session, viewer: User | None) -> set[int] | None:
    """None for everyone who sees the whole round; an agency contact's agencies otherwise."""
    if viewer is None or viewer.role != "agency_contact":
        return None
    return agencies_of(session, viewer)

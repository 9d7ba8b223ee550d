"""Sharing the draft with the family: which stored version of a document (documents/versions.py) was shared with
which family member, when and how, and their response if they gave one. Only a version of this case's documents can
be recorded, so the record always points at exactly the text the family saw."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case, Party
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import NotFound
from dhr_workflow.core.text import clean_text, is_id
from dhr_workflow.documents.catalogue import catalogue
from dhr_workflow.documents.tables import GeneratedDocument
from dhr_workflow.family.fields import SHARE_WAYS, acting, choice, member_for, must_know, past_day
from dhr_workflow.family.tables import FamilyDraftShare, FamilyMember
from dhr_workflow.people.tables import User


def share_draft(
    ctx: AppContext,
    ref: str,
    party_id: int,
    *,
    version_id: int,
    on: date | None = None,
    how: str | None = None,
    response: str | None = None,
    by: str | None = None,
) -> FamilyDraftShare:
    """Record that stored document version `version_id` (its id, as `dhr docs versions` lists) was shared with family
    member `party_id` on `on` (default today), `how`, and optionally what they said about it."""
    way = choice(how or "email", SHARE_WAYS, "a way of sharing")
    day = past_day(on or ctx.today(), ctx.today(), "the day it was shared")
    said = clean_text(response or "", "their response", 4000, required=False) or None
    with ctx.db.write() as session:
        label = acting(session, by)
        case = load_case(session, ref)
        member = member_for(session, case, party_id)
        version = _version_of(session, case, version_id)
        row = FamilyDraftShare(
            case_id=case.id or 0,
            member_id=member.id or 0,
            document_id=version.id or 0,
            shared_on=day,
            how=way or "email",
            response=said,
            recorded_by=label,
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            actor=label,
            action="family_draft_shared",
            occurred_on=day,
            case_id=case.id,
            payload={"party_id": party_id, "document_id": version.id, "share_id": row.id, "how": way},
        )
        return row


def _version_of(session: Session, case: Case, version_id: int) -> GeneratedDocument:
    version = session.get(GeneratedDocument, version_id) if is_id(version_id) else None
    if version is None or version.case_id != case.id:
        raise NotFound(f"{case.ref} has no stored document version {version_id}; `dhr docs versions` lists them")
    return version


def draft_versions(ctx: AppContext, ref: str, *, viewer: User | None = None) -> list[dict[str, Any]]:
    """The stored versions of the case's publication documents (the drafts a family is shown), newest first."""
    must_know(viewer)
    titles = {name: info.title for name, info in catalogue().items() if info.publication}
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        rows = session.scalars(
            select(GeneratedDocument)
            .where(GeneratedDocument.case_id == case.id, GeneratedDocument.template.in_(titles))  # type: ignore[attr-defined]
            .order_by(GeneratedDocument.id.desc())  # type: ignore[union-attr]
        )
        return [
            {
                "id": d.id,
                "title": titles[d.template],
                "version": d.version,
                "made_on": d.generated_at.date().isoformat(),
            }
            for d in rows
        ]


def shared_drafts_of(ctx: AppContext, ref: str, *, viewer: User | None = None) -> list[dict[str, Any]]:
    """Every draft version shared with the family, oldest first (need to know: it names them)."""
    must_know(viewer)
    with ctx.db.read() as session:
        return shares_in(session, load_case(session, ref, viewer))


def shares_in(session: Session, case: Case) -> list[dict[str, Any]]:
    rows = session.execute(
        select(FamilyDraftShare, GeneratedDocument, Party)
        .join(GeneratedDocument, GeneratedDocument.id == FamilyDraftShare.document_id)
        .join(FamilyMember, FamilyMember.id == FamilyDraftShare.member_id)
        .join(Party, Party.id == FamilyMember.party_id)
        .where(FamilyDraftShare.case_id == case.id)
        .order_by(FamilyDraftShare.shared_on, FamilyDraftShare.id)
    ).all()
    titles = {name: info.title for name, info in catalogue().items()}
    return [
        {
            "id": s.id,
            "party_id": p.id,
            "name": p.real_name,
            "pseudonym": p.pseudonym,
            "document_id": d.id,
            "template": d.template,
            "title": titles.get(d.template, d.template),
            "version": d.version,
            "on": s.shared_on.isoformat(),
            "how": s.how,
            "response": s.response,
        }
        for s, d, p in rows
    ]

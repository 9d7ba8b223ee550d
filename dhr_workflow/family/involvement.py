"""Recording the family's involvement. Each change is one transaction with its audit event (payloads carry ids and
choices, never names or what was discussed). The contact log is need to know: only roles that see real names read
it, and each reading through a page is itself audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case, Party
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text, is_id, not_in_future
from dhr_workflow.documents.context import add_context_provider
from dhr_workflow.family.tables import FamilyContact, FamilyMember
from dhr_workflow.people.roles import may_change_cases, sees_real_names
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import actor_for

ADVOCATES = {
    "aafda": "AAFDA (Advocacy After Fatal Domestic Abuse)",
    "other": "Another specialist service",
    "none": "None",
}
CONTACT_WAYS = ("visit", "phone", "letter", "email", "video")
YES_NO = ("yes", "no")


def _choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    if value is None or value == "":
        return None
    key = value.strip().lower()
    if key not in allowed:
        raise InvalidInput(f"'{value}' is not {what}; give one of {', '.join(allowed)}")
    return key


def _acting(session: Session, by: str | None) -> str:
    actor = actor_for(session, by)
    if actor.user is not None and not (may_change_cases(actor.user.role) and sees_real_names(actor.user.role)):
        raise NotPermitted("only the community safety team, the CSP chair and the reviewer record the family's details")
    return actor.label


def add_member(
    ctx: AppContext,
    ref: str,
    *,
    name: str,
    relationship: str,
    advocate: str = "none",
    wants_involvement: str | None = None,
    pseudonym: str | None = None,
    language: str | None = None,
    accessibility_needs: str | None = None,
    contact_preference: str | None = None,
    by: str | None = None,
) -> FamilyMember:
    """A family member or friend of the person who died, as a party of the case with their involvement wishes."""
    real = clean_text(name, "the name", 200)
    related = clean_text(relationship, "the relationship", 200)
    kind_of_advocate = _choice(advocate, tuple(ADVOCATES), "an advocate choice") or "none"
    wants = _choice(wants_involvement, YES_NO, "yes or no")
    optional = {
        "language": clean_text(language, "the language", 100) if language else None,
        "accessibility_needs": clean_text(accessibility_needs, "the needs", 500) if accessibility_needs else None,
        "contact_preference": clean_text(contact_preference, "how to contact", 500) if contact_preference else None,
    }
    with ctx.db.write() as session:
        label = _acting(session, by)
        case = load_case(session, ref)
        count = session.scalar(select(func.count()).select_from(FamilyMember).where(FamilyMember.case_id == case.id))
        alias = clean_text(pseudonym, "the pseudonym", 100) if pseudonym else f"Family member {(count or 0) + 1}"
        if alias.lower() in real.lower().split():
            raise InvalidInput("the pseudonym must not be part of the person's real name")
        taken = session.scalar(
            select(Party.id).where(Party.case_id == case.id, func.lower(Party.pseudonym) == alias.lower())
        )
        if taken is not None:
            raise InvalidInput(f"the pseudonym '{alias}' is already used in {case.ref}: each person needs their own")
        party = Party(case_id=case.id or 0, kind="family", real_name=real, pseudonym=alias, relationship=related)
        session.add(party)
        session.flush()
        member = FamilyMember(
            case_id=case.id or 0,
            party_id=party.id or 0,
            advocate=kind_of_advocate,
            wants_involvement=wants,
            created_by=label,
            **optional,
        )
        session.add(member)
        case.updated_at = utcnow()  # a new name: published text must be checked again
        session.flush()
        audit.append(
            session,
            actor=label,
            action="family_member_added",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"party_id": party.id, "member_id": member.id, "advocate": kind_of_advocate, "wants": wants},
        )
        return member


def record_contact(
    ctx: AppContext, ref: str, party_id: int, *, on: date, how: str, note: str, by: str | None = None
) -> FamilyContact:
    """A contact with family member `party_id` (their party's id): when, who (`by`), how and what was discussed."""
    way = _choice(how, CONTACT_WAYS, "a way of contact")
    if way is None:
        raise InvalidInput(f"say how the contact happened: {', '.join(CONTACT_WAYS)}")
    day = not_in_future(on, ctx.today(), "--on")
    text = clean_text(note, "what was discussed", 4000)
    with ctx.db.write() as session:
        label = _acting(session, by)
        case = load_case(session, ref)
        found = select(FamilyMember).where(FamilyMember.party_id == party_id)
        member = session.scalars(found).first() if is_id(party_id) else None
        if member is None or member.case_id != case.id:
            raise NotFound(f"{case.ref} has no family member {party_id}; `dhr family list {case.ref}` lists them")
        contact = FamilyContact(
            case_id=case.id or 0, member_id=member.id or 0, occurred_on=day, contact_by=label, how=way, note=text
        )
        session.add(contact)
        session.flush()
        audit.append(
            session,
            actor=label,
            action="family_contact_recorded",
            occurred_on=day,
            case_id=case.id,
            payload={"member_id": member.id, "contact_id": contact.id, "how": way},
        )
        return contact


def _must_know(viewer: User | None) -> None:
    if viewer is not None and not sees_real_names(viewer.role):
        raise NotFound("no such record, or you do not have access to it")


def members_of(ctx: AppContext, ref: str, *, viewer: User | None = None) -> list[dict[str, Any]]:
    _must_know(viewer)
    with ctx.db.read() as session:
        return _members(session, load_case(session, ref, viewer))


def _members(session: Session, case: Case) -> list[dict[str, Any]]:
    rows = session.execute(
        select(FamilyMember, Party)
        .join(Party, Party.id == FamilyMember.party_id)
        .where(FamilyMember.case_id == case.id)
        .order_by(FamilyMember.id)
    ).all()
    return [
        {
            "id": p.id,  # the party's id: what `dhr family contact --party` takes
            "member_id": m.id,
            "name": p.real_name,
            "pseudonym": p.pseudonym,
            "relationship": p.relationship,
            "wants_involvement": m.wants_involvement,
            "advocate": m.advocate,
            "advocate_label": ADVOCATES[m.advocate],
            "language": m.language,
            "accessibility_needs": m.accessibility_needs,
            "contact_preference": m.contact_preference,
        }
        for m, p in rows
    ]


def contacts_of(
    ctx: AppContext, ref: str, *, viewer: User | None = None, audit_read: bool = True
) -> list[dict[str, Any]]:
    """The contact log, newest first. Need to know: a person's reading of it is audited (the case page, which audits
    its own reading of real names, passes audit_read=False)."""
    _must_know(viewer)
    with ctx.db.write() as session:
        case = load_case(session, ref, viewer)
        members = {m["member_id"]: m for m in _members(session, case)}
        contacts = session.scalars(
            select(FamilyContact)
            .where(FamilyContact.case_id == case.id)
            .order_by(FamilyContact.occurred_on.desc(), FamilyContact.id.desc())  # type: ignore[attr-defined]
        )
        out = [
            {
                "id": c.id,
                "party_id": members[c.member_id]["id"],
                "with": members[c.member_id]["name"],
                "on": c.occurred_on.isoformat(),
                "by": c.contact_by,
                "how": c.how,
                "note": c.note,
            }
            for c in contacts
        ]
        if viewer is not None and audit_read:
            audit.append(
                session,
                actor=viewer.email,
                action="viewed_family_contacts",
                occurred_on=ctx.today(),
                case_id=case.id,
                payload={},
            )
        return out


def document_data(session: Session, case: Case, publication: bool) -> dict[str, Any]:
    """The family letter follows the recorded language and format needs, and names the advocacy offered."""
    everyone = _members(session, case)
    members = [] if publication else everyone
    languages = sorted({m["language"] for m in members if m["language"]})
    needs = sorted({m["accessibility_needs"] for m in members if m["accessibility_needs"]})
    summary = {  # counts only: the overview report's account of the family's involvement names no one
        "invited": len(everyone),
        "taking_part": sum(1 for m in everyone if m["wants_involvement"] == "yes"),
        "advocates": sorted({m["advocate_label"] for m in everyone if m["advocate"] != "none"}),
    }
    return {"family": {"members": members, "languages": languages, "needs": needs, "summary": summary}}


add_context_provider(document_data)

"""Recording the family's involvement. Each change is one transaction with its audit event (payloads carry ids and
choices, never names or what was discussed). The contact log is need to know: only roles that see real names read
it, and each reading through a page is itself audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Party
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text
from dhr_workflow.documents.context import add_context_provider
from dhr_workflow.family.document_data import document_data
from dhr_workflow.family.drafts import shares_in
from dhr_workflow.family.fields import (
    ADVOCATES,
    CONTACT_WAYS,
    YES_NO,
    acting,
    choice,
    member_for,
    member_rows,
    must_know,
    past_day,
)
from dhr_workflow.family.tables import FamilyContact, FamilyMember
from dhr_workflow.family.tor_input import inputs_in
from dhr_workflow.family.wishes import checked, consistent
from dhr_workflow.people.tables import User

__all__ = [
    "ADVOCATES",
    "CONTACT_WAYS",
    "YES_NO",
    "add_member",
    "contacts_of",
    "document_data",
    "member_of",
    "members_of",
]


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
    **more: str | None,
) -> FamilyMember:
    """A family member or friend of the person who died, as a party of the case with their involvement wishes
    (`more`: any other field of family.wishes.FIELDS, e.g. document_format="large-print")."""
    real = clean_text(name, "the name", 200)
    given = {
        "relationship": relationship,
        "advocate": advocate or "none",
        "wants_involvement": wants_involvement,
        "language": language,
        "accessibility_needs": accessibility_needs,
        "contact_preference": contact_preference,
        **more,
    }
    wishes = checked(given)
    related = wishes.pop("relationship")
    kind_of_advocate = wishes["advocate"] or "none"
    wants = wishes.get("wants_involvement")
    with ctx.db.write() as session:
        label = acting(session, by)
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
        member = FamilyMember(case_id=case.id or 0, party_id=party.id or 0, created_by=label, **wishes)
        consistent(member, {k for k, v in more.items() if v is not None})  # the binding flags as they always were
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
    way = choice(how, CONTACT_WAYS, "a way of contact")
    if way is None:
        raise InvalidInput(f"say how the contact happened: {', '.join(CONTACT_WAYS)}")
    day = past_day(on, ctx.today(), "--on")
    text = clean_text(note, "what was discussed", 4000)
    with ctx.db.write() as session:
        label = acting(session, by)
        case = load_case(session, ref)
        member = member_for(session, case, party_id)
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


def members_of(ctx: AppContext, ref: str, *, viewer: User | None = None) -> list[dict[str, Any]]:
    """The family members with their wishes, each with what they asked the review to consider (`tor_input`) and the
    draft versions shared with them (`drafts_shared`). Need to know."""
    must_know(viewer)
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        members = member_rows(session, case)
        inputs, shares = inputs_in(session, case), shares_in(session, case)
    for m in members:
        m["tor_input"] = [i for i in inputs if i["party_id"] == m["id"]]
        m["drafts_shared"] = [d for d in shares if d["party_id"] == m["id"]]
    return members


def member_of(ctx: AppContext, ref: str, party_id: int, *, viewer: User) -> dict[str, Any]:
    """One family member, as a person reads it on their page: need to know, and the reading is audited."""
    must_know(viewer)
    with ctx.db.write() as session:
        case = load_case(session, ref, viewer)
        member_for(session, case, party_id)  # NotFound for another case's party
        found = next(m for m in member_rows(session, case) if m["id"] == party_id)
        found["tor_input"] = [i for i in inputs_in(session, case) if i["party_id"] == party_id]
        found["drafts_shared"] = [d for d in shares_in(session, case) if d["party_id"] == party_id]
        audit.append(
            session,
            actor=viewer.email,
            action="viewed_family_member",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"party_id": party_id},
        )
        return found


def contacts_of(
    ctx: AppContext, ref: str, *, viewer: User | None = None, audit_read: bool = True
) -> list[dict[str, Any]]:
    """The contact log, newest first. Need to know: a person's reading of it is audited (the case page, which audits
    its own reading of real names, passes audit_read=False)."""
    must_know(viewer)
    with ctx.db.write() as session:
        case = load_case(session, ref, viewer)
        members = {m["member_id"]: m for m in member_rows(session, case)}
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


add_context_provider(document_data)

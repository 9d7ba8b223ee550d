"""What the family's records may hold, and the checks every family use case shares: the choices offered, who may
record the family's details, who may read them (need to know) and finding a member of a case by their party id."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases.tables import Case, Party
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.text import in_supported_range, is_id, not_in_future
from dhr_workflow.family.tables import FamilyMember
from dhr_workflow.people.roles import CASE_CHANGER_ROLES, REAL_NAME_ROLES, may_change_cases, sees_real_names
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import actor_for, user_by_email

ADVOCATES = {
    "aafda": "AAFDA (Advocacy After Fatal Domestic Abuse)",
    "other": "Another specialist service",
    "none": "None",
}
CONTACT_WAYS = ("visit", "phone", "letter", "email", "video")
YES_NO = ("yes", "no")
# The format a member wants documents in, and the document variant and file format it maps to
# (documents/pipeline.VARIANTS; "word" is a standard Word document, which screen readers and plain-text tools read).
DOCUMENT_FORMATS = {
    "standard": "Standard print",
    "large-print": "Large print",
    "easy-read": "Easy read",
    "word": "Plain text or Word",
}
FORMAT_VARIANTS = {"standard": "standard", "large-print": "large-print", "easy-read": "easy-read", "word": "standard"}
FORMAT_FILES = {"standard": "pdf", "large-print": "pdf", "easy-read": "pdf", "word": "docx"}
PSEUDONYM_CONSENT = {
    "consented": "Agreed to the pseudonym",
    "declined": "Did not agree to the pseudonym",
    "not_asked": "Not asked",
    "chair_chose": "The chair chose the pseudonym",
}
SHARE_WAYS = ("meeting", "post", "email", "secure-link")


def choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    """`value` as one of `allowed` (case and the spelling with - or _ forgiven); None when not given."""
    if value is None or value == "":
        return None
    key = value.strip().lower()
    if key not in allowed:
        key = next((a for a in allowed if a.replace("_", "-") == key.replace("_", "-")), key)
    if key not in allowed:
        raise InvalidInput(f"'{value}' is not {what}; give one of {', '.join(allowed)}")
    return key


def past_day(day: date, today: date, what: str) -> date:
    """A day something happened: within the supported years and not after today."""
    return not_in_future(in_supported_range(day, what), today, what)


def acting(session: Session, by: str | None) -> str:
    """Who records the family's details: only roles that change cases and see real names."""
    actor = actor_for(session, by)
    if actor.user is not None and not (may_change_cases(actor.user.role) and sees_real_names(actor.user.role)):
        raise NotPermitted(
            "only the community safety team, the CSP chair and the reviewer record the family's details",
            sorted(CASE_CHANGER_ROLES & REAL_NAME_ROLES),
        )
    return actor.label


def must_know(viewer: User | None) -> None:
    """Need to know: a role that does not see real names is told the family's records do not exist."""
    if viewer is not None and not sees_real_names(viewer.role):
        raise NotFound("no such record, or you do not have access to it")


def reader(ctx: AppContext, email: str | None) -> User | None:
    """The person a command reads the family's records as (`--as`); None: the system operator."""
    if email is None:
        return None
    with ctx.db.read() as session:
        person = user_by_email(session, email)
        session.expunge(person)
        return person


def member_for(session: Session, case: Case, party_id: int) -> FamilyMember:
    found = select(FamilyMember).where(FamilyMember.party_id == party_id)
    member = session.scalars(found).first() if is_id(party_id) else None  # a huge id is "not found", not a crash
    if member is None or member.case_id != case.id:
        raise NotFound(f"{case.ref} has no family member {party_id}; `dhr family list {case.ref}` lists them")
    return member


def member_rows(session: Session, case: Case) -> list[dict[str, Any]]:
    """Every family member of `case` with their wishes, in the order they were added."""
    rows = session.execute(
        select(FamilyMember, Party)
        .join(Party, Party.id == FamilyMember.party_id)
        .where(FamilyMember.case_id == case.id)
        .order_by(FamilyMember.id)
    ).all()
    return [_row(m, p) for m, p in rows]


def _row(m: FamilyMember, p: Party) -> dict[str, Any]:
    fmt = m.document_format or "standard"
    return {
        "id": p.id,  # the party's id: what `dhr family contact --party` takes
        "member_id": m.id,
        "name": p.real_name,
        "pseudonym": p.pseudonym,
        "relationship": p.relationship,
        "wants_involvement": m.wants_involvement,
        "advocate": m.advocate,
        "advocate_label": ADVOCATES[m.advocate],
        "advocate_name": m.advocate_name,
        "language": m.language,
        "accessibility_needs": m.accessibility_needs,
        "document_format": fmt,
        "document_format_label": DOCUMENT_FORMATS[fmt],
        "contact_preference": m.contact_preference,
        "pseudonym_consent": m.pseudonym_consent or "not_asked",
        "pseudonym_consent_label": PSEUDONYM_CONSENT[m.pseudonym_consent or "not_asked"],
        "pseudonym_reason": m.pseudonym_reason,
        "thanked_by_name": m.thanked_by_name,
    }

"""How a family member wants to be involved, checked and changed: relationship, how and when to contact them,
language and accessibility needs with the document format they want, whether they take part, their advocate, their
consent to the pseudonym (or the chair's choice and why) and whether they want to be thanked by name.

A value of None leaves a field as it is; an empty text clears it."""

from __future__ import annotations

from typing import Any

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Party
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text
from dhr_workflow.family.fields import (
    ADVOCATES,
    DOCUMENT_FORMATS,
    PSEUDONYM_CONSENT,
    YES_NO,
    acting,
    choice,
    member_for,
)
from dhr_workflow.family.tables import FamilyMember

TEXTS = {  # field: (what it is called in a refusal, longest allowed, one line only)
    "contact_preference": ("how and when to contact them", 500, True),
    "language": ("the language", 100, True),
    "accessibility_needs": ("the accessibility needs", 500, False),
    "advocate_name": ("the specialist service's name", 200, True),
    "pseudonym_reason": ("why the chair chose the pseudonym", 500, False),
}
CHOICES = {
    "wants_involvement": (YES_NO, "yes or no"),
    "advocate": (tuple(ADVOCATES), "an advocate choice"),
    "document_format": (tuple(DOCUMENT_FORMATS), "a document format"),
    "pseudonym_consent": (tuple(PSEUDONYM_CONSENT), "a pseudonym consent"),
}
FIELDS = ("relationship", *TEXTS, *CHOICES, "thanked_by_name")


def checked(changes: dict[str, str | None]) -> dict[str, Any]:
    """Each given value checked as hostile input and turned into what is stored ("" clears an optional field)."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise InvalidInput(f"a family member has no {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if value is None:
            continue
        if name == "relationship":
            out[name] = clean_text(value, "the relationship", 200)
        elif name in TEXTS:
            what, longest, one_line = TEXTS[name]
            cleaned = clean_text(value, what, longest, required=False, single_line=one_line)
            if value and not cleaned:  # typed, yet blank: spaces or invisible characters are refused, "" clears
                raise InvalidInput(f"{what} has only spaces or invisible characters: type it, or leave it empty")
            out[name] = cleaned or None
        elif name == "thanked_by_name":
            answer = choice(value, YES_NO, "yes or no")
            out[name] = None if answer is None else answer == "yes"
        else:
            allowed, what = CHOICES[name]
            out[name] = choice(value, allowed, what)
    return out


def consistent(member: FamilyMember, changed: set[str]) -> None:
    """The rules between fields, checked on the member as it will be stored, for the pairs this change touches
    (`dhr family add --advocate other` names no service, and must keep working: the name is asked for when the
    advocate or its name is changed)."""
    if {"advocate", "advocate_name"} & changed and member.advocate == "other" and not member.advocate_name:
        raise InvalidInput("name the other specialist service that advocates for them")
    if member.advocate != "other":
        member.advocate_name = None
    if member.pseudonym_consent == "chair_chose" and not member.pseudonym_reason:
        raise InvalidInput("say why the chair chose the pseudonym")
    if member.pseudonym_consent in (None, "consented", "not_asked"):
        member.pseudonym_reason = None


def update_member(
    ctx: AppContext, ref: str, party_id: int, *, by: str | None = None, **changes: str | None
) -> dict[str, Any]:
    """Change any of a family member's wishes (FIELDS); returns the fields that changed. One transaction with its
    audit event, which names the fields changed, never their values."""
    values = checked(changes)
    with ctx.db.write() as session:
        label = acting(session, by)
        case = load_case(session, ref)
        member = member_for(session, case, party_id)
        party = session.get(Party, member.party_id)
        assert party is not None
        if "relationship" in values:
            party.relationship = values.pop("relationship")
        for name, value in values.items():
            if name == "advocate" and value is None:
                value = "none"
            setattr(member, name, value)
        consistent(member, set(values))
        case.updated_at = utcnow()  # what the documents say may change: published text must be checked again
        session.flush()
        changed = sorted(n for n in changes if changes[n] is not None)
        audit.append(
            session,
            actor=label,
            action="family_member_updated",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"party_id": party_id, "fields": changed},
        )
        return {"party_id": party_id, "changed": changed}

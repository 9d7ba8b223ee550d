"""The family's involvement: one row per family member or friend (beside their Party row), the contact log, what
they asked the review to consider (the terms of reference record it) and which draft version was shared with them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import utcnow


class FamilyMember(SQLModel, table=True):
    """How a family member or friend of the person who died wants to be involved. Their name is on their Party row."""

    __tablename__ = "family_member"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    party_id: int = Field(foreign_key="party.id", unique=True)
    contact_preference: str | None = Field(default=None, max_length=500)  # how and when they want to be contacted
    language: str | None = Field(default=None, max_length=100)
    accessibility_needs: str | None = Field(default=None, max_length=500)
    document_format: str | None = Field(default=None, max_length=20)  # standard, large-print, easy-read, word
    wants_involvement: str | None = Field(default=None, max_length=10)  # yes, no; None: not asked yet
    advocate: str = Field(default="none", max_length=10)  # aafda, other, none
    advocate_name: str | None = Field(default=None, max_length=200)  # the other specialist service
    # consented, declined, not_asked, chair_chose; None: not asked yet
    pseudonym_consent: str | None = Field(default=None, max_length=20)
    pseudonym_reason: str | None = Field(default=None, max_length=500)  # why the chair chose it
    thanked_by_name: bool | None = None
    created_by: str = Field(max_length=320)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))  # type: ignore[call-overload]


class FamilyContact(SQLModel, table=True):
    """One contact with a family member: when, who, how and what was discussed (need to know)."""

    __tablename__ = "family_contact"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    member_id: int = Field(foreign_key="family_member.id", index=True)
    occurred_on: date
    contact_by: str = Field(max_length=320)
    how: str = Field(max_length=10)  # visit, phone, letter, email, video
    note: str = Field(max_length=4000)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))  # type: ignore[call-overload]


class FamilyTorInput(SQLModel, table=True):
    """What a family member asked the review to consider, recorded in the terms of reference."""

    __tablename__ = "family_tor_input"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    member_id: int = Field(foreign_key="family_member.id", index=True)
    received_on: date
    text: str = Field(max_length=4000)
    recorded_by: str = Field(max_length=320)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))  # type: ignore[call-overload]


class FamilyDraftShare(SQLModel, table=True):
    """A stored version of a document (the draft report) shared with a family member: when, how, and their response."""

    __tablename__ = "family_draft_share"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    member_id: int = Field(foreign_key="family_member.id", index=True)
    document_id: int = Field(foreign_key="generated_document.id", index=True)
    shared_on: date
    how: str = Field(max_length=20)  # meeting, post, email, secure-link
    response: str | None = Field(default=None, max_length=4000)
    recorded_by: str = Field(max_length=320)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))  # type: ignore[call-overload]

"""The agencies' tables: the partnership's directory of agencies and who speaks for each, which agencies are in
scope on a case, and the evidence each is asked for (scoping returns, agency reports, chronologies, factual-accuracy
answers) with the files received and the extensions agreed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import instant_column


class Agency(SQLModel, table=True):
    """A partner agency: it is asked for evidence on reviews and owns Delivery Plan actions."""

    __tablename__ = "agency"
    __table_args__ = (UniqueConstraint("partnership_id", "slug"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=60)
    kind: str = Field(default="other", max_length=40, sa_column_kwargs={"server_default": "other"})


class AgencyContact(SQLModel, table=True):
    """Who speaks for an agency: they see and answer their agency's requests and update its actions."""

    __tablename__ = "agency_contact"
    __table_args__ = (UniqueConstraint("agency_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    user_id: int = Field(foreign_key="account.id", index=True)


class CaseAgency(SQLModel, table=True):
    """An agency in scope on a case, or taken out of scope (`removed_on` with the reason)."""

    __tablename__ = "case_agency"
    __table_args__ = (UniqueConstraint("case_id", "agency_id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    added_on: date
    added_by: str = Field(max_length=320)
    removed_on: date | None = None
    removed_reason: str | None = Field(default=None, max_length=2000)
    removed_by: str | None = Field(default=None, max_length=320)


class EvidenceRequest(SQLModel, table=True):
    """One request to one agency on one case for one kind of evidence, with its deadline and how it stands."""

    __tablename__ = "evidence_request"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    kind: str = Field(max_length=30)  # scoping_return, imr, chronology, factual_accuracy
    requested_on: date
    due_on: date
    status: str = Field(default="requested", max_length=20, index=True)
    status_on: date | None = None  # when it was received, returned nil, withdrawn or marked not required
    reason: str | None = Field(default=None, max_length=2000)  # why not required / withdrawn
    note: str | None = Field(default=None, max_length=2000)
    requested_by: str = Field(max_length=320)
    recorded_by: str | None = Field(default=None, max_length=320)
    created_at: datetime = instant_column()
    updated_at: datetime = instant_column()


class EvidenceExtension(SQLModel, table=True):
    """More time agreed for a request: who agreed it, why, and the dates before and after."""

    __tablename__ = "evidence_extension"
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="evidence_request.id", index=True)
    previous_due_on: date
    due_on: date
    agreed_by: str = Field(max_length=200)
    reason: str = Field(max_length=2000)
    recorded_by: str = Field(max_length=320)
    recorded_at: datetime = instant_column()


class EvidenceFile(SQLModel, table=True):
    """A file an agency sent for a request. Kept in the database, read only through need-to-know checks."""

    __tablename__ = "evidence_file"
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="evidence_request.id", index=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    filename: str = Field(max_length=200)
    media_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary)  # type: ignore[call-overload]
    uploaded_by: str = Field(max_length=320)
    uploaded_at: datetime = instant_column()


class ChronologyEntry(SQLModel, table=True):
    """One row of an agency's chronology, imported from its file; the merged chronology is every agency's rows in
    date, time and agency order. The coordinator may exclude an entry (a duplicate, out of the period) with a reason."""

    __tablename__ = "chronology_entry"
    __table_args__ = (Index("ix_chronology_entry_case_date", "case_id", "event_date"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id")
    agency_id: int = Field(foreign_key="agency.id", index=True)
    row_number: int  # the row in the agency's file, so a question about an entry can be traced back to it
    event_date: date
    event_time: str | None = Field(default=None, max_length=5)  # HH:MM, 24-hour clock
    event: str = Field(max_length=4000)
    source: str = Field(default="", max_length=300)
    excluded_reason: str | None = Field(default=None, max_length=2000)
    excluded_by: str | None = Field(default=None, max_length=320)
    imported_from: str = Field(max_length=200)  # the file's name
    imported_by: str = Field(max_length=320)
    imported_at: datetime = instant_column()

"""The factual-accuracy round's tables: a stored version of the draft overview report circulated with a deadline,
who it went to (in-scope agencies, each answering through an evidence request of kind factual_accuracy, and named
recipients outside the partnership's directory such as the police senior investigating officer or the CPS), each
answer's comments (text and/or a file) and the chair's response to each comment."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import instant_column


class AccuracyRound(SQLModel, table=True):
    """One circulation of a stored draft for factual accuracy. Open until closed; closing after the deadline records
    every answer still awaited as not answered."""

    __tablename__ = "accuracy_round"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    document_id: int = Field(foreign_key="generated_document.id")  # the stored version circulated
    circulated_on: date
    due_on: date
    closed_on: date | None = None
    circulated_by: str = Field(max_length=320)
    closed_by: str | None = Field(default=None, max_length=320)
    created_at: datetime = instant_column()


class AccuracyRecipient(SQLModel, table=True):
    """Who a round went to and how their answer stands: awaited, comments, no_comments or not_answered. An agency
    answers through its evidence request (which carries the reminders and chasers); a named recipient (no account
    here) has its answer recorded by the case's team."""

    __tablename__ = "accuracy_recipient"
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="accuracy_round.id", index=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    evidence_request_id: int | None = Field(default=None, foreign_key="evidence_request.id")
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    status: str = Field(default="awaited", max_length=20)
    answered_on: date | None = None
    answered_by: str | None = Field(default=None, max_length=320)


class AccuracyComment(SQLModel, table=True):
    """A recipient's comments: text, a file, or both (the file kept in the database and read only through need-to-know
    checks, every read audited), and the chair's response."""

    __tablename__ = "accuracy_comment"
    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(foreign_key="accuracy_recipient.id", index=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    text: str | None = Field(default=None, max_length=10000)
    filename: str | None = Field(default=None, max_length=200)
    media_type: str | None = Field(default=None, max_length=120)
    size: int | None = None
    sha256: str | None = Field(default=None, max_length=64)
    content: bytes | None = Field(default=None, sa_type=LargeBinary)  # type: ignore[call-overload]
    response: str | None = Field(default=None, max_length=10000)
    responded_by: str | None = Field(default=None, max_length=320)
    responded_on: date | None = None
    recorded_by: str = Field(max_length=320)
    recorded_at: datetime = instant_column()

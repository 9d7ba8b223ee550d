"""Home Office QA rounds and their items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import utcnow


class QaRound(SQLModel, table=True):
    """One feedback letter from the Home Office Quality Assurance Panel on one submission of the report."""

    __tablename__ = "qa_round"
    __table_args__ = (UniqueConstraint("case_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    number: int  # 1 for the feedback on the first submission, and so on
    letter_date: date | None = None
    meeting_date: date | None = None  # the QA panel meeting that considered the report
    created_by: str = Field(max_length=320)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))  # type: ignore[call-overload]


class QaItem(SQLModel, table=True):
    """One point of a feedback letter ("areas for final development"), and the partnership's response to it."""

    __tablename__ = "qa_item"
    __table_args__ = (UniqueConstraint("round_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="qa_round.id", index=True)
    number: int  # as numbered in the letter, within its round
    text: str = Field(max_length=4000)
    response: str | None = Field(default=None, max_length=4000)
    section: str | None = Field(default=None, max_length=500)  # where in the report it was addressed
    answered_on: date | None = None
    answered_by: str | None = Field(default=None, max_length=320)

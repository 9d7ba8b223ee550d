"""Chair-written report sections, one row per stored version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import utcnow


class ReportSection(SQLModel, table=True):
    """One version of one section of the overview report (or executive summary) of a case."""

    __tablename__ = "report_section"
    __table_args__ = (UniqueConstraint("case_id", "name", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    name: str = Field(max_length=40)  # sections.SECTIONS
    version: int
    text: str = Field(max_length=100000)
    written_by: str = Field(max_length=320)
    written_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))  # type: ignore[call-overload]

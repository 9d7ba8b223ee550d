"""Retention's table: legal holds on cases. A hold is never deleted: releasing it fills in who, when and why, so the
history of holds stays with the case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import instant_column


class LegalHold(SQLModel, table=True):
    """A legal hold on a case (live criminal proceedings, an inquest, a claim): while it is not released, none of the
    case's records is due for retention."""

    __tablename__ = "legal_hold"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    reason: str = Field(max_length=500)
    set_by: str = Field(max_length=320)
    set_at: datetime = instant_column()
    released_by: str | None = Field(default=None, max_length=320)
    released_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    release_reason: str | None = Field(default=None, max_length=500)

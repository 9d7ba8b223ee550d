"""Tables for generated documents, publication leak checks and accessible-format requests (issue 4)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import instant_column


class GeneratedDocument(SQLModel, table=True):
    """One version of one toolkit document for one case. `data` is the exact context it was rendered from (so every
    format and variant can be re-made identically) and `data_hash` its fingerprint, today's date left out."""

    __tablename__ = "generated_document"
    __table_args__ = (UniqueConstraint("case_id", "template", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    template: str = Field(max_length=60)
    version: int
    template_version: str = Field(max_length=40)
    data_hash: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    publication: bool = False
    generated_by: str = Field(max_length=320)
    generated_at: datetime = instant_column()


class DocumentFile(SQLModel, table=True):
    """The bytes of one format and variant of a document version: made by us, or uploaded (a final report)."""

    __tablename__ = "document_file"
    __table_args__ = (UniqueConstraint("document_id", "format", "variant"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="generated_document.id", index=True)
    format: str = Field(max_length=10)
    variant: str = Field(max_length=20)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    size: int
    source: str = Field(default="generated", max_length=20)  # generated, uploaded
    created_by: str = Field(max_length=320)
    created_at: datetime = instant_column()


class PublicationCheck(SQLModel, table=True):
    """One run of the leak check. `fingerprint` covers the case row version, its parties and every publication
    file checked: any later change makes the check stale and the publish guard fails until it is run again."""

    __tablename__ = "publication_check"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    clean: bool
    fingerprint: str = Field(max_length=64)
    covered: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    hits: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    ran_by: str = Field(max_length=320)
    ran_at: datetime = instant_column()


class AccessRequest(SQLModel, table=True):
    """A request for a document in an accessible format, from anyone, tracked to fulfilment against two deadlines."""

    __tablename__ = "access_request"
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="review_case.id", index=True)
    requester_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    postal_address: str | None = Field(default=None, max_length=500)
    document: str = Field(max_length=300)
    template: str | None = Field(default=None, max_length=60)
    format: str = Field(max_length=30)
    language: str | None = Field(default=None, max_length=100)
    details: str | None = Field(default=None, max_length=2000)
    status: str = Field(default="received", max_length=20)  # received, acknowledged, produced, fulfilled
    received_on: date
    acknowledge_by: date
    deliver_by: date
    acknowledged_on: date | None = None
    fulfilled_on: date | None = None
    supplier: str | None = Field(default=None, max_length=300)
    task_id: int | None = Field(default=None, foreign_key="task.id")
    document_file_id: int | None = Field(default=None, foreign_key="document_file.id")
    fulfilment_note: str | None = Field(default=None, max_length=2000)
    created_by: str = Field(max_length=320)
    created_at: datetime = instant_column()


class TaskDocument(SQLModel, table=True):
    """A stored document version shared with a task (a draft chronology for a panel member to comment on): the
    task's assignee may open exactly this version, and nothing else of the case's documents."""

    __tablename__ = "task_document"
    __table_args__ = (UniqueConstraint("task_id", "document_id"),)
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    document_id: int = Field(foreign_key="generated_document.id")
    shared_by: str = Field(max_length=320)
    shared_at: datetime = instant_column()


class SitePageVersion(SQLModel, table=True):
    """One saved version of a page about the service (the accessibility statement, the privacy notice): every
    version is kept, the latest is shown; until the first is saved the file named by settings is shown."""

    __tablename__ = "site_page_version"
    __table_args__ = (UniqueConstraint("kind", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True)
    version: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    saved_by: str = Field(max_length=320)
    saved_at: datetime = instant_column()

"""The whole schema, assembled: every capability's tables on one metadata, for Alembic and for tests that build a
database directly. Only this module (and the migration environment through it) imports every package's tables."""

from __future__ import annotations

from dhr_workflow.accuracy import tables as accuracy_tables
from dhr_workflow.agencies import tables as agencies_tables
from dhr_workflow.cases import tables as cases_tables
from dhr_workflow.core.tables import metadata
from dhr_workflow.documents import tables as documents_tables
from dhr_workflow.family import tables as family_tables
from dhr_workflow.findings import tables as findings_tables
from dhr_workflow.lessons import tables as lessons_tables
from dhr_workflow.people import tables as people_tables
from dhr_workflow.qa import tables as qa_tables
from dhr_workflow.retention import tables as retention_tables
from notifications import tables as notifications_tables
from notifications.ledger import tables as ledger_tables

TABLE_MODULES = (
    agencies_tables,
    cases_tables,
    documents_tables,
    lessons_tables,
    people_tables,
    notifications_tables,
    ledger_tables,
    qa_tables,
    family_tables,
    findings_tables,
    retention_tables,
    accuracy_tables,
)

__all__ = ["TABLE_MODULES", "metadata"]

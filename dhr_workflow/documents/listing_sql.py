"""`dhr docs list`'s statement, in SQLAlchemy Core (documents.listing runs it; core.plain_sql runs it without
SQLAlchemy on SQLite)."""

from __future__ import annotations

from sqlalchemy import DateTime, Integer, String, bindparam, column, select, table

# The columns of documents.tables.GeneratedDocument read here (tests/unit/test_read_models.py checks the names).
GENERATED = table(
    "generated_document",
    column("case_id", Integer),
    column("template", String),
    column("version", Integer),
    column("generated_by", String),
    column("generated_at", DateTime(timezone=True)),
)
VERSIONS = (
    select(GENERATED.c.template, GENERATED.c.version, GENERATED.c.generated_at, GENERATED.c.generated_by)
    .where(GENERATED.c.case_id == bindparam("case_id"))
    .order_by(GENERATED.c.template, GENERATED.c.version)
)

"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL, in one line."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from dhr_workflow import schema
from dhr_workflow.core.database import make_engine
from dhr_workflow.core.migrate import alembic_config


def test_the_revisions_form_one_line_with_a_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    assert [r.revision for r in script.walk_revisions()][-1] == "0001"


def test_the_migrated_database_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), schema.metadata)
    engine.dispose()
    assert diff == []

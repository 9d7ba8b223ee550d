"""Emptying PostgreSQL between tests (tests/postgres_reset.py) leaves what TRUNCATE ... RESTART IDENTITY left: every
table empty but the audit chain's head, every sequence back at its start, so ids and references start again."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.database import Database
from dhr_workflow.core.settings import Settings
from dhr_workflow.workflow.registry import WorkflowRegistry
from tests.conftest import REPO, TODAY
from tests.factories import add_people, new_case
from tests.postgres_reset import children_first, empty_database

pytestmark = [pytest.mark.postgres, pytest.mark.single_db]  # talks to PostgreSQL itself, so once is enough


def test_children_come_before_the_tables_they_reference() -> None:
    order = children_first(["a", "b", "c", "d"], [("b", "a"), ("c", "b"), ("d", "a")])
    assert sorted(order) == ["a", "b", "c", "d"]
    assert order.index("c") < order.index("b") < order.index("a")
    assert order.index("d") < order.index("a")


def counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        tables = [r[0] for r in conn.execute(text("select tablename from pg_tables where schemaname = 'public'"))]
        return {t: conn.execute(text(f'select count(*) from "{t}"')).scalar_one() for t in tables}


def used_sequences(db: Database) -> list[str]:
    query = "select sequencename from pg_sequences where schemaname = 'public' and last_value is not null"
    with db.engine.connect() as conn:
        return [r[0] for r in conn.execute(text(query))]


def fill(url: str) -> str:
    ctx = AppContext(
        settings=Settings(database_url=url, _env_file=None),  # type: ignore[call-arg]
        db=Database(url),
        workflows=WorkflowRegistry.from_directory(REPO / "workflows"),
        clock=lambda: TODAY,
    )
    add_people(ctx)
    ref = new_case(ctx, date(2026, 11, 2))
    ctx.db.dispose()
    return ref


def test_a_used_database_is_left_as_truncate_left_it(postgres_url: str) -> None:
    db = Database(postgres_url)
    empty_database(db)
    first_ref = fill(postgres_url)
    filled = counts(db)
    assert sum(1 for n in filled.values() if n) > 3, "the case should have written to several linked tables"
    assert used_sequences(db)

    empty_database(db)

    assert {t: n for t, n in counts(db).items() if n} == {"audit_head": 1, "alembic_version": 1}
    with db.engine.connect() as conn:
        assert conn.execute(text("select id, seq, hash from audit_head")).one() == (1, 0, "0" * 64)
    assert used_sequences(db) == []
    assert fill(postgres_url) == first_ref, "references and ids start again, as after RESTART IDENTITY"
    assert counts(db) == filled
    db.dispose()

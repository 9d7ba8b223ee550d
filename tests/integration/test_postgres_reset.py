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
from tests.postgres_reset import Snapshot, children_first, empty_database

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


def rows_of(snapshot: Snapshot) -> dict[str, list[bytes]]:
    """A table's rows as a sorted list: their order on disk is no part of what a table holds."""
    return {table: sorted(data.splitlines()) for table, data in snapshot.tables.items()}


def test_the_demo_put_back_from_a_snapshot_is_the_demo_as_seeded(postgres_url: str, monkeypatch) -> None:
    import argon2
    from argon2._password_hasher import PasswordHasher as RealHasher
    from argon2.profiles import CHEAPEST

    from dhr_workflow.demo.seed import seed
    from tests.postgres_reset import restore_snapshot, take_snapshot

    monkeypatch.setattr(argon2, "PasswordHasher", lambda: RealHasher.from_parameters(CHEAPEST))
    db = Database(postgres_url)
    empty_database(db)
    ctx = AppContext(
        settings=Settings(database_url=postgres_url, _env_file=None),  # type: ignore[call-arg]
        db=db,
        workflows=WorkflowRegistry.from_directory(REPO / "workflows"),
        clock=lambda: TODAY,
    )
    seed(ctx, "a-password-for-the-test")
    seeded = take_snapshot(db)
    assert len(seeded.tables) > 10 and seeded.sequences

    empty_database(db)
    restore_snapshot(db, seeded)

    put_back = take_snapshot(db)
    assert rows_of(put_back) == rows_of(seeded), "every row of every table, as seeded"
    assert put_back.sequences == seeded.sequences
    first_ref_after = new_case(ctx, date(2026, 11, 2))
    empty_database(db)
    restore_snapshot(db, seeded)
    assert new_case(ctx, date(2026, 11, 2)) == first_ref_after, "and it carries on from there the same way"
    db.dispose()

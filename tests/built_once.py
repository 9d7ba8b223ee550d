"""Data a set-up builds through the real services, built once per test process and put back for each later test.

Some fixtures walk a case to publication (which renders its documents) for every test: ~10 s of CPU each. The first
test builds it on its own database; the database is then kept (a copy of the SQLite file, or on PostgreSQL the rows in
COPY form, tests/postgres_reset.py) with what the set-up returned, and each later test gets its own copy of both, so a
test that changes the data changes only its copy. A test that moves `today` builds its own: the data depends on it.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from dhr_workflow.core.context import AppContext

T = TypeVar("T")


def built_once(request: pytest.FixtureRequest, ctx: AppContext, key: str, build: Callable[[AppContext], T]) -> T:
    """build(ctx) on this test's database the first time `key` is asked for in this process; its result after."""
    from tests.conftest import TEST_DB, TODAY

    if ctx.today() != TODAY:
        return build(ctx)
    kept: dict[str, object] = request.getfixturevalue("postgres_snapshots" if TEST_DB == "postgres" else "sqlite_kept")
    if TEST_DB == "postgres":
        return _on_postgres(kept, ctx, key, build)
    return _on_sqlite(kept, ctx, key, build, request.getfixturevalue("tmp_path_factory"))


def _on_postgres(kept: dict[str, object], ctx: AppContext, key: str, build: Callable[[AppContext], T]) -> T:
    from tests.postgres_reset import restore_snapshot, take_snapshot

    if key not in kept:
        result = build(ctx)
        kept[key] = (take_snapshot(ctx.db), copy.deepcopy(result))
        return result
    snapshot, result = kept[key]  # type: ignore[misc]
    restore_snapshot(ctx.db, snapshot)
    return copy.deepcopy(result)  # type: ignore[no-any-return]


def _on_sqlite(
    kept: dict[str, object],
    ctx: AppContext,
    key: str,
    build: Callable[[AppContext], T],
    tmp_path_factory: pytest.TempPathFactory,
) -> T:
    target = Path(ctx.settings.database_url.split("///", 1)[1])
    if key not in kept:
        result = build(ctx)
        ctx.db.dispose()  # closing the last connection checkpoints the WAL into the main file
        assert not Path(f"{target}-wal").exists() or Path(f"{target}-wal").stat().st_size == 0
        template = tmp_path_factory.mktemp("built") / "built.sqlite3"
        shutil.copyfile(target, template)
        kept[key] = (template, copy.deepcopy(result))
        return result
    template, result = kept[key]  # type: ignore[misc]
    ctx.db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return copy.deepcopy(result)  # type: ignore[no-any-return]

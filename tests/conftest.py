"""Shared fixtures. The database is SQLite unless DHR_TEST_DB=postgres (.ci/run runs the suite both ways).

`today` is fixed, so clocks and "not in the future" checks never depend on the day the tests run.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.database import Database
from dhr_workflow.core.migrate import upgrade
from dhr_workflow.core.settings import Settings
from dhr_workflow.workflow.registry import WorkflowRegistry
from tests.postgres_reset import empty_database
from tests.services import fresh_postgres_database

TODAY = date(2026, 11, 20)  # a Friday
REPO = Path(__file__).resolve().parent.parent
TEST_DB = os.environ.get("DHR_TEST_DB", "sqlite")


# The fixtures through which a test reaches the database under test; every fixture that does (ctx, cli, demo, app,
# client_for, mail_ctx, ...) requests one of them, so they are in the closure pytest computes (item.fixturenames).
DATABASE_FIXTURES = frozenset({"database_url", "postgres_url", "postgres_db"})


def reaches_database(item: pytest.Item) -> bool:
    return bool(DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass runs only the tests that reach the database: the rest would run there exactly as they do
    in the SQLite pass, which runs every test (issue 17: the PostgreSQL pass is for what PostgreSQL can change).

    Long tests go first, so that no worker starts one while the others run out of work (xdist hands tests out in
    collection order; the browser journey alone took minutes at the end of the run)."""
    if TEST_DB == "postgres":
        kept = [item for item in items if reaches_database(item)]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[item for item in items if not reaches_database(item)])
            items[:] = kept
    items.sort(key=expected_length, reverse=True)  # stable: otherwise collection order


def expected_length(item: pytest.Item) -> tuple[bool, float]:
    """Long first: tests marked slow or browser, the ones that declare a longer timeout before the others."""
    long = any(item.get_closest_marker(name) for name in ("slow", "browser"))
    timeout = item.get_closest_marker("timeout")
    return long, float(timeout.args[0]) if timeout and timeout.args else 0.0


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database for the whole session (tables are emptied between tests)."""
    with fresh_postgres_database() as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def postgres_db(postgres_url: str) -> Iterator[Database]:
    """One engine for emptying the session's database between tests."""
    db = Database(postgres_url)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def postgres_snapshots() -> dict[str, object]:
    """Data seeded once per test process and put back for each test that wants it (see tests/web/conftest.py)."""
    return {}


@pytest.fixture(scope="session")
def sqlite_kept() -> dict[str, object]:
    """SQLite files built once per test process and copied for each test that wants them (tests/built_once.py)."""
    return {}


@pytest.fixture(autouse=True)
def _own_handoff_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own SMTP hand-off journal: tests reuse idempotency keys, so a shared one would mix them."""
    monkeypatch.setenv("DHR_HANDOFF_DIR", str(tmp_path / "smtp-handoff"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database migrated per test process; each test gets a copy of the file (issue 17: running every
    migration for every test cost about a second a test, most of the SQLite suite's time)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:  # everything in the main file, so copying it alone copies it all
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if TEST_DB == "postgres":
        empty_database(request.getfixturevalue("postgres_db"))
        url: str = request.getfixturevalue("postgres_url")
        return url
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def ctx(database_url: str, today: date) -> Iterator[AppContext]:
    settings = Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]
    context = AppContext(
        settings=settings,
        db=Database(database_url),
        workflows=WorkflowRegistry.from_directory(REPO / "workflows"),
        clock=lambda: today,
    )
    yield context
    context.db.dispose()


@pytest.fixture
def cli(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Run `dhr ...` in-process against the test database: cli("case", "list", "--json")."""
    import typer.testing
    from typer.testing import CliRunner

    from dhr_workflow.cli.app import app
    from dhr_workflow.cli.common import use_context
    from tests.cli_runner import command_builder, memoising_applies

    if memoising_applies():  # the Click commands built once per process, not once per call (ADR 0062)
        monkeypatch.setattr(typer.testing, "_get_command", command_builder(app))
    runner = CliRunner()
    use_context(ctx)

    def run(*args: str, input: str | None = None):  # noqa: A002
        return runner.invoke(app, list(args), input=input)

    yield run
    use_context(None)

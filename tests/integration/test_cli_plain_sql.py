"""On SQLite, `dhr case list`, `dhr case show` and `dhr docs list` run their SQLAlchemy Core statements as SQL
text compiled earlier and cached, through the standard library's sqlite3 (core.plain_sql, ADR 0061): they must
give exactly what SQLAlchemy gives, never import it with a warm cache, and never use compiled text that no longer
fits the database, SQLAlchemy or our code. SQLite only, by nature: these tests make their own SQLite database."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, MetaData, String, Table, insert, select

from dhr_workflow.cases import detail_model, read_model
from dhr_workflow.cases.core_facts import CORE_FACT_SOURCES
from dhr_workflow.cli.contexts import read_context, read_with, use_context
from dhr_workflow.core import plain_sql
from dhr_workflow.core.context import AppContext, ReadContext, build_read_context
from dhr_workflow.core.database import Database
from dhr_workflow.core.disk_cache import load, store
from dhr_workflow.core.errors import NotFound
from dhr_workflow.core.plain_compile import compile_query, remember
from dhr_workflow.core.plain_sql import PlainEngine, PlainMiss, Query, open_plain
from dhr_workflow.core.settings import Settings
from dhr_workflow.demo.seed import DemoResult
from dhr_workflow.documents import listing
from dhr_workflow.workflow.registry import WorkflowRegistry
from tests.conftest import REPO, TODAY
from tests.web.conftest import seeded_sqlite  # noqa: F401 - the demo seeded once per test process

# SQLite only, whatever DHR_TEST_DB says: the plain runner exists for SQLite files, and these tests make their own.
pytestmark = pytest.mark.single_db

ROUND_TRIP_TABLE = Table(
    "plain_round_trip",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("day", Date),
    Column("at", DateTime(timezone=True)),
    Column("naive", DateTime),
    Column("flag", Boolean),
    Column("data", JSON),
    Column("text", String),
)
ROUND_TRIP = select(ROUND_TRIP_TABLE).order_by(ROUND_TRIP_TABLE.c.id)


@pytest.fixture
def sqlite_ctx(
    seeded_sqlite: tuple[Path, DemoResult],  # noqa: F811 - the fixture imported above
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[AppContext]:
    """A copy of this process's SQLite file with the demo partnership (whatever DHR_TEST_DB says: tests/web/conftest.py
    seeds it once, where each test here seeded its own, 2-2.7 s), and an empty cache."""
    monkeypatch.setenv("DHR_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "plain.sqlite3"
    shutil.copyfile(seeded_sqlite[0], path)
    url = f"sqlite:///{path}"
    context = AppContext(
        settings=Settings(database_url=url, _env_file=None),  # type: ignore[call-arg]
        db=Database(url),
        workflows=WorkflowRegistry.from_directory(REPO / "workflows"),
        clock=lambda: TODAY,
    )
    yield context
    context.db.dispose()


def _plain(ctx: AppContext) -> ReadContext:
    engine = open_plain(ctx.settings.database_url)
    assert isinstance(engine, PlainEngine)
    sqlalchemy = ReadContext.of(ctx)
    return ReadContext(engine, sqlalchemy.load_workflows, sqlalchemy.clock, sqlalchemy.load_plans)


def test_the_plain_reads_give_what_sqlalchemy_gives_for_every_demo_case(sqlite_ctx: AppContext) -> None:
    ctx = sqlite_ctx
    assert open_plain(ctx.settings.database_url) is None  # nothing compiled yet
    through_sqlalchemy = ReadContext.of(ctx)
    cases = read_model.list_cases(through_sqlalchemy)
    for case in cases:
        detail_model.case_detail(through_sqlalchemy, case["ref"])  # registers every statement `case show` uses
    remember(ctx.settings.database_url)
    plain = _plain(ctx)
    assert read_model.list_cases(plain) == cases
    assert read_model.list_cases(plain, state="evidence_gathering", overdue=True) == read_model.list_cases(
        through_sqlalchemy, state="evidence_gathering", overdue=True
    )
    for case in cases:
        expected = detail_model.case_detail(through_sqlalchemy, case["ref"])
        assert detail_model.case_detail(plain, case["ref"].lower()) == expected
        assert listing.list_documents(plain, case["ref"]) == listing.list_documents(through_sqlalchemy, case["ref"])
    assert any(d["generated_at"] for d in listing.list_documents(plain, cases[0]["ref"])), "a DateTime was read"


def test_every_statement_of_the_read_commands_compiles_for_the_plain_runner(sqlite_ctx: AppContext) -> None:
    importlib.import_module("dhr_workflow.documents.listing")
    for module in CORE_FACT_SOURCES.values():  # every fact with a Core reader
        importlib.import_module(module)
    read_model.list_cases(ReadContext.of(sqlite_ctx))
    ours = [q for name, q in plain_sql.REGISTRY.items() if name.startswith("dhr_workflow.")]
    assert len(ours) >= 17
    for query in ours:
        assert compile_query(query).sql, query.name


def test_values_read_plain_are_the_values_sqlalchemy_wrote_and_reads(sqlite_ctx: AppContext) -> None:
    engine = sqlite_ctx.db.engine
    ROUND_TRIP_TABLE.create(engine)
    rows = [
        {
            "id": 1,
            "day": date(2026, 2, 28),
            "at": datetime(2026, 3, 1, 9, 5, 7, 123456, tzinfo=UTC),
            "naive": datetime(2026, 3, 1, 23, 59, 59),
            "flag": True,
            "data": {"a": [1, "two", None], "b": {"c": False}},
            "text": "Ünïcode ‘quotes’",
        },
        {"id": 2, "day": None, "at": None, "naive": None, "flag": False, "data": None, "text": None},
        {"id": 3, "day": date(1999, 12, 31), "at": None, "naive": None, "flag": None, "data": [], "text": ""},
    ]
    with engine.begin() as connection:
        connection.execute(insert(ROUND_TRIP_TABLE), rows)
    query = Query(__name__, "ROUND_TRIP")
    with engine.connect() as connection:
        expected = [tuple(r) for r in query.run(connection).all()]
    compiled = {query.name: compile_query(query)}
    with PlainEngine(str(engine.url.database), compiled).read() as connection:
        got = [tuple(r) for r in query.run(connection).all()]
        assert query.run(connection).first()._fields == ("id", "day", "at", "naive", "flag", "data", "text")
    assert got == expected
    assert [[type(v) for v in r] for r in got] == [[type(v) for v in r] for r in expected]


def test_a_changed_migration_head_version_or_statement_module_is_a_miss(
    sqlite_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqlite_ctx.settings.database_url
    read_model.list_cases(ReadContext.of(sqlite_ctx))
    remember(url)
    assert isinstance(open_plain(url), PlainEngine)
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        (head,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        db.execute("UPDATE alembic_version SET version_num = 'a_newer_head'")
    db.close()
    assert open_plain(url) is None  # another schema: compiled again after the next read through SQLAlchemy
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = ?", (head,))
    db.close()
    assert isinstance(open_plain(url), PlainEngine)
    with monkeypatch.context() as patched:
        patched.setattr(plain_sql, "__version__", "99.0")
        assert open_plain(url) is None
    with monkeypatch.context() as patched:
        patched.setattr(plain_sql, "sqlalchemy_version", lambda: "99.0")
        assert open_plain(url) is None
    engine = open_plain(url)
    assert isinstance(engine, PlainEngine)
    with engine.read() as connection:
        assert read_model.CASE_BY_REF.run(connection, {"ref": "DHR-2025-001"}).first()
        monkeypatch.setattr(plain_sql, "source_digest", lambda _module: "an edited read_sql.py")
        with pytest.raises(PlainMiss):
            read_model.CASE_BY_REF.run(connection, {"ref": "DHR-2025-001"})


def _dhr(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[str, bool]:
    """`dhr ARGV` in a fresh interpreter: what it printed, and whether it imported SQLAlchemy."""
    code = (
        "import sys\n"
        f"sys.argv = ['dhr', *{argv!r}]\n"
        "from dhr_workflow.cli.app import main\n"
        "main()\n"
        "print('sqlalchemy' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout, done.stderr.strip().splitlines()[-1] == "True"


def test_with_a_warm_cache_the_read_commands_print_the_same_without_importing_sqlalchemy(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    cases = read_model.list_cases(ReadContext.of(sqlite_ctx))
    published = next(c["ref"] for c in cases if c["stage"] == "Lessons learned")
    evidence = next(c["ref"] for c in cases if c["state"] == "evidence_gathering")
    commands = [
        ["case", "list"],
        ["case", "list", "--state", "evidence_gathering", "--json"],
        ["case", "show", published],
        ["case", "show", evidence, "--json"],
        ["docs", "list", published],
        ["docs", "list", published, "--json"],
    ]
    env = {
        **{k: v for k, v in os.environ.items() if not k.upper().startswith("DHR_")},
        "DHR_DATABASE_URL": sqlite_ctx.settings.database_url,
        "DHR_WORKFLOWS_DIR": str(REPO / "workflows"),
        "PYTHONPATH": str(REPO),
        "COLUMNS": "80",
    }
    cold = []
    for i, argv in enumerate(commands):  # each with an empty cache: read through SQLAlchemy
        printed, imported = _dhr(argv, {**env, "DHR_CACHE_DIR": str(tmp_path / f"cold-{i}")}, tmp_path)
        assert imported and printed, argv
        cold.append(printed)
    warm = {**env, "DHR_CACHE_DIR": str(tmp_path / "warm")}
    for argv in commands:  # fills the cache, as the first command of each kind on the machine does
        _dhr(argv, warm, tmp_path)
    for argv, expected in zip(commands, cold, strict=True):
        printed, imported = _dhr(argv, warm, tmp_path)
        assert not imported, argv
        assert printed == expected, argv
    assert json.loads(cold[1]) and all(c["state"] == "evidence_gathering" for c in json.loads(cold[1]))


def test_a_broken_compiled_statement_reads_again_through_sqlalchemy_and_is_compiled_afresh(
    sqlite_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqlite_ctx.settings.database_url
    monkeypatch.setenv("DHR_DATABASE_URL", url)
    monkeypatch.setenv("DHR_WORKFLOWS_DIR", str(REPO / "workflows"))
    monkeypatch.chdir(REPO / "workflows")  # no .env here
    expected = read_model.list_cases(build_read_context(plain=False))
    remember(url)
    key = plain_sql.cache_key(url.removeprefix("sqlite:///"))
    assert key is not None
    compiled = load(plain_sql.NAMESPACE, key)
    broken = compiled[read_model.ALL_CASES.name]._replace(sql="SELECT no_such_column FROM review_case")
    store(plain_sql.NAMESPACE, key, {**compiled, read_model.ALL_CASES.name: broken})
    use_context(None)
    try:
        assert isinstance(read_context().engine, PlainEngine)
        assert read_with(lambda ctx: read_model.list_cases(ctx)) == expected
        assert not isinstance(read_context().engine, PlainEngine)  # the rest of the process reads through SQLAlchemy
        assert load(plain_sql.NAMESPACE, key)[read_model.ALL_CASES.name].sql != broken.sql
        with pytest.raises(NotFound):  # an error on the plain path is SQLAlchemy's to report
            use_context(None)
            read_with(lambda ctx: listing.list_documents(ctx, "DHR-1999-999"))
    finally:
        use_context(None)

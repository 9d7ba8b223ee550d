"""The everyday read commands' SQLAlchemy Core statements, run on SQLite as SQL text through the standard library's
`sqlite3`, without importing SQLAlchemy (issue 17, ADR 0061).

Importing SQLAlchemy is most of what `dhr case list` costs. The statements stay written once, with SQLAlchemy Core,
in each package's `*_sql` module; a `Query` names one of them. On a SQLAlchemy connection or session a Query runs
that statement. `core.plain_compile` compiles every Query with the SQLite dialect into a `Compiled` (the SQL text,
its parameters in order, a converter per result column: what SQLAlchemy's SQLite types do to a value) and keeps
them in the on-disk cache under the package version, the SQLAlchemy version and the database's migration head; a
`PlainConnection` runs them from there. Any miss (no entry, a changed `*_sql` module, another head) raises, and
the caller reads again through SQLAlchemy (cli.contexts.read_with).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from functools import cache, cached_property
from importlib.util import find_spec
from pathlib import Path
from typing import Any, NamedTuple

from dhr_workflow import __version__
from dhr_workflow.core.disk_cache import installed_version, load
from dhr_workflow.core.sqlite_pragmas import SQLITE_PRAGMAS

NAMESPACE = "plain-sql"
SQLITE_URL = re.compile(r"sqlite:///(?P<path>[^?]+)")
# Each as SQLAlchemy's SQLite types convert a stored value (sqlalchemy.engine.processors; JSON with json.loads,
# as core.engines sets no deserializer); plain_compile picks one only where SQLAlchemy uses that very processor.
CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "date": date.fromisoformat,
    "datetime": datetime.fromisoformat,
    "bool": bool,
    "json": json.loads,
}
REGISTRY: dict[str, Query] = {}


class PlainMiss(Exception):
    """The compiled SQL for a query is not in the cache, or no longer matches its statement."""


class Compiled(NamedTuple):
    sql: str
    params: tuple[str, ...]  # the bind parameters' names, in the order of the `?` marks
    fixed: dict[str, Any]  # the values written into the statement itself, as SQLAlchemy would bind them
    columns: tuple[str, ...]
    converters: tuple[str | None, ...]
    source: str  # a digest of the `*_sql` module the statement came from


class Query:
    """The statement `attribute` of `module`: run as itself on SQLAlchemy, as its compiled text on SQLite plain."""

    def __init__(self, module: str, attribute: str) -> None:
        self.module, self.attribute = module, attribute
        self.name = f"{module}:{attribute}"
        REGISTRY[self.name] = self

    @cached_property
    def statement(self) -> Any:
        return getattr(importlib.import_module(self.module), self.attribute)

    def run(self, db: Any, params: dict[str, Any] | None = None) -> Any:
        """The result of this query on `db`: a SQLAlchemy Connection or Session, or a PlainConnection."""
        if isinstance(db, PlainConnection):
            return db.run(self, params or {})
        return db.execute(self.statement, params or {})

    def scalar(self, db: Any, params: dict[str, Any] | None = None) -> Any:
        if isinstance(db, PlainConnection):
            return db.run(self, params or {}).scalar()
        return db.scalar(self.statement, params or {})  # a Session's scalar flushes first, as before


class PlainResult:
    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def all(self) -> list[Any]:
        return list(self.rows)

    def first(self) -> Any:
        return self.rows[0] if self.rows else None

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None


class PlainEngine:
    """A SQLite database file and the statements compiled for its schema."""

    def __init__(self, path: str, compiled: dict[str, Compiled]) -> None:
        self.path, self.compiled = path, compiled

    @contextmanager
    def read(self) -> Iterator[PlainConnection]:
        """One read transaction, a plain BEGIN as core.engines.read_connection's."""
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            for pragma in SQLITE_PRAGMAS:
                connection.execute(f"PRAGMA {pragma}")
            connection.execute("BEGIN")
            yield PlainConnection(connection, self)
            connection.execute("COMMIT")
        finally:
            connection.close()


class PlainConnection:
    def __init__(self, connection: sqlite3.Connection, engine: PlainEngine) -> None:
        self.connection, self.engine = connection, engine

    def run(self, query: Query, params: dict[str, Any]) -> PlainResult:
        found = self.engine.compiled.get(query.name)
        if found is None or found.source != source_digest(query.module):
            raise PlainMiss(query.name)
        values = [params[n] if n in params else found.fixed[n] for n in found.params]
        make, convert = _row_maker(found.columns), [CONVERTERS[c] if c else None for c in found.converters]
        rows = [
            make(*(v if f is None or v is None else f(v) for f, v in zip(convert, raw, strict=True)))
            for raw in self.connection.execute(found.sql, values)
        ]
        return PlainResult(rows)


@cache
def _row_maker(columns: tuple[str, ...]) -> Any:
    return namedtuple("Row", columns, rename=True)  # noqa: PYI024 - field names known only at run time


@cache
def source_digest(module: str) -> str:
    """What a compiled statement depends on in our code: the bytes of the module that defines it."""
    spec = find_spec(module)
    if spec is None or spec.origin is None:
        return ""
    return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()


def sqlite_path(url: str) -> str | None:
    """The file of a plain `sqlite:///PATH` URL (no driver, no query string, not in memory), else None."""
    found = SQLITE_URL.fullmatch(url)
    path = found["path"] if found else None
    return path if path and path != ":memory:" and Path(path).is_file() else None


def cache_key(path: str) -> str | None:
    """The package version, the SQLAlchemy version and the database's migration head; None: no head to key on."""
    try:
        connection = sqlite3.connect(path, timeout=30)
        try:
            heads = sorted(row[0] for row in connection.execute("SELECT version_num FROM alembic_version"))
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return f"{__version__}|sqlalchemy-{sqlalchemy_version()}|{','.join(heads)}" if heads else None


@cache
def sqlalchemy_version() -> str:
    return installed_version("sqlalchemy") or "unknown"  # read from its source: not importing it is the point


def open_plain(url: str) -> PlainEngine | None:
    """A PlainEngine for `url` if it is a SQLite file with compiled statements cached for its schema, else None."""
    path = sqlite_path(url)
    key = cache_key(path) if path else None
    compiled = load(NAMESPACE, key) if path and key else None
    return PlainEngine(path, compiled) if path and isinstance(compiled, dict) else None


def read_connection(engine: Any) -> AbstractContextManager[Any]:
    """One read-only transaction on a PlainEngine or a SQLAlchemy Engine (core.engines.read_connection)."""
    if isinstance(engine, PlainEngine):
        return engine.read()
    from dhr_workflow.core.engines import read_connection as sqlalchemy_read

    return sqlalchemy_read(engine)

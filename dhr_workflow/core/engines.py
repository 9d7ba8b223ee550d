"""Engines, without the ORM: the read-only commands (issue 17) query with SQLAlchemy Core and never import
`sqlalchemy.orm`. SQLite is tuned as engineering-notes §3.4 measured: WAL, foreign keys, a busy timeout, and
BEGIN IMMEDIATE for writes (the default deferred BEGIN lost 746 of 1,200 concurrent updates)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from dhr_workflow.core.sqlite_pragmas import SQLITE_PRAGMAS

READ_ONLY = "dhr_read_only"


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves below
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction (a plain BEGIN on SQLite, so it never waits for a writer's lock)."""
    with engine.execution_options(**{READ_ONLY: True}).begin() as connection:
        yield connection

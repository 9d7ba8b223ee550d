"""Compiling the registered `Query` statements with SQLAlchemy's SQLite dialect, for `core.plain_sql` to run
without SQLAlchemy next time (ADR 0061). Run after a read through SQLAlchemy on SQLite, which imported it anyway.

A statement is compiled only if every part of it is one this module can reproduce exactly: each result column's
conversion is the very processor SQLAlchemy's SQLite type uses (or none), each parameter the caller passes needs
no conversion, and each expanding IN list has its values written into the statement. Anything else raises
`Unsupported` and that query keeps reading through SQLAlchemy.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import processors

from dhr_workflow.core.disk_cache import load, store
from dhr_workflow.core.plain_sql import NAMESPACE, REGISTRY, Compiled, Query, cache_key, source_digest, sqlite_path

DIALECT = sqlite.dialect()
PROCESSORS = {processors.str_to_date: "date", processors.str_to_datetime: "datetime", processors.int_to_boolean: "bool"}


class Unsupported(Exception):
    """A statement using something the plain runner would not reproduce exactly."""


def compile_query(query: Query) -> Compiled:
    statement = query.statement
    compiled = statement.compile(dialect=DIALECT)
    sql, params, fixed = compiled.string, [], {}
    for name in compiled.positiontup or []:
        bind = compiled.binds[name]
        process = bind.type.dialect_impl(DIALECT).bind_processor(DIALECT)
        if bind.required or bind.callable is not None:  # the caller's value, passed as it is
            if process is not None or bind.expanding:
                raise Unsupported(f"{query.name}: parameter {name} needs converting or expanding")
            params.append(name)
            continue
        values = list(bind.value) if bind.expanding else [bind.value]
        if bind.expanding:
            if not values:
                raise Unsupported(f"{query.name}: an empty IN list")
            sql = sql.replace(f"__[POSTCOMPILE_{name}]", ", ".join("?" * len(values)))
        for i, value in enumerate(values, start=1):
            key = f"{name}_{i}" if bind.expanding else name
            params.append(key)
            fixed[key] = process(value) if process else value
    if "__[POSTCOMPILE_" in sql:
        raise Unsupported(f"{query.name}: an expanding parameter left")
    columns = statement.selected_columns
    return Compiled(
        sql, tuple(params), fixed, tuple(columns.keys()), tuple(_converter(c.type) for c in columns), _source(query)
    )


def _converter(sql_type: Any) -> str | None:
    if isinstance(sql_type, JSON):
        return "json"
    process = sql_type.dialect_impl(DIALECT).result_processor(DIALECT, None)
    if process is None:
        return None
    if process in PROCESSORS:
        return PROCESSORS[process]
    raise Unsupported(f"no plain converter for {sql_type!r}")


def _source(query: Query) -> str:
    return source_digest(query.module)


def remember(url: str, afresh: bool = False) -> None:
    """Compile every query registered in this process that the cache for `url`'s schema lacks (every one if
    `afresh`: a plain read failed, so an entry may be bad), and store them."""
    path = sqlite_path(url)
    key = cache_key(path) if path else None
    if key is None:
        return
    known = load(NAMESPACE, key)
    compiled: dict[str, Compiled] = dict(known) if isinstance(known, dict) else {}
    changed = False
    for name, query in list(REGISTRY.items()):
        if not afresh and name in compiled and compiled[name].source == _source(query):
            continue
        try:
            compiled[name] = compile_query(query)
        except Unsupported:
            continue
        changed = True
    if changed:
        store(NAMESPACE, key, compiled)

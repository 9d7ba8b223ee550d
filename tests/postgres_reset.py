"""Emptying the session's PostgreSQL database between tests.

TRUNCATE of all ~60 tables (RESTART IDENTITY CASCADE) took about a second a test on this machine, most of the
PostgreSQL pass's time (issue 17): PostgreSQL gives every truncated table, and its indexes, new files, and fsyncs them.
A test writes to a handful of tables, so instead one query finds the tables that hold a row, those are DELETEd
children first (so no foreign key is ever violated, and no superuser is needed to switch checks off), and the sequences
that were used are set back to their start. The end state is TRUNCATE's: every table empty but the audit chain's head
row, every sequence at its start. The catalogue is read on every call, so a test that changed the schema cannot leave
a table behind.
"""

from __future__ import annotations

from graphlib import TopologicalSorter

from sqlalchemy import Connection, text

from dhr_workflow.core.database import Database

TABLES = text("select tablename from pg_tables where schemaname = 'public' and tablename <> 'alembic_version'")
FOREIGN_KEYS = text(
    "select conrelid::regclass::text, confrelid::regclass::text from pg_constraint"
    " where contype = 'f' and connamespace = 'public'::regnamespace and conrelid <> confrelid"
)
RESTART_USED_SEQUENCES = text(
    "select setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false)"
    " from pg_sequences where schemaname = 'public' and last_value is not null"
)
AUDIT_HEAD = text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)")


def children_first(tables: list[str], references: list[tuple[str, str]]) -> list[str]:
    """The tables ordered so that every table comes before the tables it references (a cycle raises CycleError)."""
    referenced_by: dict[str, set[str]] = {table: set() for table in tables}
    for child, parent in references:
        referenced_by.setdefault(parent, set()).add(child)
    return [table for table in TopologicalSorter(referenced_by).static_order() if table in set(tables)]


def tables_with_rows(conn: Connection, tables: list[str]) -> set[str]:
    """One round trip, whatever the number of tables: each branch stops at its first row."""
    if not tables:
        return set()
    probe = " UNION ALL ".join(f"(SELECT '{table}' FROM \"{table}\" LIMIT 1)" for table in tables)
    return {row[0] for row in conn.execute(text(probe))}


def empty_database(db: Database) -> None:
    with db.engine.begin() as conn:
        tables = [row[0] for row in conn.execute(TABLES)]
        references = [(row[0].strip('"'), row[1].strip('"')) for row in conn.execute(FOREIGN_KEYS)]
        used = tables_with_rows(conn, tables)
        for table in children_first(tables, references):
            if table in used:
                conn.execute(text(f'DELETE FROM "{table}"'))
        conn.execute(RESTART_USED_SEQUENCES)
        conn.execute(AUDIT_HEAD, {"h": "0" * 64})

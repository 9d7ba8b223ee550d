"""Emptying the session's PostgreSQL database between tests, and putting seeded data back into it.

TRUNCATE of all ~60 tables (RESTART IDENTITY CASCADE) took about a second a test on this machine, most of the
PostgreSQL pass's time (issue 17): PostgreSQL gives every truncated table, and its indexes, new files, and fsyncs them.
A test writes to a handful of tables, so instead one query finds the tables that hold a row, those are DELETEd
children first (so no foreign key is ever violated, and no superuser is needed to switch checks off), and the sequences
that were used are set back to their start. The end state is TRUNCATE's: every table empty but the audit chain's head
row, every sequence at its start. The catalogue is read on every call, so a test that changed the schema cannot leave
a table behind.

Data that many tests start from (the demo partnership) is seeded once per test process and kept as a Snapshot: each
table's rows in COPY's text form, put back with COPY in a few milliseconds, where seeding commits ~40 transitions.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Snapshot:
    """The rows of every table that had any, as PostgreSQL's own COPY text (so every type comes back exactly), and
    each used sequence's position."""

    tables: dict[str, bytes]
    sequences: dict[str, int]  # the last value each used sequence gave


USED_SEQUENCES = text(
    "select format('%I.%I', schemaname, sequencename), last_value from pg_sequences"
    " where schemaname = 'public' and last_value is not null"
)


def take_snapshot(db: Database) -> Snapshot:
    with db.engine.begin() as conn:
        tables = [row[0] for row in conn.execute(TABLES)]
        rows: dict[str, bytes] = {}
        with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            for table in sorted(tables_with_rows(conn, tables)):
                with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    rows[table] = b"".join(bytes(block) for block in copy)
        sequences = {name: int(value) for name, value in conn.execute(USED_SEQUENCES)}
    return Snapshot(rows, sequences)


def restore_snapshot(db: Database, snapshot: Snapshot) -> None:
    """Into a database emptied by empty_database(): its rows go in parents first, so every foreign key holds."""
    with db.engine.begin() as conn:
        references = [(row[0].strip('"'), row[1].strip('"')) for row in conn.execute(FOREIGN_KEYS)]
        order = children_first(list(snapshot.tables), references)
        for table in order:
            conn.execute(text(f'DELETE FROM "{table}"'))  # the audit chain's head row, which empty_database() put back
        with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            for table in reversed(order):
                with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                    copy.write(snapshot.tables[table])
        for name, value in snapshot.sequences.items():
            conn.execute(text("select setval(:name, :value)"), {"name": name, "value": value})

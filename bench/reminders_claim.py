"""Claim latency with 1,000,000 pending reminder rows: median time of a 500-row claim (target < 50 ms), on SQLite
and PostgreSQL. The baseline, measured in the same run, is a plain indexed SELECT of the same 500 due ids (no lock,
no update): the ratio says what claiming costs over merely finding the rows.

    python -m bench.reminders_claim [--rows 1000000] [--runs 30] [--postgres postgresql://postgres@127.0.0.1/postgres]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, select, text

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.database import Database
from dhr_workflow.core.migrate import upgrade
from dhr_workflow.core.settings import Settings
from dhr_workflow.workflow.registry import WorkflowRegistry
from notifications import delivery
from notifications.ledger.tables import Reminder

TODAY = date(2026, 11, 20)
DUE_SHARE = 5  # one row in five is due today; the rest wait up to a year


def _rows(count: int, user_id: int):  # type: ignore[no-untyped-def]
    for i in range(count):
        send_on = TODAY - timedelta(days=i % 30) if i % DUE_SHARE == 0 else TODAY + timedelta(days=1 + i % 365)
        yield (None, f"action:{i}", "due", send_on, send_on, user_id, "email", "pending", f"k{i}", 0, datetime.now(UTC))


COLUMNS = "case_id, subject, rule, deadline_on, send_on, recipient_id, channel, status, idem_key, attempts, created_at"


def _seed_user(db: Database) -> int:
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO partnership (name, slug, created_at) VALUES ('B', 'b', CURRENT_TIMESTAMP)"))
        conn.execute(
            text(
                "INSERT INTO account (partnership_id, email, name, role, active, created_at) "
                "VALUES (1, 'bench@example.org', 'Bench', 'coordinator', true, CURRENT_TIMESTAMP)"
            )
        )
        return int(conn.execute(text("SELECT id FROM account")).scalar_one())


def _fill_sqlite(db: Database, count: int) -> None:
    user = _seed_user(db)
    raw = db.engine.raw_connection()
    cur = raw.cursor()
    cur.execute("BEGIN")
    cur.executemany(f"INSERT INTO reminder ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", _rows(count, user))
    cur.execute("COMMIT")
    cur.execute("ANALYZE")
    raw.close()


def _fill_postgres(db: Database, count: int) -> None:
    user = _seed_user(db)
    raw = db.engine.raw_connection()
    with raw.cursor() as cur, cur.copy(f"COPY reminder ({COLUMNS}) FROM STDIN") as copy:  # type: ignore[attr-defined]
        for row in _rows(count, user):
            copy.write_row(row)
    raw.commit()
    with raw.cursor() as cur:
        cur.execute("ANALYZE reminder")
    raw.commit()
    raw.close()


def _measure(db: Database, runs: int) -> tuple[float, float]:
    settings = Settings(database_url=db.url, _env_file=None)  # type: ignore[call-arg]
    ctx = AppContext(settings, db, WorkflowRegistry.from_directory(None), clock=lambda: TODAY)
    now = datetime(2026, 11, 20, 10, tzinfo=UTC)
    baseline, claims = [], []
    for _ in range(runs):
        started = time.perf_counter()
        with db.read() as session:
            session.scalars(
                select(Reminder.id)
                .where(Reminder.status == "pending", Reminder.send_on <= TODAY)
                .order_by(Reminder.send_on, Reminder.id)
                .limit(500)
            ).all()
        baseline.append(time.perf_counter() - started)
        started = time.perf_counter()
        claimed = delivery.claim_batch(ctx, now, 500)
        claims.append(time.perf_counter() - started)
        assert len(claimed) == 500
    return statistics.median(baseline) * 1000, statistics.median(claims) * 1000


def _report(name: str, rows: int, fill: float, base: float, claim: float) -> None:
    print(
        f"{name:10} rows={rows:,} fill={fill:.1f}s  select-500 median {base:.2f} ms  "
        f"claim-500 median {claim:.2f} ms  ratio {claim / base:.1f}x  target<50ms: {'met' if claim < 50 else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        db = Database(url)
        started = time.perf_counter()
        _fill_sqlite(db, args.rows)
        _report("SQLite", args.rows, time.perf_counter() - started, *_measure(db, args.runs))
        db.dispose()
    if args.postgres:
        admin = create_engine(
            args.postgres.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
        )
        name = f"dhr_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = f"{args.postgres.rpartition('/')[0]}/{name}"
            upgrade(url)
            db = Database(url)
            started = time.perf_counter()
            _fill_postgres(db, args.rows)
            _report("PostgreSQL", args.rows, time.perf_counter() - started, *_measure(db, args.runs))
            db.dispose()
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()

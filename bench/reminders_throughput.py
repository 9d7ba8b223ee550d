"""End-to-end delivery throughput: reminders through Redis and a Celery worker process to a real SMTP server
(aiosmtpd in this process). Target: at least 1,000 reminders a minute per worker process.

The baseline, measured in the same run on the same database and SMTP server, is the embedded path: one in-process
sweep delivering the same number of reminders. The ratio says what the queue and the extra process cost.

    python -m bench.reminders_throughput [--count 2000] [--database sqlite|postgres] [--redis redis://127.0.0.1:6379/13]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, func, insert, select, text

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.database import Database
from dhr_workflow.core.migrate import upgrade
from dhr_workflow.core.settings import Settings
from dhr_workflow.people import users
from dhr_workflow.workflow.registry import WorkflowRegistry
from notifications import delivery
from notifications.channels import transports_from_settings
from notifications.ledger.tables import Reminder


class Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(ctx: AppContext, count: int, tag: str) -> None:
    user = users.add_user(ctx, f"{tag}@example.org", "Bench", "coordinator")
    day = date(2026, 1, 5)
    with ctx.db.write() as session:
        session.execute(
            insert(Reminder),
            [
                {"subject": f"action:{tag}{i}", "rule": "due", "deadline_on": day, "send_on": day,
                 "recipient_id": user.id, "channel": "email", "status": "pending",
                 "idem_key": f"{tag}:{i}", "attempts": 0}
                for i in range(count)
            ],
        )  # fmt: skip


def _sent(ctx: AppContext) -> int:
    with ctx.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Reminder).where(Reminder.status == "sent")) or 0)


def _database(kind: str, tmp: str) -> tuple[str, object]:
    if kind == "sqlite":
        return f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", None
    admin_url = os.environ.get("DHR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    name = f"dhr_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return f"{admin_url.rpartition('/')[0]}/{name}", (admin, name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    handler = Counter()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory() as tmp:
        url, cleanup = _database(args.database, tmp)
        upgrade(url)
        settings = Settings(
            database_url=url, smtp_host="127.0.0.1", smtp_port=port, send_window="",
            send_on_working_days_only=False, _env_file=None,
        )  # type: ignore[call-arg]  # fmt: skip
        ctx = AppContext(settings, Database(url), WorkflowRegistry.from_directory(None))
        _seed(ctx, args.count, "embedded")
        started = time.perf_counter()
        delivery.sweep(ctx, transports_from_settings(settings))
        embedded = time.perf_counter() - started
        assert handler.count == args.count
        _seed(ctx, args.count, "celery")
        env = {k: v for k, v in os.environ.items() if not k.startswith("DHR_")}
        env.update(DHR_DATABASE_URL=url, DHR_REDIS_URL=args.redis, DHR_SMTP_HOST="127.0.0.1", DHR_SMTP_PORT=str(port),
                   DHR_SEND_WINDOW="", DHR_SEND_ON_WORKING_DAYS_ONLY="false")  # fmt: skip
        dhr = str(Path(sys.executable).parent / "dhr")
        worker = subprocess.Popen([dhr, "worker", "--concurrency", "1", "--loglevel", "WARNING"], env=env)
        time.sleep(4)  # let the worker start before the clock runs
        from notifications.celery_app import make_celery

        started = time.perf_counter()
        make_celery(Settings(redis_url=args.redis, _env_file=None)).send_task("dhr.sweep")  # type: ignore[call-arg]
        while _sent(ctx) < 2 * args.count and time.perf_counter() - started < 600:
            time.sleep(0.1)
        distributed = time.perf_counter() - started
        worker.terminate()
        worker.wait(30)
        ctx.db.dispose()
        if cleanup is not None:
            admin, name = cleanup  # type: ignore[misc]
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    controller.stop()
    per_min_embedded = args.count / embedded * 60
    per_min_celery = args.count / distributed * 60
    print(f"{args.database}: {args.count} reminders")
    print(f"  embedded (baseline): {embedded:.1f}s = {per_min_embedded:,.0f}/min")
    print(f"  Redis + 1 Celery worker process: {distributed:.1f}s = {per_min_celery:,.0f}/min "
          f"(ratio to embedded {per_min_celery / per_min_embedded:.2f}); target >= 1,000/min: "
          f"{'met' if per_min_celery >= 1000 else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()

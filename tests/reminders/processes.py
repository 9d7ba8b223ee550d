"""Real processes for fault tests: a private redis-server, `dhr worker` and `dhr beat` as separate OS processes."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import func, insert, select

from dhr_workflow.core.context import AppContext
from dhr_workflow.people.tables import User
from notifications.ledger.tables import Reminder
from notifications.tables import DeliveryAttempt
from tests.reminders.mailbox import free_port
from tests.services import unavailable

DHR = str(Path(sys.executable).parent / "dhr")


class RedisServer:
    """Our own redis-server on a free port, so stopping it never disturbs the shared one. No persistence: a restart
    loses every queued message, which is the point."""

    def __init__(self, workdir: Path) -> None:
        if shutil.which("redis-server") is None:
            unavailable("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self._ping, 10, "redis-server to start")
        return self

    def _ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except Exception:  # noqa: BLE001
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None


def process_env(database_url: str, redis_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHR_")}
    env.update(
        DHR_DATABASE_URL=database_url,
        DHR_REDIS_URL=redis_url,
        DHR_SMTP_HOST="127.0.0.1",
        DHR_SMTP_PORT=str(smtp_port),
        DHR_MAIL_FROM="reminders@dhr.example",
        DHR_SEND_WINDOW="",
        DHR_SEND_ON_WORKING_DAYS_ONLY="false",
        DHR_REMINDER_LEASE_SECONDS="20",
        DHR_SWEEP_INTERVAL_SECONDS="1",
        DHR_CELERY_VISIBILITY_TIMEOUT="20",
        DHR_HANDOFF_DIR=os.environ.get("DHR_HANDOFF_DIR", ""),  # shared by every worker, as ADR 0014 requires
    )
    env.update(extra)
    return env


class Processes:
    def __init__(self, env: dict[str, str], logdir: Path) -> None:
        self.env, self.logdir, self.procs = env, logdir, []  # type: ignore[var-annotated]

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        log = open(self.logdir / f"{args[0]}-{len(self.procs)}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            [DHR, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs.append(proc)
        return proc

    def worker(self, concurrency: int = 2) -> subprocess.Popen[bytes]:
        return self.start("worker", "--concurrency", str(concurrency), "--loglevel", "INFO")

    def beat(self) -> subprocess.Popen[bytes]:
        return self.start("beat", "--schedule", str(self.logdir / f"beat-{len(self.procs)}"), "--loglevel", "INFO")

    @staticmethod
    def kill(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)  # the worker and its pool children, all at once
        proc.wait(20)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc, signal.SIGTERM)
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.logdir.glob("*.log"))


def wait_for(check: Callable[[], bool], timeout: float, what: str, logs: Callable[[], str] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{logs() if logs else ''}")


def seed_due_reminders(ctx: AppContext, count: int, email: str = "owner@example.org") -> int:
    """`count` reminders already due, each about a different thing (so catch-up folds none of them)."""
    from dhr_workflow.people import users

    user = users.add_user(ctx, email, "Owner", "coordinator")
    day = date(2026, 1, 5)
    with ctx.db.write() as session:
        session.execute(
            insert(Reminder),
            [
                {
                    "case_id": None,
                    "subject": f"action:{i}",
                    "rule": "due",
                    "deadline_on": day,
                    "send_on": day,
                    "recipient_id": user.id,
                    "channel": "email",
                    "status": "pending",
                    "idem_key": f"-:action:{i}:due:{day}:{user.id}:email",
                    "attempts": 0,
                }
                for i in range(count)
            ],
        )
    return count


def sent_count(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Reminder).where(Reminder.status == "sent")) or 0)


def unknown_attempts(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(DeliveryAttempt).where(DeliveryAttempt.outcome == "unknown")
            )
            or 0
        )


def ledger_outcomes(ctx: AppContext) -> dict[str, int]:
    with ctx.db.read() as session:
        rows = session.execute(
            select(DeliveryAttempt.outcome, func.count())
            .group_by(DeliveryAttempt.outcome)
            .order_by(DeliveryAttempt.outcome)
        ).all()
    return {outcome: int(count) for outcome, count in rows}


__all__ = ["Processes", "RedisServer", "User", "process_env", "seed_due_reminders", "sent_count", "wait_for"]

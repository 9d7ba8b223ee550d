"""Shared set-up for benchmarks: throwaway databases and a fixed 'today'."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.database import Database
from dhr_workflow.core.migrate import upgrade
from dhr_workflow.core.settings import Settings
from dhr_workflow.workflow.registry import WorkflowRegistry

TODAY = date(2026, 11, 20)
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            upgrade(url)
            yield url
        return
    from tests.services import POSTGRES_ADMIN_URL, fresh_postgres_database  # noqa: F401

    with fresh_postgres_database() as url:
        upgrade(url)
        yield url


def context(url: str) -> AppContext:
    """As `core.context.build_context` makes it for an entry point, so the audit keys are read once per process."""
    from dhr_workflow.core.audit_keys import config_from

    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    db = Database(url)
    db.use_audit(config_from(settings))
    return AppContext(settings, db, WorkflowRegistry.from_directory(), clock=lambda: TODAY)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if len(ordered) >= 20 else ordered[-1]
    return f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"

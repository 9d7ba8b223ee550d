"""What every service needs, built once per process by an entry point: the database, settings, definitions, and
"today" (injectable, so tests and back-dated records never depend on the wall clock)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dhr_workflow.core.database import Database
from dhr_workflow.core.settings import Settings
from dhr_workflow.workflow.registry import WorkflowRegistry


def london_today(tz: str = "Europe/London") -> date:
    return datetime.now(ZoneInfo(tz)).date()


@dataclass
class AppContext:
    settings: Settings
    db: Database
    workflows: WorkflowRegistry
    clock: Callable[[], date] = field(default=london_today)

    def today(self) -> date:
        return self.clock()


def build_context(settings: Settings | None = None, today: Callable[[], date] | None = None) -> AppContext:
    from dhr_workflow.core.audit_keys import config_from
    from dhr_workflow.core.settings import get_settings

    settings = settings or get_settings()
    db = Database(settings.database_url)
    db.use_audit(config_from(settings))
    return AppContext(
        settings=settings,
        db=db,
        workflows=WorkflowRegistry.from_directory(settings.workflows_dir),
        clock=today or (lambda: london_today(settings.timezone)),
    )

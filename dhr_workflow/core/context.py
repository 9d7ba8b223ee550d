"""What every service needs, built once per process by an entry point: the database, settings, definitions, and
"today" (injectable, so tests and back-dated records never depend on the wall clock).

The everyday read commands (`dhr case list`, `dhr docs list`) get a `ReadContext` instead: an engine for Core
queries, the definitions and "today", built without pydantic-settings, the ORM or the audit keys (issue 17)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dhr_workflow.core.env_settings import ReadSettings, from_environment, has_env_file

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from dhr_workflow.core.database import Database
    from dhr_workflow.core.plain_sql import PlainEngine
    from dhr_workflow.core.settings import Settings
    from dhr_workflow.workflow.plans import PlanCatalogue
    from dhr_workflow.workflow.registry import WorkflowRegistry
    from dhr_workflow.workflow.state_labels import StateCatalogue


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


@dataclass
class ReadContext:
    """What a read-only query needs: an engine (queried with SQLAlchemy Core, or on SQLite a PlainEngine running
    the same statements' cached SQL text: core.plain_sql), the workflows' states (read on first use: `dhr docs list`
    never needs them) and "today"."""

    engine: Engine | PlainEngine
    load_workflows: Callable[[], StateCatalogue]
    clock: Callable[[], date] = field(default=london_today)
    # The workflows' steps as plain data (workflow.plans), read on first use: only `dhr case show` needs them.
    load_plans: Callable[[], PlanCatalogue] | None = None
    # Set when built from the settings (the command line): the SQLite file whose statements can be compiled for
    # the plain runner after a read through SQLAlchemy.
    database_url: str | None = None

    def today(self) -> date:
        return self.clock()

    @cached_property
    def workflows(self) -> StateCatalogue:
        return self.load_workflows()

    @cached_property
    def plans(self) -> PlanCatalogue:
        if self.load_plans is None:
            raise LookupError("this read context was made without the workflows' plans")
        return self.load_plans()

    @classmethod
    def of(cls, ctx: AppContext) -> ReadContext:
        """The same database, definitions and "today" as a full context (tests, and a process that has one)."""
        from dhr_workflow.workflow.plans import PlanCatalogue
        from dhr_workflow.workflow.state_labels import StateCatalogue

        return cls(
            ctx.db.engine, lambda: StateCatalogue.of(ctx.workflows), ctx.clock, lambda: PlanCatalogue.of(ctx.workflows)
        )


def build_context(settings: Settings | None = None, today: Callable[[], date] | None = None) -> AppContext:
    from dhr_workflow.core.audit_keys import config_from
    from dhr_workflow.core.database import Database
    from dhr_workflow.core.settings import get_settings
    from dhr_workflow.workflow.registry import WorkflowRegistry

    settings = settings or get_settings()
    db = Database(settings.database_url)
    db.use_audit(config_from(settings))
    return AppContext(
        settings=settings,
        db=db,
        workflows=WorkflowRegistry.from_directory(settings.workflows_dir),
        clock=today or (lambda: london_today(settings.timezone)),
    )


def read_settings() -> ReadSettings:
    """The settings a read command needs, as `Settings()` gives them; pydantic-settings only if a .env is here."""
    if not has_env_file():
        return from_environment()
    from dhr_workflow.core.settings import Settings

    full = Settings()
    return ReadSettings(full.database_url, full.workflows_dir, full.timezone)


def build_read_context(plain: bool = True) -> ReadContext:
    """From the settings; on a SQLite file whose statements are compiled and cached, and if `plain`, reading with
    the standard library's sqlite3 instead of SQLAlchemy (core.plain_sql)."""
    from dhr_workflow.core.plain_sql import open_plain
    from dhr_workflow.workflow.plans import PlanCatalogue
    from dhr_workflow.workflow.state_labels import StateCatalogue

    settings = read_settings()
    engine: Engine | PlainEngine | None = open_plain(settings.database_url) if plain else None
    if engine is None:
        from dhr_workflow.core.engines import make_engine

        engine = make_engine(settings.database_url)
    return ReadContext(
        engine=engine,
        load_workflows=lambda: StateCatalogue.from_directory(settings.workflows_dir),
        clock=lambda: london_today(settings.timezone),
        load_plans=lambda: PlanCatalogue.from_directory(settings.workflows_dir),
        database_url=settings.database_url,
    )

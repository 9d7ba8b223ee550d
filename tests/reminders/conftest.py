"""Fixtures for reminder delivery: a real SMTP server, a context pointed at it, and a movable "today"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from dhr_workflow.core.context import AppContext
from tests.reminders.mailbox import Mailbox, SmtpServer

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    with SmtpServer() as server:
        server.mailbox.port = server.port  # type: ignore[attr-defined]
        yield server.mailbox


@pytest.fixture
def mail_ctx(ctx: AppContext, smtp: Mailbox) -> AppContext:
    ctx.settings = ctx.settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,  # type: ignore[attr-defined]
            "mail_from": "reminders@dhr.example",
            "base_url": "https://dhr.example.gov.uk",
        }
    )
    return ctx


def at(day: date, hour: int = 10) -> datetime:
    """`day` at `hour` o'clock in London, inside the default 08:00-18:00 window."""
    return datetime.combine(day, time(hour), LONDON)


def set_today(ctx: AppContext, day: date) -> None:
    ctx.clock = lambda: day

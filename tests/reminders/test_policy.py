"""The send window, working-days-only sending, and the CLI's answers when Redis is not configured."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.errors import InvalidInput
from notifications.messages import headline
from notifications.send_policy import may_send_now, parse_window

pytestmark = pytest.mark.single_db
CAL = WorkingCalendar(lambda year: frozenset({date(2026, 12, 25), date(2026, 12, 28)}))


def test_the_window_is_london_time_whatever_the_season():
    summer = datetime(2026, 7, 1, 7, 30, tzinfo=UTC)  # 08:30 in London (BST)
    winter = datetime(2026, 1, 7, 7, 30, tzinfo=UTC)  # 07:30 in London (GMT)
    assert may_send_now(summer, "08:00-18:00", True, CAL) is None
    assert "outside the send window" in (may_send_now(winter, "08:00-18:00", True, CAL) or "")


def test_an_empty_window_means_any_time_and_a_window_may_cross_midnight():
    night = datetime(2026, 1, 7, 2, 0, tzinfo=UTC)
    assert may_send_now(night, "", True, CAL) is None
    assert may_send_now(night, "22:00-06:00", True, CAL) is None


def test_weekends_and_bank_holidays_wait_unless_configured_otherwise():
    boxing_day_observed = datetime(2026, 12, 28, 10, tzinfo=UTC)
    assert "not a working day" in (may_send_now(boxing_day_observed, "", True, CAL) or "")
    assert may_send_now(boxing_day_observed, "", False, CAL) is None


@pytest.mark.parametrize("bad", ["8-18", "08:00", "18:00-18:00", "noon-night"])
def test_a_malformed_window_is_a_clear_error(bad):
    with pytest.raises(InvalidInput, match="DHR_SEND_WINDOW"):
        parse_window(bad)


def test_headlines_say_how_the_deadline_stands():
    day = date(2026, 11, 20)
    assert headline("before:1", day, day) == "is due in 1 working day"
    assert headline("due", day, day) == "is due today"
    assert headline("overdue:3", day, day) == "is overdue"


def test_worker_and_beat_need_redis(monkeypatch):
    from typer.testing import CliRunner

    from dhr_workflow.cli.app import app

    monkeypatch.setenv("DHR_REDIS_URL", "")
    for command in ("worker", "beat"):
        result = CliRunner().invoke(app, [command])
        assert result.exit_code == 2 and "DHR_REDIS_URL is not set" in result.output

"""The statutory date rules (PRODUCT.md §3) against the real England & Wales calendar."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhr_workflow.core.calendar import Period, Unit, add_months, add_period
from dhr_workflow.core.calendar_store import Override, calendar_from
from dhr_workflow.core.clocks import ClockRule, PauseSpan, compute_due

pytestmark = pytest.mark.single_db

CAL = calendar_from([])
DATES = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@pytest.mark.parametrize(
    ("start", "count", "expected", "why"),
    [
        (date(2026, 11, 20), 1, date(2026, 11, 23), "Friday + 1 is Monday"),
        (date(2026, 11, 21), 1, date(2026, 11, 23), "counting from a Saturday still starts the day after"),
        (date(2026, 11, 20), 0, date(2026, 11, 20), "day 0 is the start day, whatever day it is"),
        (date(2026, 12, 24), 1, date(2026, 12, 29), "Christmas Day, the weekend and Boxing Day (observed) 28 Dec"),
        (date(2026, 4, 2), 1, date(2026, 4, 7), "Good Friday and Easter Monday 2026"),
        (date(2022, 6, 1), 1, date(2022, 6, 6), "moved spring bank holiday and Platinum Jubilee 2022"),
        (date(2022, 9, 16), 1, date(2022, 9, 20), "State Funeral of Queen Elizabeth II, 19 Sep 2022"),
        (date(2023, 5, 5), 1, date(2023, 5, 9), "Coronation of King Charles III, 8 May 2023"),
        (date(2021, 12, 24), 1, date(2021, 12, 29), "substitute days for Christmas and Boxing Day on a weekend"),
        (date(2026, 11, 20), 10, date(2026, 12, 4), "two plain weeks"),
    ],
)
def test_working_days_count_from_the_day_after_the_start(start: date, count: int, expected: date, why: str) -> None:
    assert CAL.add_working_days(start, count) == expected, why


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 20), 1, date(2026, 12, 20)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_months_keep_the_day_number_or_take_the_last_day_of_the_month(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_a_month_ending_on_a_bank_holiday_rolls_to_the_next_working_day() -> None:
    due = compute_due(ClockRule(Period(1, Unit.MONTHS)), date(2026, 11, 28), [], CAL, date(2026, 11, 28))
    assert due.due == date(2026, 12, 29)  # 28 Dec is Boxing Day (observed)
    assert any("rolled" in step for step in due.explanation)


def test_rolling_can_be_turned_off_for_a_clock() -> None:
    due = compute_due(
        ClockRule(Period(1, Unit.MONTHS), roll_to_working_day=False), date(2026, 11, 28), [], CAL, date(2026, 11, 28)
    )
    assert due.due == date(2026, 12, 28)


def test_days_are_calendar_days_then_rolled() -> None:
    assert compute_due(ClockRule(Period(7, Unit.DAYS)), date(2026, 11, 14), [], CAL, date(2026, 11, 14)).due == date(
        2026, 11, 23
    )


def test_a_pause_extends_the_due_date_by_the_calendar_days_paused_then_rolls_again() -> None:
    rule = ClockRule(Period(6, Unit.MONTHS))
    start = date(2026, 1, 12)
    plain = compute_due(rule, start, [], CAL, start).due
    paused = compute_due(rule, start, [PauseSpan(date(2026, 3, 1), date(2026, 3, 11))], CAL, start)
    assert plain == date(2026, 7, 13)  # 12 July 2026 is a Sunday
    assert paused.paused_days == 10
    assert paused.due == date(2026, 7, 23)  # the due date (13 July) + 10 days, a Thursday


def test_an_open_pause_counts_up_to_today() -> None:
    rule = ClockRule(Period(1, Unit.MONTHS))
    due = compute_due(rule, date(2026, 10, 1), [PauseSpan(date(2026, 10, 10), None)], CAL, date(2026, 10, 20))
    assert due.paused_days == 10


def test_an_override_adds_a_one_off_bank_holiday_and_changes_the_calendar_version() -> None:
    funeral = calendar_from([Override(date(2026, 11, 23), "One-off", True)])
    assert funeral.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 24)
    assert funeral.version != CAL.version
    cancelled = calendar_from([Override(date(2026, 12, 28), "Worked", False)])
    assert cancelled.is_working_day(date(2026, 12, 28))


@settings(max_examples=300, deadline=None)
@given(start=DATES, count=st.integers(min_value=0, max_value=60))
def test_working_days_agree_with_the_holidays_package(start: date, count: int) -> None:
    oracle = holidays.country_holidays("GB", subdiv="ENG")
    expected = oracle.get_nth_working_day(start, count) if count else start
    assert CAL.add_working_days(start, count) == expected


@settings(max_examples=300, deadline=None)
@given(start=DATES, count=st.integers(min_value=1, max_value=60))
def test_n_working_days_end_on_a_working_day_with_exactly_n_working_days_after_the_start(
    start: date, count: int
) -> None:
    end = CAL.add_working_days(start, count)
    assert CAL.is_working_day(end)
    days = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(CAL.is_working_day(d) for d in days) == count


@settings(max_examples=300, deadline=None)
@given(start=DATES, months=st.integers(min_value=0, max_value=24))
def test_months_land_in_the_right_month_on_the_same_or_last_day(start: date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year - start.year) * 12 + end.month - start.month == months
    assert end.day == start.day or (end.day < start.day and (end + timedelta(days=1)).day == 1)


@settings(max_examples=300, deadline=None)
@given(
    start=DATES,
    amount=st.integers(min_value=0, max_value=40),
    unit=st.sampled_from(list(Unit)),
    pause_start=st.integers(min_value=0, max_value=100),
    pause_days=st.integers(min_value=0, max_value=200),
)
def test_a_rolled_due_date_is_a_working_day_and_pauses_never_bring_it_forward(
    start: date, amount: int, unit: Unit, pause_start: int, pause_days: int
) -> None:
    rule = ClockRule(Period(amount, unit))
    plain = compute_due(rule, start, [], CAL, start)
    paused_on = start + timedelta(days=pause_start)
    paused = compute_due(rule, start, [PauseSpan(paused_on, paused_on + timedelta(days=pause_days))], CAL, start)
    assert CAL.is_working_day(plain.due) and CAL.is_working_day(paused.due)
    assert plain.due >= add_period(start, rule.period, CAL)
    assert paused.due >= plain.due + timedelta(days=pause_days) - timedelta(days=3)  # roll slack only
    assert paused.paused_days == pause_days

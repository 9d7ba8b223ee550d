"""The retention schedule file: the shipped one loads with a legal basis for every rule; broken ones are refused,
naming the line."""

from __future__ import annotations

from datetime import date

import pytest

from dhr_workflow.retention.rules import KINDS, Period, parse_period
from dhr_workflow.retention.schedule import ScheduleError, load_schedule, parse_schedule

GOOD = """schedule:
  task_files:
    after: case_closed
    period: 6 years
    action: delete
    basis: UK GDPR Art. 5(1)(e), six years for a claim
"""


def test_the_shipped_schedule_names_every_kind_with_its_basis():
    rules = load_schedule()
    assert set(rules) == set(KINDS)
    assert all(len(r.basis) > 40 for r in rules.values())
    assert rules["parties"].action == "anonymise" and str(rules["parties"].period) == "6 years"


def test_a_good_schedule_parses():
    rule = parse_schedule(GOOD)["task_files"]
    assert (rule.after, rule.period, rule.action) == ("case_closed", Period(6, "years"), "delete")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("task_files:", "taskfiles:"), "line 2: unknown kind of record 'taskfiles'"),
        (("6 years", "six years"), "line 4: the period 'six years' is not like"),
        (("6 years", "0 years"), "line 4: the period '0 years' must be between 1 and 150 years"),
        (("6 years", "-6 years"), "line 4: the period '-6 years' is not like"),
        (("6 years", "999 years"), "line 4: the period '999 years' must be between"),
        (("action: delete", "action: anonymise"), "line 5: 'task_files' may only delete"),
        (("after: case_closed", "after: case_opened"), "line 3: 'task_files' counts from 'case_closed'"),
        (("basis: UK GDPR Art. 5(1)(e), six years for a claim", "basis: x"), "line 6: 'task_files' needs its legal"),
        (("    basis:", "    basys:"), "line 6: 'task_files' has an unknown setting 'basys'"),
        (
            ("    period: 6 years\n", "    period: 6 years\n    period: 7 years\n"),
            "line 5: the key 'period' is given twice",
        ),
    ],
)
def test_a_broken_schedule_is_refused_naming_the_line(change, message):
    with pytest.raises(ScheduleError) as refused:
        parse_schedule(GOOD.replace(*change), "schedule.yaml")
    assert message in str(refused.value), str(refused.value)
    assert "schedule.yaml" in str(refused.value)


def test_a_schedule_that_is_not_a_mapping_or_not_yaml_is_refused():
    for text in ("- a list\n", "schedule: [1, 2]\n", "schedule: {\n"):
        with pytest.raises(ScheduleError):
            parse_schedule(text)


def test_a_missing_or_unreadable_schedule_file_is_a_clear_error(tmp_path):
    with pytest.raises(ScheduleError, match="cannot read"):
        load_schedule(tmp_path / "nothing.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"schedule: caf\xe9\n")
    with pytest.raises(ScheduleError, match="cannot read"):
        load_schedule(latin)


def test_periods_count_calendar_years_months_and_days():
    assert parse_period("1 year").due_after(date(2028, 2, 29)) == date(2029, 2, 28)
    assert parse_period("18 months").due_after(date(2026, 8, 31)) == date(2028, 2, 29)
    assert parse_period("30 days").due_after(date(2026, 12, 7)) == date(2027, 1, 6)
    assert str(parse_period("1 years")) == "1 year"

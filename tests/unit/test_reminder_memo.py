"""A sync plans each deadline's sends once per calendar and rule (cases.reminder_memo, issue 17); what it remembers
must be exactly what plan_sends works out, and a calendar with other holidays must plan afresh."""

from __future__ import annotations

from datetime import date

from dhr_workflow.cases.reminder_memo import planned_sends, roles_named
from dhr_workflow.core.holiday_calendar import Override, calendar_from
from dhr_workflow.workflow.definition import ReminderRuleDef
from dhr_workflow.workflow.registry import WorkflowRegistry
from notifications.ledger.rules import plan_sends

DEADLINE = date(2027, 1, 4)  # a Monday after the Christmas holidays


def test_remembered_sends_are_what_plan_sends_works_out() -> None:
    cal, rule = calendar_from([]), ReminderRuleDef()
    first = planned_sends(DEADLINE, rule, cal)
    assert list(first) == plan_sends(DEADLINE, rule, cal)
    assert planned_sends(DEADLINE, rule, cal) is first  # remembered, not worked out again


def test_a_calendar_with_another_holiday_plans_its_sends_afresh() -> None:
    rule = ReminderRuleDef(before=[2])
    plain = planned_sends(DEADLINE, rule, calendar_from([]))
    extra = calendar_from([Override(date(2026, 12, 31), "Extra", True)])
    moved = planned_sends(DEADLINE, rule, extra)
    assert list(moved) == plan_sends(DEADLINE, rule, extra) and moved != plain


def test_another_rule_with_the_same_deadline_plans_its_own_sends() -> None:
    cal = calendar_from([])
    assert planned_sends(DEADLINE, ReminderRuleDef(before=[5]), cal) != planned_sends(
        DEADLINE, ReminderRuleDef(before=[1]), cal
    )


def test_the_roles_named_are_those_of_every_clock_and_the_tasks() -> None:
    definition = WorkflowRegistry.from_directory().latest("dhr")
    roles = roles_named(definition)
    expected = {"coordinator", *definition.task_reminders.escalate_to}
    for spec in definition.clocks.values():
        expected.update(spec.reminders.recipients, spec.reminders.escalate_to)
    assert roles == tuple(sorted(expected)) and roles_named(definition) is roles

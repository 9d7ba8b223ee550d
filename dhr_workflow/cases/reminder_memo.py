"""What a reminder sync works out again and again from things that never change under it (issue 17): the sends a
deadline's rule plans under a calendar, and the roles a workflow's reminder rules name. Pure functions of their
arguments, remembered by object identity (definitions and calendars are long-lived, and cached themselves)."""

from __future__ import annotations

from datetime import date

from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.workflow.definition import ReminderRuleDef, WorkflowDefinition
from notifications.ledger.rules import PlannedSend, plan_sends


def planned_sends(deadline: date, rule: ReminderRuleDef, cal: WorkingCalendar) -> tuple[PlannedSend, ...]:
    """plan_sends, remembered per calendar object: the same deadline under the same rule is planned again on every
    step of a case (working-day arithmetic, a tenth of a sync; issue 17). Keyed by the objects' ids, each entry
    keeping the objects themselves so an id cannot be reused while it stands; a calendar with other overrides is
    another object, with its own entries."""
    known = _PLANNED.get(id(cal))
    if known is None or known[0] is not cal:
        if len(_PLANNED) >= 16:  # bounded, as the calendars themselves are (core.holiday_calendar)
            _PLANNED.clear()
        known = _PLANNED[id(cal)] = (cal, {})
    planned = known[1]
    found = planned.get((deadline, id(rule)))
    if found is None or found[0] is not rule:
        if len(planned) >= 4096:
            planned.clear()
        found = planned[(deadline, id(rule))] = (rule, tuple(plan_sends(deadline, rule, cal)))
    return found[1]


_Planned = dict[tuple[date, int], tuple[ReminderRuleDef, tuple[PlannedSend, ...]]]
_PLANNED: dict[int, tuple[WorkingCalendar, _Planned]] = {}


def roles_named(definition: WorkflowDefinition) -> tuple[str, ...]:
    """Every role a sync's deadlines may look up: the clocks' recipients and escalations, the tasks' escalation, and the
    coordinator (who takes a leaver's tasks). Worked out once per definition (a definition never changes)."""
    known = _ROLES_NAMED.get(id(definition))
    if known is None or known[0] is not definition:
        if len(_ROLES_NAMED) >= 64:  # bounded: each test loads its own definitions
            _ROLES_NAMED.clear()
        known = _ROLES_NAMED[id(definition)] = (definition, _roles_in(definition))
    return known[1]


_ROLES_NAMED: dict[int, tuple[WorkflowDefinition, tuple[str, ...]]] = {}


def _roles_in(definition: WorkflowDefinition) -> tuple[str, ...]:
    roles = {"coordinator", *definition.task_reminders.escalate_to}
    for spec in definition.clocks.values():
        roles.update(spec.reminders.recipients, spec.reminders.escalate_to)
    return tuple(sorted(roles))

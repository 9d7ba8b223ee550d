"""The workflows' plain plans (workflow.plans, for `dhr case show` on SQLAlchemy Core) say what can happen next and
why not exactly as the transitions engine does (read back from the cache: tests/unit/test_workflow_catalogues.py)."""

from __future__ import annotations

import itertools

from dhr_workflow.workflow.engine import engine_for
from dhr_workflow.workflow.guards import GUARDS, GuardContext
from dhr_workflow.workflow.plans import WorkflowPlan
from dhr_workflow.workflow.registry import WorkflowRegistry
from tests.conftest import REPO

# Fact and field values that make each guard pass or fail (every guard reads one of these).
BLOCKING = (
    {"open_agency_report_tasks": 2, "agency_evidence_problem": "2 reports are not in", "accuracy_problem": "open"},
    {"qa_items_open": 1, "publication_check_clean": False, "open_actions": 3, "missing_updates": 1},
)
PASSING = {"open_agency_report_tasks": 0, "qa_items_open": 0, "publication_check_clean": True, "open_actions": 0}
FIELDS = (
    {},
    {"criminal_proceedings_live": "yes", "chair_independence_statement_received": "yes"},
    {"handover_reason": "passed on", "collate_note": "late", "inquest_live": "no"},
)


def test_a_plan_says_what_the_engine_says_in_every_state() -> None:
    registry = WorkflowRegistry.from_directory(REPO / "workflows")
    guarded = 0
    for definition in registry.definitions.values():
        engine, plan = engine_for(definition), WorkflowPlan.of(definition)
        for state, facts, fields in itertools.product(definition.states, (*BLOCKING, PASSING), FIELDS):
            ctx = GuardContext("DHR-2026-001", state, fields, facts)
            available = engine.available_triggers(_At(state), ctx)
            assert plan.available_triggers(ctx) == available, (definition.name, state)
            for trigger in engine.triggers_from(state):
                assert plan.explain_blocked(trigger, ctx) == engine.explain_blocked(trigger, ctx, assume_inputs=True)
                assert plan.roles_for(state, trigger) == definition.roles_for(state, trigger)
                assert plan.required_inputs(state, trigger) == engine.required_inputs(state, trigger)
            guarded += len(engine.triggers_from(state)) - len(available)
        assert plan.transition_labels() == definition.transition_labels()
    assert guarded, "some step is blocked by a guard, so the comparison has something to compare"
    used = {g for d in registry.definitions.values() for t in d.transitions for g in t.guards}
    assert used <= set(GUARDS)


class _At:
    def __init__(self, state: str) -> None:
        self.state = state

"""The workflows' plain plans (workflow.plans, for `dhr case show` on SQLAlchemy Core) are the checked definitions'
steps, read back from the cache, and say what can happen next and why not exactly as the transitions engine does."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from dhr_workflow.core.errors import WorkflowDefinitionError
from dhr_workflow.workflow.engine import engine_for
from dhr_workflow.workflow.guards import GUARDS, GuardContext
from dhr_workflow.workflow.plans import PlanCatalogue, WorkflowPlan
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


def test_the_cached_plans_are_the_definitions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DHR_CACHE_DIR", str(tmp_path / "cache"))
    registry = WorkflowRegistry.from_directory(REPO / "workflows")
    for _ in range(2):  # built, then read back from the cache
        plans = PlanCatalogue.from_directory(REPO / "workflows")
        assert plans.definitions == {k: WorkflowPlan.of(d) for k, d in registry.definitions.items()}
    with pytest.raises(Exception, match="not installed") as missing:
        plans.get("dhr", "0.0")
    with pytest.raises(type(missing.value), match="not installed"):
        registry.get("dhr", "0.0")


def test_a_changed_workflow_file_is_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DHR_CACHE_DIR", str(tmp_path / "cache"))
    flows = tmp_path / "flows"
    flows.mkdir()
    source = sorted((REPO / "workflows").glob("*.yaml"))[0]
    target = flows / source.name
    target.write_bytes(source.read_bytes())
    assert PlanCatalogue.from_directory(flows).definitions
    target.write_text(source.read_text(encoding="utf-8").replace("states:", "statez:", 1), encoding="utf-8")
    with pytest.raises(WorkflowDefinitionError):
        PlanCatalogue.from_directory(flows)


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

"""Workflow files are validated on load, with errors naming the file and the path inside it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dhr_workflow.core.errors import WorkflowDefinitionError
from dhr_workflow.workflow.definition import parse_definition

pytestmark = pytest.mark.single_db

DHR = Path(__file__).resolve().parents[2] / "workflows" / "dhr.yaml"


def _dhr() -> dict:
    return yaml.safe_load(DHR.read_text())


def _problems(raw: dict) -> list[str]:
    with pytest.raises(WorkflowDefinitionError) as err:
        parse_definition(yaml.safe_dump(raw), "workflows/broken.yaml")
    assert "workflows/broken.yaml" in str(err.value)
    return err.value.problems


def test_the_dhr_workflow_is_valid() -> None:
    d = parse_definition(DHR.read_text(), str(DHR))
    assert d.initial == "notified"
    assert {"decision", "completion"} <= set(d.clocks)
    assert d.clocks["decision"].period.months == 1
    assert d.clocks["completion"].period.months == 6 and d.clocks["completion"].pausable


def test_every_clock_names_the_guidance_it_comes_from() -> None:
    d = parse_definition(DHR.read_text(), str(DHR))
    assert all(c.source.strip() for c in d.clocks.values())


def test_an_unknown_destination_state_is_named_with_its_place_in_the_file() -> None:
    raw = _dhr()
    raw["transitions"][1]["dest"] = "revew_agreed"
    problems = _problems(raw)
    assert any(p.startswith("transitions[1] (decide_review): unknown state 'revew_agreed'") for p in problems)


def test_an_unknown_guard_is_refused_so_no_file_can_name_arbitrary_code() -> None:
    raw = _dhr()
    raw["transitions"][0]["guards"] = ["os.system"]
    assert any("unknown guard 'os.system'" in p for p in _problems(raw))


def test_a_state_nothing_leads_to_is_unreachable() -> None:
    raw = _dhr()
    raw["states"]["limbo"] = {"stage": "X", "label": "Limbo", "final": True}
    assert "states.limbo: unreachable from the initial state 'notified'" in _problems(raw)


def test_a_state_nothing_leaves_is_a_dead_end_unless_final() -> None:
    raw = _dhr()
    raw["states"]["limbo"] = {"stage": "X", "label": "Limbo"}
    raw["transitions"].append({"trigger": "go_to_limbo", "label": "Limbo", "source": "notified", "dest": "limbo"})
    assert any(p.startswith("states.limbo: not final, but no transition leaves it") for p in _problems(raw))


def test_a_clock_that_never_stops_is_refused() -> None:
    raw = _dhr()
    raw["clocks"]["decision"]["stops_on"] = []
    assert any("clocks.decision.stops_on: the clock never stops" in p for p in _problems(raw))


def test_a_clock_stopped_by_an_unknown_trigger_is_refused() -> None:
    raw = _dhr()
    raw["clocks"]["decision"]["stops_on"] = ["decide_reveiw"]
    assert "clocks.decision.stops_on: unknown trigger 'decide_reveiw'" in _problems(raw)


def test_a_required_field_must_be_declared() -> None:
    raw = _dhr()
    raw["transitions"][1]["requires"] = ["reasons"]
    assert any("requires: unknown field 'reasons'" in p for p in _problems(raw))


def test_unknown_keys_and_bad_periods_are_schema_errors_with_paths() -> None:
    raw = _dhr()
    raw["clocks"]["decision"]["period"] = {"months": 1, "days": 3}
    raw["states"]["notified"]["colour"] = "red"
    problems = _problems(raw)
    assert any(p.startswith("clocks.decision.period") and "exactly one" in p for p in problems)
    assert any(p.startswith("states.notified.colour") for p in problems)


def test_yaml_syntax_errors_are_reported_not_raised() -> None:
    with pytest.raises(WorkflowDefinitionError, match="not valid YAML"):
        parse_definition("states: [unclosed", "workflows/broken.yaml")


def test_pause_reasons_belong_only_to_pausable_clocks() -> None:
    raw = _dhr()
    raw["clocks"]["decision"]["pause_reasons"] = {"x": "X"}
    assert "clocks.decision.pause_reasons: the clock is not pausable" in _problems(raw)

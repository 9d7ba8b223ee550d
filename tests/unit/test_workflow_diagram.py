"""The workflow diagram shows what people call each stage and step (the workflow file's stage and label), never the
internal state or trigger names; it runs top to bottom and marks the current stage in colour and in words."""

from __future__ import annotations

import re
import shutil

from dhr_workflow.workflow.diagram import draw, stage_names, text_alternative
from dhr_workflow.workflow.registry import WorkflowRegistry
from tests.conftest import REPO
from tests.services import unavailable

DHR = WorkflowRegistry.from_directory(REPO / "workflows").latest("dhr")
# Internal names that are not also words of a visible label (a label may say "Scoping", a name may be "scoping").
INTERNAL = [n for n in DHR.states if "_" in n] + [t.trigger for t in DHR.transitions if "_" in t.trigger]


def test_each_stage_is_named_as_the_workflow_file_labels_it() -> None:
    names = stage_names(DHR, "evidence_gathering")
    state = DHR.states["evidence_gathering"]
    assert names["evidence_gathering"] == f"{state.stage}: {state.label} (current stage)"
    assert names["notified"] == f"{DHR.states['notified'].stage}: {DHR.states['notified'].label}"
    assert sum("(current stage)" in n for n in names.values()) == 1


def test_the_mermaid_diagram_shows_labels_top_to_bottom_with_the_current_stage_marked() -> None:
    drawn = draw(DHR, "evidence_gathering")
    assert "direction TB" in drawn
    for name, label in stage_names(DHR, "evidence_gathering").items():
        assert f'state "{label}" as {name}' in drawn
    assert "Class evidence_gathering s_active" in drawn
    edges = [line.split(": ", 1)[1] for line in drawn.splitlines() if " --> " in line and ": " in line]
    labels = {t.label for t in DHR.transitions}
    assert edges and all(set(e.split(" | ")) <= labels for e in edges)  # steps by their labels, not triggers


def test_the_svg_carries_visible_names_only() -> None:
    if not shutil.which("dot"):
        unavailable("Graphviz `dot` is not installed (scripts/setup-system.sh installs it)")
    svg = draw(DHR, "evidence_gathering", fmt="svg")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "Evidence: Agency reports, chronologies and family involvement (current stage)" in " ".join(texts)
    leaked = [name for name in INTERNAL if name in svg]
    assert INTERNAL and leaked == []
    current = svg.split("(current stage)")[0].rsplit('class="node"', 1)[1]
    assert 'fill="darksalmon"' in current  # highlighted in colour as well as in words


def test_the_text_alternative_names_the_stage_in_words() -> None:
    case = {"ref": "DHR-1", "stage": "Evidence", "state_label": "Agency reports", "actions": [], "blocked_actions": []}
    assert text_alternative(DHR, {**case, "clocks": []}) == ["DHR-1 is at Evidence: Agency reports."]

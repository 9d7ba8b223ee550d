"""Diagrams of a workflow for people: transitions' GraphMachine draws it (Mermaid, or SVG through Graphviz) with
the case's current state highlighted, and a text alternative lists where the case is, what can happen next and
when each running clock is due (WCAG: the picture is never the only way to get the information)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from dhr_workflow.workflow.definition import WorkflowDefinition


def draw(definition: WorkflowDefinition, current: str | None = None, fmt: str = "mermaid") -> str:
    """Mermaid `stateDiagram-v2` text, or SVG markup, of the whole workflow: each stage under the name people see
    in the workflow file (its stage and label, never the internal state name), each step under its label, the
    current stage highlighted and also marked in words (colour is never the only sign)."""
    from transitions import State
    from transitions.extensions import GraphMachine

    class _Diagram:  # GraphMachine needs a model of its own; it is thrown away after drawing
        pass

    class _Labelled(State):  # transitions' State takes no label; the diagram code reads one if it is there
        def __init__(self, *args: Any, label: str | None = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.label = label

    class _TopToBottom(GraphMachine):
        # Top to bottom, so a long workflow is tall and legible at page width rather than a thin strip.
        machine_attributes = {**GraphMachine.machine_attributes, "rankdir": "TB"}
        state_cls = _Labelled

    model = _Diagram()
    machine = _TopToBottom(
        model=model,
        states=[
            {"name": name, "label": _visible(label, fmt)} for name, label in stage_names(definition, current).items()
        ],
        initial=definition.initial,
        auto_transitions=False,
        transitions=[
            {"trigger": t.trigger, "source": t.source, "dest": t.dest, "label": _visible(t.label, fmt)}
            for t in definition.transitions
        ],
        graph_engine="mermaid" if fmt == "mermaid" else "graphviz",
        show_conditions=False,
        title=f"{definition.title} (version {definition.version})",
    )
    if current and current != definition.initial:
        machine.set_state(current, model)
    graph = model.get_graph(force_new=True)  # type: ignore[attr-defined]
    if fmt == "mermaid":
        return str(graph.draw(None))
    return _without_state_names(str(graph.pipe(format="svg").decode("utf-8")))


def _without_state_names(svg: str) -> str:
    # Graphviz names each node and edge in a comment and a <title> (a tooltip): those carry the internal names.
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    return re.sub(r'(<g id="(?:node|edge)\d+" class="(?:node|edge)">\s*)<title>[^<]*</title>\n?', r"\1", svg)


def stage_names(definition: WorkflowDefinition, current: str | None = None) -> dict[str, str]:
    """Each state's name as the diagram shows it: "Stage: label", the current one followed by "(current stage)"."""
    return {
        name: f"{s.stage}: {s.label}" + (" (current stage)" if name == current else "")
        for name, s in definition.states.items()
    }


def _visible(text: str, fmt: str) -> str:
    # Graphviz escapes its labels itself; a double quote would end a Mermaid label early.
    return text.replace('"', "#quot;") if fmt == "mermaid" else text


def text_alternative(
    definition: WorkflowDefinition, case: dict[str, Any] | None = None, dates: Callable[[date], str] = date.isoformat
) -> list[str]:
    """The same information as the diagram, as sentences; `dates` writes a date (pages pass `long_date`)."""
    if case is None:
        return [f"{definition.title}. Stages in order:"] + [
            f"- {s.stage}: {s.label} ({name})" for name, s in definition.states.items()
        ]
    lines = [f"{case['ref']} is at {case['stage']}: {case['state_label']}."]
    lines += [f"Next possible step: {a['label']}" for a in case["actions"]]
    lines += [
        f"Not yet possible: {b['label']}: {'; '.join(n['what'] for n in b['needs'])}" for b in case["blocked_actions"]
    ]
    lines += [
        f"Clock {c['label']}: due {dates(date.fromisoformat(c['due']))} ({c['status'].replace('_', ' ')})"
        for c in case["clocks"]
        if c["stopped_on"] is None
    ]
    return lines

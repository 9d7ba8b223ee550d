"""Diagrams of a workflow for people: transitions' GraphMachine draws it (Mermaid, or SVG through Graphviz) with
the case's current state highlighted, and a text alternative lists where the case is, what can happen next and
when each running clock is due (WCAG: the picture is never the only way to get the information)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from dhr_workflow.workflow.definition import WorkflowDefinition


def draw(definition: WorkflowDefinition, current: str | None = None, fmt: str = "mermaid") -> str:
    """Mermaid `stateDiagram-v2` text, or SVG markup, of the whole workflow."""
    from transitions.extensions import GraphMachine

    class _Diagram:  # GraphMachine needs a model of its own; it is thrown away after drawing
        pass

    class _TopToBottom(GraphMachine):
        # Top to bottom, so a long workflow is tall and legible at page width rather than a thin strip.
        machine_attributes = {**GraphMachine.machine_attributes, "rankdir": "TB"}

    model = _Diagram()
    machine = _TopToBottom(
        model=model,
        states=list(definition.states),
        initial=definition.initial,
        auto_transitions=False,
        transitions=[{"trigger": t.trigger, "source": t.source, "dest": t.dest} for t in definition.transitions],
        graph_engine="mermaid" if fmt == "mermaid" else "graphviz",
        show_conditions=False,
        title=f"{definition.title} (version {definition.version})",
    )
    if current and current != definition.initial:
        machine.set_state(current, model)
    graph = model.get_graph(force_new=True)  # type: ignore[attr-defined]
    if fmt == "mermaid":
        return str(graph.draw(None))
    return str(graph.pipe(format="svg").decode("utf-8"))


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

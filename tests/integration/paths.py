"""Reaching any state of a workflow through the real services, with whatever each step needs."""

from __future__ import annotations

from collections import deque
from datetime import date, timedelta

from dhr_workflow.workflow.definition import TransitionDef, WorkflowDefinition

# Field values that satisfy every `requires` and guard of the DHR workflow.
SATISFYING = {
    "rationale": "Criteria met & reasons <recorded>",
    "challenge_summary": "Home Office asked us to look again",
    "direction_summary": "The Secretary of State directs a review (s.9(2) DVCVA 2004)",
    "chair_name": "Dr J Independent",
    "chair_independence_statement_received": "yes",
    "review_period_start": "2020-01-01",
    "qa_feedback_summary": "Strengthen the analysis",
    "publication_url": "https://example.org/dhr",
    "handover_reason": "Remaining actions move to the Delivery Plan",
}


def values_for(t: TransitionDef, definition: WorkflowDefinition) -> dict[str, str]:
    needed = set(t.requires)
    if "chair_independence_confirmed" in t.guards:
        needed.add("chair_independence_statement_received")
    return {k: SATISFYING[k] for k in needed}


def path_to(definition: WorkflowDefinition, target: str) -> list[TransitionDef]:
    """The shortest list of transitions from the initial state to `target`."""
    queue: deque[tuple[str, list[TransitionDef]]] = deque([(definition.initial, [])])
    seen = {definition.initial}
    while queue:
        state, path = queue.popleft()
        if state == target:
            return path
        for t in definition.transitions_from(state):
            if t.dest not in seen:
                seen.add(t.dest)
                queue.append((t.dest, [*path, t]))
    raise AssertionError(f"{target} is unreachable")


def dated_steps(
    start: date, transitions: list[TransitionDef], definition: WorkflowDefinition
) -> list[tuple[str, date, dict[str, str]]]:
    return [(t.trigger, start + timedelta(days=i + 1), values_for(t, definition)) for i, t in enumerate(transitions)]

"""Each installed workflow's steps as plain data from the on-disk cache: what `dhr case show` needs to say what can
happen next and why not, without the pydantic definitions or the transitions engine (issue 17).

Unpickling the checked definitions imports pydantic and builds its models, and the engine imports transitions:
together several times the cost of the command's queries. A `WorkflowPlan` holds the same states, transitions and
clock labels as plain dataclasses and answers the engine's questions (available triggers, what blocks the others)
with the guards' own `missing_for`, so the rules are written once. Cached like `state_labels`: under the bytes of
every workflow file and of the code that checks them and builds this, and built from the checked definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dhr_workflow.workflow.guards import GuardContext, Missing, missing_for
from dhr_workflow.workflow.installed import installed
from dhr_workflow.workflow.state_labels import cached_catalogue

if TYPE_CHECKING:
    from dhr_workflow.workflow.definition import WorkflowDefinition
    from dhr_workflow.workflow.registry import WorkflowRegistry

CHECKERS = ("definition.py", "guards.py", "registry.py", "plans.py")


@dataclass(frozen=True)
class PlainState:
    label: str
    stage: str
    final: bool


@dataclass(frozen=True)
class PlainTransition:
    trigger: str
    label: str
    source: tuple[str, ...]
    requires: tuple[str, ...]
    guards: tuple[str, ...]
    roles: tuple[str, ...]


@dataclass(frozen=True)
class PlainClock:
    label: str
    source: str
    configurable: bool


@dataclass(frozen=True)
class WorkflowPlan:
    """One workflow version's title, states, transitions (in file order) and clocks, as WorkflowDefinition has them."""

    title: str
    states: dict[str, PlainState]
    transitions: tuple[PlainTransition, ...]
    clocks: dict[str, PlainClock]

    @classmethod
    def of(cls, d: WorkflowDefinition) -> WorkflowPlan:
        return cls(
            d.title,
            {name: PlainState(s.label, s.stage, s.final) for name, s in d.states.items()},
            tuple(
                PlainTransition(t.trigger, t.label, tuple(t.source), tuple(t.requires), tuple(t.guards), tuple(t.roles))
                for t in d.transitions
            ),
            {name: PlainClock(c.label, c.source, c.configurable) for name, c in d.clocks.items()},
        )

    def transitions_from(self, state: str) -> list[PlainTransition]:
        return [t for t in self.transitions if state in t.source]

    def transition_labels(self) -> dict[str, str]:
        return {t.trigger: t.label for t in self.transitions}

    def triggers_from(self, state: str) -> list[str]:
        return list(dict.fromkeys(t.trigger for t in self.transitions_from(state)))

    def roles_for(self, state: str, trigger: str) -> list[str]:
        """As WorkflowDefinition.roles_for: empty when any transition for `trigger` from `state` names no roles."""
        candidates = [t for t in self.transitions_from(state) if t.trigger == trigger]
        if any(not t.roles for t in candidates):
            return []
        return list(dict.fromkeys(r for t in candidates for r in t.roles))

    def required_inputs(self, state: str, trigger: str) -> list[str]:
        return list(dict.fromkeys(f for t in self.transitions_from(state) if t.trigger == trigger for f in t.requires))

    def available_triggers(self, ctx: GuardContext) -> list[str]:
        """What the engine's available_triggers gives: a trigger some transition from ctx.state may take now (its
        guards pass; the `requires` fields count as given, a form asks for them)."""
        return [t for t in self.triggers_from(ctx.state) if not self.explain_blocked(t, ctx)]

    def explain_blocked(self, trigger: str, ctx: GuardContext) -> list[Missing]:
        """As the engine's explain_blocked with assume_inputs: the first candidate's reasons, none if any may pass."""
        candidates = [t for t in self.transitions_from(ctx.state) if t.trigger == trigger]
        reasons = [missing_for(t, ctx, True) for t in candidates]
        return [] if any(not r for r in reasons) else (reasons[0] if reasons else [])


@dataclass(frozen=True)
class PlanCatalogue:
    """The plans of every installed workflow version, keyed as WorkflowRegistry.definitions."""

    definitions: dict[tuple[str, str], WorkflowPlan]

    @classmethod
    def of(cls, registry: WorkflowRegistry) -> PlanCatalogue:
        return cls({key: WorkflowPlan.of(d) for key, d in registry.definitions.items()})

    @classmethod
    def from_directory(cls, directory: Path | None = None) -> PlanCatalogue:
        return cached_catalogue("workflow-plans", directory, CHECKERS, cls.of)

    def get(self, name: str, version: str) -> WorkflowPlan:
        return installed(self.definitions, name, version)

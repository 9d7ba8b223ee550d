"""Runs a workflow definition: one shared, model-less transitions `Machine` per definition version.

The machine is built once and fired with `machine.events[trigger].trigger(case)` on whatever object carries the
case's `state` (the FAQ pattern in engineering-notes §1.2): nothing is stored per case, and the state attribute is
written only here, by transitions itself. The engine does no I/O; the service that calls it owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from transitions import Machine, MachineError

from dhr_workflow.core.errors import GuardFailed, NotPermitted, TriggerNotAvailable
from dhr_workflow.workflow.definition import TransitionDef, WorkflowDefinition
from dhr_workflow.workflow.guards import EFFECTS, GuardContext, Missing, missing_for


class HasState(Protocol):
    state: str


@dataclass(frozen=True)
class FireOutcome:
    trigger: str
    source: str
    dest: str
    field_updates: dict[str, Any]
    clocks_started: tuple[str, ...]
    clocks_stopped: tuple[str, ...]


class WorkflowEngine:
    def __init__(self, definition: WorkflowDefinition) -> None:
        self.definition = definition
        self.machine = Machine(
            model=None,
            states=list(definition.states),
            initial=definition.initial,
            transitions=[self._machine_transition(t) for t in definition.transitions],
            auto_transitions=False,  # no `to_<state>()` shortcut may skip a stage
            send_event=True,
            model_attribute="state",
        )
        # Per state, the transitions that leave it, in file order: worked out once, not on every fire (issue 17).
        self._leaving = {state: definition.transitions_from(state) for state in definition.states}

    @staticmethod
    def _machine_transition(t: TransitionDef) -> dict[str, Any]:
        return {
            "trigger": t.trigger,
            "source": t.source,
            "dest": t.dest,
            "conditions": [
                lambda event, t=t: not missing_for(t, event.kwargs["ctx"], event.kwargs.get("assume_inputs"))
            ],
        }

    def available_triggers(self, case: HasState, ctx: GuardContext) -> list[str]:
        """Triggers whose guards pass now: what a user interface may offer (it asks for the `requires` fields)."""
        return [
            t
            for t in self.triggers_from(case.state)  # _can_trigger is transitions' may_trigger, model-less
            if self.machine._can_trigger(case, t, ctx=ctx, assume_inputs=True)
        ]

    def required_inputs(self, state: str, trigger: str) -> list[str]:
        return list(
            dict.fromkeys(
                f for t in self.definition.transitions_from(state) if t.trigger == trigger for f in t.requires
            )
        )

    def triggers_from(self, state: str) -> list[str]:
        return list(dict.fromkeys(t.trigger for t in self._transitions_from(state)))

    def _transitions_from(self, state: str) -> list[TransitionDef]:
        leaving = self._leaving.get(state)
        return self.definition.transitions_from(state) if leaving is None else leaving

    def explain_blocked(self, trigger: str, ctx: GuardContext, assume_inputs: bool = False) -> list[Missing]:
        """Every reason `trigger` cannot happen from ctx.state (empty when it can); with assume_inputs, only what a
        form cannot supply (the guards)."""
        candidates = [t for t in self._transitions_from(ctx.state) if t.trigger == trigger]
        reasons = [missing_for(t, ctx, assume_inputs) for t in candidates]
        return [] if any(not r for r in reasons) else (reasons[0] if reasons else [])

    def fire(self, case: HasState, trigger: str, ctx: GuardContext, role: str | None = None) -> FireOutcome:
        """Move `case` along `trigger`; raise TriggerNotAvailable, NotPermitted or GuardFailed and leave it unchanged
        otherwise. `role` is the acting person's role; None is the system operator, who may fire anything."""
        source = case.state
        if trigger not in self.triggers_from(source):
            raise TriggerNotAvailable(trigger, source, self.available_triggers(case, ctx))
        check_role(self.definition, source, trigger, role)
        try:
            moved = self.machine.events[trigger].trigger(case, ctx=ctx)
        except MachineError:  # pragma: no cover - triggers_from already checked the source state
            raise TriggerNotAvailable(trigger, source, self.available_triggers(case, ctx)) from None
        if not moved:
            raise GuardFailed(trigger, self.explain_blocked(trigger, ctx))
        transition = self._taken(trigger, source, ctx)
        return FireOutcome(
            trigger=trigger,
            source=source,
            dest=case.state,
            field_updates=_effects(transition, ctx),
            clocks_started=self.definition.clocks_started_by(trigger, case.state),
            clocks_stopped=self.definition.clocks_stopped_by(trigger, case.state),
        )

    def _taken(self, trigger: str, source: str, ctx: GuardContext) -> TransitionDef:
        # transitions takes the first transition whose conditions pass, in file order; so do we.
        return next(t for t in self._transitions_from(source) if t.trigger == trigger and not missing_for(t, ctx))


def check_role(definition: WorkflowDefinition, state: str, trigger: str, role: str | None) -> None:
    """Refuse `role` if the workflow file names who may fire `trigger` from `state` and it is not one of them."""
    allowed = definition.roles_for(state, trigger)
    if role is not None and allowed and role not in allowed:
        raise NotPermitted(
            f"'{trigger}' may be recorded only by: {', '.join(allowed)} (you are {role}). "
            "Ask someone with one of those roles to do it.",
            allowed,
        )


def _effects(t: TransitionDef, ctx: GuardContext) -> dict[str, Any]:
    updates: dict[str, Any] = {}
    for name in t.effects:
        updates.update(EFFECTS[name](ctx))
    return updates


_ENGINES: dict[tuple[str, str], WorkflowEngine] = {}


def engine_for(definition: WorkflowDefinition) -> WorkflowEngine:
    """The one shared engine for a definition version (built on first use, never per case)."""
    key = (definition.name, definition.version)
    if key not in _ENGINES or _ENGINES[key].definition is not definition:
        _ENGINES[key] = WorkflowEngine(definition)
    return _ENGINES[key]

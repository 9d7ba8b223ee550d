"""The shape of a workflow file (`workflows/*.yaml`) and the checks a definition must pass before it is used.

Parsing is strict (unknown keys are errors) and every problem is reported with its path inside the file, so an
administrator editing YAML sees `transitions[3].dest: unknown state 'revew_agreed'` rather than a stack trace.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dhr_workflow.core.calendar import Period, Unit
from dhr_workflow.core.clocks import ClockRule
from dhr_workflow.core.errors import WorkflowDefinitionError
from dhr_workflow.workflow.guards import EFFECTS, GUARDS

CASE_NOTIFIED = "case_notified"  # pseudo-trigger: the case was logged (starts clocks on the notified date)
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
# The account roles a transition may name in `roles` (dhr_workflow/people/roles.ROLES; a test keeps them equal:
# the workflow layer sits below people and cannot import it).
KNOWN_ROLES = ("admin", "coordinator", "csp_chair", "reviewer", "panel_member", "agency_contact", "viewer")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StateDef(Strict):
    label: str
    stage: str
    final: bool = False
    description: str = ""


class TransitionDef(Strict):
    trigger: str = Field(pattern=NAME_PATTERN)
    label: str
    source: list[str]
    dest: str
    requires: list[str] = []
    guards: list[str] = []
    effects: list[str] = []
    clause: str = ""
    roles: list[str] = []  # who may fire it; empty: anyone who may change cases

    @field_validator("source", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class FieldDef(Strict):
    type: Literal["text", "date", "choice", "integer", "email"]
    label: str
    choices: list[str] = []
    max_length: int = 5000
    hint: str = ""

    @model_validator(mode="after")
    def _choices_only_for_choice(self) -> FieldDef:
        if (self.type == "choice") != bool(self.choices):
            raise ValueError("a 'choice' field needs 'choices', and only a 'choice' field may have them")
        return self


class PeriodDef(Strict):
    days: int | None = Field(default=None, ge=0)
    working_days: int | None = Field(default=None, ge=0)
    months: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> PeriodDef:
        if sum(v is not None for v in (self.days, self.working_days, self.months)) != 1:
            raise ValueError("give exactly one of days, working_days or months")
        return self

    def to_period(self) -> Period:
        for unit in Unit:
            amount = getattr(self, unit.value)
            if amount is not None:
                return Period(amount, unit)
        raise AssertionError("validated to have one unit")


class ReminderRuleDef(Strict):
    """When to remind, relative to a due date, in working days (issue 3 delivers them)."""

    before: list[int] = [10, 2]
    on_due_date: bool = True
    overdue_every: int | None = 5
    recipients: list[str] = ["coordinator"]
    escalate_to: list[str] = ["csp_chair", "coordinator"]


class ClockDef(Strict):
    label: str
    period: PeriodDef
    roll_to_working_day: bool = True
    starts_on: list[str] = []  # triggers that start it
    starts_entering: list[str] = []  # or states whose entry starts it (when a trigger leads to several states)
    stops_on: list[str] = []
    stops_entering: list[str] = []
    pausable: bool = False
    pause_reasons: dict[str, str] = {}
    source: str
    configurable: bool = False  # true where the figure is not confirmed in the guidance ([U] in dhr-process.md)
    reminders: ReminderRuleDef = ReminderRuleDef()

    def rule(self) -> ClockRule:
        return ClockRule(self.period.to_period(), self.roll_to_working_day)


class EvidenceDef(Strict):
    """How long an agency has for one kind of evidence request, and how it is chased (issue 12)."""

    working_days: int = Field(ge=1)
    remind_before: int = Field(default=2, ge=0)  # working days before the due date; 0: no reminder before
    chase_every: int = Field(default=5, ge=1)  # working days between chasers after the first (due date + 1)
    escalate_with_chaser: int = Field(default=2, ge=1)  # the coordinator hears of it with this chaser
    configurable: bool = False
    source: str = ""


DEFAULT_EVIDENCE = {
    "scoping_return": EvidenceDef(working_days=10, configurable=True),
    "imr": EvidenceDef(working_days=20, configurable=True),
    "chronology": EvidenceDef(working_days=20, configurable=True),
    "factual_accuracy": EvidenceDef(working_days=10, configurable=True),
}


class WorkflowDefinition(Strict):
    name: str = Field(pattern=NAME_PATTERN)
    version: str
    # "case": a review case runs it (the default). "process": anything else with a `state` the engine may run,
    # such as the Delivery Plan's commentary round; it has no case reference or review type.
    kind: Literal["case", "process"] = "case"
    title: str
    review_type: str = ""
    reference_prefix: str = Field(default="", pattern=r"^([A-Z]{2,6})?$")
    guidance: str
    minimum_victim_age: int = 16
    initial: str
    states: dict[str, StateDef]
    transitions: list[TransitionDef]
    fields: dict[str, FieldDef] = {}
    clocks: dict[str, ClockDef] = {}
    task_reminders: ReminderRuleDef = ReminderRuleDef(recipients=["assignee"])
    evidence: dict[str, EvidenceDef] = DEFAULT_EVIDENCE

    @model_validator(mode="after")
    def _cases_have_references(self) -> WorkflowDefinition:
        if self.kind == "case" and not (self.review_type and self.reference_prefix):
            raise ValueError("a case workflow needs review_type and reference_prefix (or say kind: process)")
        return self

    @model_validator(mode="after")
    def _evidence_kinds(self) -> WorkflowDefinition:
        unknown = sorted(set(self.evidence) - set(DEFAULT_EVIDENCE))
        if unknown:
            raise ValueError(f"evidence: unknown kind(s) {unknown} (known: {', '.join(DEFAULT_EVIDENCE)})")
        if set(self.evidence) != set(DEFAULT_EVIDENCE):
            object.__setattr__(self, "evidence", {**DEFAULT_EVIDENCE, **self.evidence})
        return self

    def triggers(self) -> set[str]:
        return {t.trigger for t in self.transitions}

    def transitions_from(self, state: str) -> list[TransitionDef]:
        return [t for t in self.transitions if state in t.source]

    def clocks_started_by(self, trigger: str, dest: str | None = None) -> tuple[str, ...]:
        return tuple(n for n, c in self.clocks.items() if trigger in c.starts_on or dest in c.starts_entering)

    def clocks_stopped_by(self, trigger: str, dest: str | None = None) -> tuple[str, ...]:
        """Clocks a step stops; reaching a final state stops every clock (no clock outlives its case)."""
        final = dest is not None and self.states[dest].final
        return tuple(n for n, c in self.clocks.items() if final or trigger in c.stops_on or dest in c.stops_entering)

    def roles_for(self, state: str, trigger: str) -> list[str]:
        """The roles that may fire `trigger` from `state`; empty when the file does not restrict it."""
        candidates = [t for t in self.transitions_from(state) if t.trigger == trigger]
        if any(not t.roles for t in candidates):
            return []
        return list(dict.fromkeys(r for t in candidates for r in t.roles))

    def transition_labels(self) -> dict[str, str]:
        return {t.trigger: t.label for t in self.transitions}


def parse_definition(text: str, source: str) -> WorkflowDefinition:
    """Parse and check a workflow file's text; raise WorkflowDefinitionError listing every problem."""
    import yaml  # here, not at the top: a cached definition (workflow/registry.py) needs no YAML parser

    try:
        from dhr_workflow.workflow import strict_yaml  # a cached definition needs no YAML parser (issue 17)

        raw = strict_yaml.load(text)
    except yaml.YAMLError as err:
        raise WorkflowDefinitionError(source, [f"not valid YAML: {err}"]) from None
    if not isinstance(raw, dict):
        raise WorkflowDefinitionError(source, ["the file must be a mapping with name, version, states, ..."])
    try:
        definition = WorkflowDefinition.model_validate(raw)
    except ValidationError as err:
        raise WorkflowDefinitionError(source, [_describe(e) for e in err.errors()]) from None
    problems = semantic_problems(definition)
    if problems:
        raise WorkflowDefinitionError(source, problems)
    return definition


def _describe(error: Any) -> str:
    path = ""
    for part in error["loc"]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return f"{path or '(top)'}: {error['msg']}"


def semantic_problems(d: WorkflowDefinition) -> list[str]:
    """Checks a schema cannot express: references between parts of the file, reachability, clocks that stop."""
    return [
        *_state_problems(d),
        *_transition_problems(d),
        *_reachability_problems(d),
        *_clock_problems(d),
    ]


def _state_problems(d: WorkflowDefinition) -> list[str]:
    problems = [] if d.initial in d.states else [f"initial: unknown state '{d.initial}'"]
    for name in d.states:
        if not name.replace("_", "a").isalnum() or not name.islower():
            problems.append(f"states.{name}: state names are lower_snake_case")
    return problems


def _transition_problems(d: WorkflowDefinition) -> list[str]:
    problems: list[str] = []
    known = ", ".join(sorted(d.states))
    for i, t in enumerate(d.transitions):
        where = f"transitions[{i}] ({t.trigger})"
        for s in [*t.source, t.dest]:
            if s not in d.states:
                problems.append(f"{where}: unknown state '{s}' (known: {known})")
        for s in t.source:
            if s in d.states and d.states[s].final:
                problems.append(f"{where}.source: '{s}' is final; nothing may leave it")
        problems += [
            f"{where}.guards: unknown guard '{g}' (allowed: {', '.join(sorted(GUARDS))})"
            for g in t.guards
            if g not in GUARDS
        ]
        problems += [
            f"{where}.effects: unknown effect '{e}' (allowed: {', '.join(sorted(EFFECTS))})"
            for e in t.effects
            if e not in EFFECTS
        ]
        problems += [
            f"{where}.roles: unknown role '{r}' (known: {', '.join(KNOWN_ROLES)})"
            for r in t.roles
            if r not in KNOWN_ROLES
        ]
        problems += [
            f"{where}.requires: unknown field '{f}' (declare it under fields)" for f in t.requires if f not in d.fields
        ]
    return problems


def _reachability_problems(d: WorkflowDefinition) -> list[str]:
    if d.initial not in d.states:
        return []
    seen, queue = {d.initial}, deque([d.initial])
    while queue:
        state = queue.popleft()
        for t in d.transitions_from(state):
            if t.dest not in seen:
                seen.add(t.dest)
                queue.append(t.dest)
    problems = [f"states.{s}: unreachable from the initial state '{d.initial}'" for s in d.states if s not in seen]
    for name, spec in d.states.items():
        if not spec.final and not d.transitions_from(name):
            problems.append(f"states.{name}: not final, but no transition leaves it (a case would be stuck)")
    if not any(s.final for s in d.states.values()):
        problems.append("states: no final state (a case could never close)")
    return problems


def _clock_problems(d: WorkflowDefinition) -> list[str]:
    problems: list[str] = []
    triggers = d.triggers()
    for name, c in d.clocks.items():
        for t in c.starts_on:
            if t != CASE_NOTIFIED and t not in triggers:
                problems.append(f"clocks.{name}.starts_on: unknown trigger '{t}'")
        for key, states in (("starts_entering", c.starts_entering), ("stops_entering", c.stops_entering)):
            problems += [f"clocks.{name}.{key}: unknown state '{s}'" for s in states if s not in d.states]
        if not c.starts_on and not c.starts_entering:
            problems.append(f"clocks.{name}: the clock never starts (give starts_on or starts_entering)")
        if not c.stops_on and not c.stops_entering:
            problems.append(f"clocks.{name}.stops_on: the clock never stops (name the triggers that stop it)")
        problems += [f"clocks.{name}.stops_on: unknown trigger '{t}'" for t in c.stops_on if t not in triggers]
        if c.pause_reasons and not c.pausable:
            problems.append(f"clocks.{name}.pause_reasons: the clock is not pausable")
        if c.pausable and not c.pause_reasons:
            problems.append(f"clocks.{name}.pause_reasons: a pausable clock needs its pause reasons")
    return problems

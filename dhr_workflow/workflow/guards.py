"""The allow-list of guards and effects a workflow file may name.

transitions would import any dotted name given as a callback (engineering-notes §1.4), so workflow files never name
code: they name entries in these two dicts. A guard returns None when the transition may happen, or a `Missing`
saying what is missing and what supplies it (case fields, or a named action), so each entry point can word it its
own way: the web links to the field or button, the command line names the command (`str(missing)`). An effect
returns field updates; neither does I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol


@dataclass(frozen=True)
class GuardContext:
    """What a guard may look at: the case's fields (with this firing's values applied) and facts from services."""

    ref: str
    state: str
    fields: Mapping[str, Any]
    facts: Mapping[str, Any] = field(default_factory=dict)
    occurred_on: date | None = None


@dataclass(frozen=True)
class Missing:
    """One thing that stops a transition. `what` is plain words with no tool in them; `fields` are the case fields
    that supply it; `action` names what else does ("tasks": finishing tasks, "publication_check": running the
    publication check, "delivery_plan": closing actions); `command` says how on the command line."""

    what: str
    fields: tuple[str, ...] = ()
    action: str = ""
    command: str = ""

    def __str__(self) -> str:
        return f"{self.what}; {self.command}" if self.command else self.what

    def as_dict(self) -> dict[str, Any]:
        return {"what": self.what, "fields": list(self.fields), "action": self.action, "command": self.command}


Guard = Callable[[GuardContext], Missing | None]
Effect = Callable[[GuardContext], dict[str, Any]]


def _is_yes(value: Any) -> bool:
    return str(value).strip().lower() in {"yes", "true", "1"}


def proceedings_concluded(ctx: GuardContext) -> Missing | None:
    live = [
        name
        for name, key in (
            ("criminal proceedings", "criminal_proceedings_live"),
            ("an inquest", "inquest_live"),
        )
        if _is_yes(ctx.fields.get(key, "no"))
    ]
    if not live:
        return None
    keys = ("criminal_proceedings_live", "inquest_live")
    return Missing(
        f"publication is held while {' and '.join(live)} {'is' if len(live) == 1 else 'are'} live; "
        "record when they end",
        fields=keys,
        command=f"when they end, record it with `dhr case set {ctx.ref} {' '.join(f'{k}=no' for k in keys)}`",
    )


def agency_reports_received(ctx: GuardContext) -> Missing | None:
    outstanding = int(ctx.facts.get("open_agency_report_tasks", 0))
    if outstanding:
        return Missing(
            f"{outstanding} agency report task(s) are still open",
            action="tasks",
            command=f"mark them done with `dhr task done {ctx.ref} TASK_ID`",
        )
    return None


def agency_evidence_settled(ctx: GuardContext) -> Missing | None:
    """Every in-scope agency's IMR is in, a nil return, or not required with a reason (issue 12)."""
    problem = ctx.facts.get("agency_evidence_problem")
    if not problem:
        return None
    return Missing(
        str(problem),
        action="agencies",
        command=f"see `dhr evidence list {ctx.ref}`; add agencies with `dhr case agencies {ctx.ref} --add NAME`",
    )


def factual_accuracy_closed(ctx: GuardContext) -> Missing | None:
    """The draft went out for factual accuracy and the round is closed: every answer in, or the rest recorded as not
    answered after the deadline (issue 12)."""
    problem = ctx.facts.get("accuracy_problem")
    if not problem:
        return None
    return Missing(
        str(problem),
        action="factual_accuracy",
        command=f"see `dhr accuracy show {ctx.ref}`; circulate with `dhr accuracy circulate {ctx.ref} --version N "
        "--agency NAME`, close with `dhr accuracy close`",
    )


def qa_items_answered(ctx: GuardContext) -> Missing | None:
    """Every item of the Home Office's last QA feedback has a response (dhr_workflow/qa)."""
    open_items = int(ctx.facts.get("qa_items_open", 0) or 0)
    if not open_items:
        return None
    return Missing(
        f"{open_items} item(s) of the Home Office's last QA feedback have no response yet: record a response "
        "and where in the report it was addressed for each",
        action="qa_items",
        command=f"answer each with `dhr qa item answer {ctx.ref} ITEM --response TEXT --section TEXT`",
    )


def chair_independence_confirmed(ctx: GuardContext) -> Missing | None:
    if _is_yes(ctx.fields.get("chair_independence_statement_received", "no")):
        return None
    return Missing(
        "the chair's independence statement has not been received",
        fields=("chair_independence_statement_received",),
        command=f"record it with `dhr case set {ctx.ref} chair_independence_statement_received=yes`",
    )


def publication_check_clean(ctx: GuardContext) -> Missing | None:
    if ctx.facts.get("publication_check_clean"):
        return None
    return Missing(
        "the publication leak check has not passed since the case last changed",
        action="publication_check",
        command=f"run `dhr publish check {ctx.ref}` and fix what it finds",
    )


def no_open_actions(ctx: GuardContext) -> Missing | None:
    open_actions = int(ctx.facts.get("open_actions", 0))
    if open_actions and not ctx.fields.get("handover_reason"):
        return Missing(
            f"{open_actions} action(s) from this review are still open; close them, or say why they pass to the "
            "Delivery Plan",
            fields=("handover_reason",),
            action="delivery_plan",
            command="close them, or hand them over with --set handover_reason=...",
        )
    return None


def commentary_complete_or_explained(ctx: GuardContext) -> Missing | None:
    missing = int(ctx.facts.get("missing_updates", 0))
    if missing and not ctx.fields.get("collate_note"):
        return Missing(
            f"{missing} action owner(s) have not sent their update; wait for them, or collate anyway saying why "
            "(it is shown in the collated plan)",
            fields=("collate_note",),
            command="collate anyway with --note saying why",
        )
    return None


def count_qa_round(ctx: GuardContext) -> dict[str, Any]:
    return {"qa_round": int(ctx.fields.get("qa_round") or 0) + 1}


def record_review_decision(ctx: GuardContext) -> dict[str, Any]:
    return {"review_decision": "review"}


def record_no_review_decision(ctx: GuardContext) -> dict[str, Any]:
    return {"review_decision": "no_review"}


def record_direction(ctx: GuardContext) -> dict[str, Any]:
    """A Secretary of State direction (s.9(2) DVCVA 2004): a review is held, and the case says who decided it."""
    return {"review_decision": "review", "directed_by_secretary_of_state": "yes"}


GUARDS: dict[str, Guard] = {
    "proceedings_concluded": proceedings_concluded,
    "agency_reports_received": agency_reports_received,
    "agency_evidence_settled": agency_evidence_settled,
    "chair_independence_confirmed": chair_independence_confirmed,
    "publication_check_clean": publication_check_clean,
    "no_open_actions": no_open_actions,
    "commentary_complete_or_explained": commentary_complete_or_explained,
    "qa_items_answered": qa_items_answered,
    "factual_accuracy_closed": factual_accuracy_closed,
}

EFFECTS: dict[str, Effect] = {
    "count_qa_round": count_qa_round,
    "record_review_decision": record_review_decision,
    "record_no_review_decision": record_no_review_decision,
    "record_direction": record_direction,
}


class Step(Protocol):
    """A transition as missing_for reads it: a definition's TransitionDef or a plan's PlainTransition."""

    @property
    def requires(self) -> Sequence[str]: ...

    @property
    def guards(self) -> Sequence[str]: ...


def missing_for(t: Step, ctx: GuardContext, assume_inputs: bool | None = False) -> list[Missing]:
    """What stops `t` now. With assume_inputs, the `requires` fields count as given (a form will ask for them)."""
    missing = (
        []
        if assume_inputs
        else [
            Missing(f"{name} is required", fields=(name,), command=f"give it with --set {name}=...")
            for name in t.requires
            if ctx.fields.get(name) in (None, "")
        ]
    )
    return missing + [m for m in (GUARDS[g](ctx) for g in t.guards) if m]

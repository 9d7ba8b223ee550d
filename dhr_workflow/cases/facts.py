"""What guards may know beyond a case's own fields, and who else hears of each step.

Capabilities built on cases (the publication check in documents, the Delivery Plan in lessons) add guard facts and
react to steps. They are named in EXTENSIONS, as data, and imported on first use: cases never imports the packages
that build on it (the layers contract in pyproject.toml), yet every path that fires a case (CLI, web, API, workers,
tests) still has them. An extension registers itself with `add_fact_provider` / `add_transition_listener` when
imported.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dhr_workflow.cases.tables import Case, Task

EXTENSIONS = (
    "dhr_workflow.documents.publication",
    "dhr_workflow.lessons.case_link",
    "dhr_workflow.agencies.case_facts",
)

FactProvider = Callable[[Session, Case], dict[str, Any]]
# Called as listener(session, case, outcome, occurred_on, actor_label) inside the transaction of every `fire`, so a
# feature's own records of a step (the hand-over of open actions on `close`) commit with the step or not at all.
TransitionListener = Callable[..., None]

_FACT_PROVIDERS: list[FactProvider] = []
_TRANSITION_LISTENERS: list[TransitionListener] = []


def add_fact_provider(provider: FactProvider) -> None:
    if provider not in _FACT_PROVIDERS:
        _FACT_PROVIDERS.append(provider)


def add_transition_listener(listener: TransitionListener) -> None:
    if listener not in _TRANSITION_LISTENERS:
        _TRANSITION_LISTENERS.append(listener)


@cache
def load_extensions() -> None:
    for name in EXTENSIONS:
        importlib.import_module(name)


def transition_listeners() -> tuple[TransitionListener, ...]:
    load_extensions()
    return tuple(_TRANSITION_LISTENERS)


def facts(session: Session, case: Case) -> Mapping[str, Any]:
    """What guards may need beyond the case's fields, computed from other rows only if a guard asks."""
    return LazyFacts(lambda: _compute_facts(session, case))


def _compute_facts(session: Session, case: Case) -> dict[str, Any]:
    open_agency = session.scalar(
        select(func.count())
        .select_from(Task)
        .where(Task.case_id == case.id, Task.done_on.is_(None), Task.kind.in_(("agency_report", "chronology")))  # type: ignore[union-attr,attr-defined]
    )
    found: dict[str, Any] = {"open_agency_report_tasks": open_agency or 0}
    load_extensions()
    for provider in tuple(_FACT_PROVIDERS):
        found.update(provider(session, case))
    return found


class LazyFacts(Mapping[str, Any]):
    """A mapping computed on first use: most transitions have no guard that reads facts, so they skip the queries."""

    def __init__(self, compute: Callable[[], dict[str, Any]]) -> None:
        self._compute = compute
        self._facts: dict[str, Any] | None = None

    def _all(self) -> dict[str, Any]:
        if self._facts is None:
            self._facts = self._compute()
        return self._facts

    def __getitem__(self, key: str) -> Any:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

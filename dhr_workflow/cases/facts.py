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

from sqlalchemy.orm import Session

from dhr_workflow.cases.core_facts import open_agency_report_tasks
from dhr_workflow.cases.tables import Case

EXTENSIONS = (
    "dhr_workflow.documents.publication",
    "dhr_workflow.lessons.case_link",
    "dhr_workflow.lessons.recommendations",  # adds the recommendations to a case's documents
    "dhr_workflow.qa.rounds",  # the qa_items_open fact, and the QA items in the cover letter
    "dhr_workflow.family.involvement",  # the family's needs in the family letter
    "dhr_workflow.findings.sections",  # the chair's sections of the overview report
    "dhr_workflow.agencies.case_facts",  # agency_evidence_settled, and the decision record's scoping returns
    "dhr_workflow.accuracy.case_link",  # factual_accuracy_closed, and the comments log
)
# Which extension provides which fact, so that a guard reading one fact imports only the package that knows it
# (`dhr case show` on a published case need not import the document pipeline; issue 17). A fact not named here
# loads every extension, as before.
FACT_SOURCES = {
    "publication_check_clean": "dhr_workflow.documents.publication",
    "open_actions": "dhr_workflow.lessons.case_link",
    "qa_items_open": "dhr_workflow.qa.rounds",
    "agencies_in_scope": "dhr_workflow.agencies.case_facts",
    "agency_evidence_problem": "dhr_workflow.agencies.case_facts",
    "accuracy_problem": "dhr_workflow.accuracy.case_link",
}

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
    return CaseFacts(session, case)


def _own_facts(session: Session, case: Case) -> dict[str, Any]:
    return {"open_agency_report_tasks": open_agency_report_tasks(session, case.id or 0)}


def _compute_facts(session: Session, case: Case) -> dict[str, Any]:
    found = _own_facts(session, case)
    load_extensions()
    for provider in tuple(_FACT_PROVIDERS):
        found.update(provider(session, case))
    return found


def _facts_from(module: str, session: Session, case: Case) -> dict[str, Any]:
    importlib.import_module(module)
    found: dict[str, Any] = {}
    for provider in tuple(_FACT_PROVIDERS):
        if provider.__module__ == module:
            found.update(provider(session, case))
    return found


class CaseFacts(Mapping[str, Any]):
    """A case's facts, each group computed (and its extension imported) only when a guard first reads one of them."""

    def __init__(self, session: Session, case: Case) -> None:
        self._session, self._case = session, case
        self._known: dict[str, Any] = {}
        self._complete = False

    def __getitem__(self, key: str) -> Any:
        if key not in self._known and not self._complete:
            if key == "open_agency_report_tasks":
                self._known.update(_own_facts(self._session, self._case))
            elif key in FACT_SOURCES:
                self._known.update(_facts_from(FACT_SOURCES[key], self._session, self._case))
            else:
                self._fill()
        return self._known[key]

    def _fill(self) -> None:
        if not self._complete:
            self._known, self._complete = _compute_facts(self._session, self._case), True

    def __iter__(self) -> Iterator[str]:
        self._fill()
        return iter(self._known)

    def __len__(self) -> int:
        self._fill()
        return len(self._known)


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

"""Guard facts read with SQLAlchemy Core from a connection and a case id, for `dhr case show` (issue 17).

The ORM providers in `cases.facts` need each extension's ORM tables; a fact that also has a Core reader here is
read without them. The ORM provider calls the same Core function on its session's connection, so each fact is
defined once. Extensions register their Core readers with `add_core_fact` when imported; CORE_FACT_SOURCES names
the module for each fact (cases never imports the packages built on it). A guard asking for a fact with no Core
reader raises NeedsOrm, and the caller reads the case through the ORM services instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from dhr_workflow.core.plain_sql import Query

# Called with a Connection (SQLAlchemy's, or core.plain_sql's on SQLite), or with an ORM Session (the providers in
# cases.facts), whose `scalar` flushes what the step has changed so far before reading, as their ORM queries did.
Reader = Any
CoreFact = Callable[[Reader, int], Any]

CORE_FACT_SOURCES = {
    "open_actions": "dhr_workflow.lessons.action_counts",
    "agencies_in_scope": "dhr_workflow.agencies.evidence_facts",
    "agency_evidence_problem": "dhr_workflow.agencies.evidence_facts",
    "qa_items_open": "dhr_workflow.qa.item_counts",
    "accuracy_problem": "dhr_workflow.accuracy.problem_facts",
}
_CORE_FACTS: dict[str, CoreFact] = {}

OPEN_AGENCY_TASKS = Query("dhr_workflow.cases.detail_sql", "OPEN_AGENCY_TASKS")


class NeedsOrm(Exception):
    """A guard asked for a fact that only an ORM provider computes."""


def add_core_fact(name: str, reader: CoreFact) -> None:
    _CORE_FACTS[name] = reader


def open_agency_report_tasks(db: Reader, case_id: int) -> int:
    return OPEN_AGENCY_TASKS.scalar(db, {"case_id": case_id}) or 0


add_core_fact("open_agency_report_tasks", open_agency_report_tasks)


class CoreFacts(Mapping[str, Any]):
    """A case's facts, each read when a guard first asks for it; NeedsOrm for one with no Core reader."""

    def __init__(self, connection: Reader, case_id: int) -> None:
        self._connection, self._case_id = connection, case_id
        self._known: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._known:
            if key in CORE_FACT_SOURCES:
                importlib.import_module(CORE_FACT_SOURCES[key])
            if key not in _CORE_FACTS:
                raise NeedsOrm(key)
            self._known[key] = _CORE_FACTS[key](self._connection, self._case_id)
        return self._known[key]

    def __iter__(self) -> Iterator[str]:  # a guard reads named facts; listing them all is the ORM's
        raise NeedsOrm("every fact")

    def __len__(self) -> int:
        raise NeedsOrm("every fact")

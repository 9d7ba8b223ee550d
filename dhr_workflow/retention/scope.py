"""What a retention pass looks at: the closed cases (closed on the day of their last step into a final state), the
held ones, the day it runs for, and the shape of one due record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases.tables import Case
from dhr_workflow.retention.schedule import Rule
from dhr_workflow.retention.tables import LegalHold
from dhr_workflow.workflow.registry import WorkflowRegistry

ANONYMISED = "[anonymised]"


@dataclass(frozen=True)
class Due:
    """One record due for its rule's action: no personal data, only what it is and why it is due."""

    kind: str
    record_id: int
    case_id: int | None
    case_ref: str | None
    action: str
    rule: str
    start_on: date
    due_on: date

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "record_id": self.record_id,
            "case_ref": self.case_ref,
            "action": self.action,
            "rule": self.rule,
            "counted_from": self.start_on.isoformat(),
            "due_on": self.due_on.isoformat(),
        }


@dataclass
class Scope:
    on: date
    closed: dict[int, tuple[str, date]] = field(default_factory=dict)  # case id -> (ref, closed on)
    held: set[int] = field(default_factory=set)
    refs: dict[int, str] = field(default_factory=dict)
    only_case: int | None = None  # one case's records (apply works one case per transaction)
    case_records: bool = True  # look at the kinds that belong to a closed case
    partnership_wide: bool = True  # look at the kinds that belong to no one case

    def due(self, rule: Rule, record_id: int, case_id: int | None, start: date) -> Due | None:
        due_on = rule.period.due_after(start)
        if due_on > self.on or (case_id is not None and case_id in self.held):
            return None
        ref = self.refs.get(case_id) if case_id is not None else None
        return Due(rule.kind, record_id, case_id, ref, rule.action, rule.describe(), start, due_on)

    def closed_cases(self, rule: Rule) -> dict[int, tuple[str, date]]:
        """The closed, unheld cases whose period for `rule` has run (limited to `only_case` when set)."""
        if not self.case_records:
            return {}
        return {
            cid: (ref, closed_on)
            for cid, (ref, closed_on) in self.closed.items()
            if cid not in self.held
            and (self.only_case is None or cid == self.only_case)
            and rule.period.due_after(closed_on) <= self.on
        }


def build_scope(session: Session, workflows: WorkflowRegistry, on: date) -> Scope:
    scope = Scope(on)
    for case in session.scalars(select(Case)):
        scope.refs[case.id or 0] = case.ref
        definition = workflows.definitions.get((case.workflow_name, case.workflow_version))
        spec = definition.states.get(case.state) if definition is not None else None
        if spec is not None and spec.final:
            scope.closed[case.id or 0] = (case.ref, case.last_event_on)
    scope.held = set(session.scalars(select(LegalHold.case_id).where(LegalHold.released_at.is_(None))))
    return scope


@dataclass
class DueGroup:
    case_ref: str | None
    kind: str
    rule: str
    count: int
    due_on: date  # the earliest day one of them fell due


def summary(items: list[Due]) -> list[DueGroup]:
    """Due records grouped by case and kind, for a page."""
    groups: dict[tuple[str, str], DueGroup] = {}
    for d in items:
        group = groups.setdefault((d.case_ref or "", d.kind), DueGroup(d.case_ref, d.kind, d.rule, 0, d.due_on))
        group.count += 1
        group.due_on = min(group.due_on, d.due_on)
    return [groups[k] for k in sorted(groups)]

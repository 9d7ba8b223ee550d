"""`dhr retention due` and `dhr retention apply`: what the schedule says is due on a day, and doing it. Apply works
one case per transaction (then one for the records that belong to no one case), each kind of record leaving an audit
tombstone (`retention_applied`: the kind, the action, how many, which rule and the record ids; no personal data).
The audit chain itself is never touched (ADR 0054), so `dhr audit verify` passes afterwards. Records already
deleted or anonymised are not due again, so a second apply does nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.text import in_supported_range
from dhr_workflow.retention import case_records, other_records
from dhr_workflow.retention.access import APPLY_ROLES, HOLD_ROLES, acting
from dhr_workflow.retention.schedule import Rule, load_schedule
from dhr_workflow.retention.scope import Due, Scope, build_scope

Finder = Callable[[Session, Scope, Rule], list[Due]]
FINDERS: dict[str, Finder] = {**case_records.FINDERS, **other_records.FINDERS}
ACTORS = {**case_records.ACTORS, **other_records.ACTORS}


@dataclass
class Applied:
    """What one apply did (or, dry, would do): per case ref (None: no one case), kind -> count."""

    on: date
    dry_run: bool
    done: dict[str | None, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(sum(kinds.values()) for kinds in self.done.values())


def _find(session: Session, scope: Scope, schedule: dict[str, Rule]) -> list[Due]:
    found: list[Due] = []
    for kind, rule in schedule.items():
        if kind in case_records.FINDERS or scope.partnership_wide:
            found += FINDERS[kind](session, scope, rule)
    return found


def due(ctx: AppContext, on: date | None = None, *, by: str | None = None, schedule: Path | None = None) -> list[Due]:
    """Every record due on `on` (default today): kind, record, case, rule and the day it fell due."""
    day = in_supported_range(on, "--on") if on else ctx.today()
    rules = load_schedule(schedule)
    with ctx.db.read() as session:
        acting(session, by, HOLD_ROLES, "see what retention has due")
        return _find(session, build_scope(session, ctx.workflows, day), rules)


def apply(
    ctx: AppContext,
    on: date | None = None,
    *,
    dry_run: bool = False,
    by: str | None = None,
    schedule: Path | None = None,
) -> Applied:
    day = in_supported_range(on, "--on") if on else ctx.today()
    rules = load_schedule(schedule)
    with ctx.db.read() as session:
        actor = acting(session, by, APPLY_ROLES, "apply the retention schedule")
        pending = _find(session, build_scope(session, ctx.workflows, day), rules)
    result = Applied(day, dry_run)
    if dry_run:
        for item in pending:
            kinds = result.done.setdefault(item.case_ref if item.kind in case_records.FINDERS else None, {})
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
        return result
    case_ids = sorted({d.case_id for d in pending if d.kind in case_records.FINDERS and d.case_id is not None})
    for case_id in [*case_ids, None]:
        with ctx.db.write() as session:  # one transaction per case: its deletions and tombstones together
            scope = build_scope(session, ctx.workflows, day)
            if case_id is None:  # the last pass: the records of no one case
                scope.case_records = False
            else:
                scope.only_case, scope.partnership_wide = case_id, False
            items = _find(session, scope, rules)
            if items:
                ref = scope.refs.get(case_id) if case_id is not None else None
                result.done[ref] = _act(session, ctx, actor.label, case_id, items, rules)
    return result


def _act(
    session: Session, ctx: AppContext, actor: str, case_id: int | None, items: list[Due], rules: dict[str, Rule]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind, rule in rules.items():
        ids = [d.record_id for d in items if d.kind == kind]
        if not ids:
            continue
        extra = ACTORS[kind](session, ids, rule.action)
        counts[kind] = len(ids)
        audit.append(
            session,
            actor=actor,
            action="retention_applied",
            occurred_on=ctx.today(),
            case_id=case_id,
            payload={
                "kind": kind,
                "action": rule.action,
                "count": len(ids),
                "rule": rule.describe(),
                "record_ids": ids,
                **extra,
            },
        )
    return counts

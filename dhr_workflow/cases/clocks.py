"""Statutory clocks as rows: started, stopped, paused and recomputed inside the transaction that changes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from dhr_workflow.cases.case_rows import insert_clock
from dhr_workflow.cases.tables import Case, Clock, ClockExtension, ClockPause
from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.clocks import Extension, PauseSpan, compute_due
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.workflow.definition import ClockDef, WorkflowDefinition


@dataclass(frozen=True)
class ClockMove:
    ref: str
    clock: str
    old_due: date
    new_due: date


def clocks_of(session: Session, case_id: int) -> list[Clock]:
    return list(session.scalars(_CLOCKS_OF, {"case_id": case_id}).all())


def running_clocks_of(session: Session, case_id: int) -> list[Clock]:
    """The case's clocks not stopped: all a step needs (`start` reads past rounds itself), and loading a stopped clock
    as an ORM object costs a step 20-30 µs each for nothing (issue 17)."""
    return list(session.scalars(_RUNNING_CLOCKS_OF, {"case_id": case_id}).all())


# Built once: building a statement costs ten times running it (bench/main_path.py; issue 17).
_CLOCKS_OF = select(Clock).where(Clock.case_id == bindparam("case_id")).order_by(Clock.id)
_RUNNING_CLOCKS_OF = _CLOCKS_OF.where(Clock.stopped_on.is_(None))  # type: ignore[union-attr]


def pauses_of(session: Session, clock_id: int) -> list[ClockPause]:
    return list(
        session.scalars(
            select(ClockPause).where(ClockPause.clock_id == clock_id).order_by(ClockPause.paused_on, ClockPause.id)
        ).all()
    )


def open_clock(session: Session, case_id: int, name: str) -> Clock | None:
    return session.scalars(
        select(Clock).where(Clock.case_id == case_id, Clock.name == name, Clock.stopped_on.is_(None))
    ).first()  # type: ignore[union-attr]


def start(
    session: Session,
    case: Case,
    name: str,
    spec: ClockDef,
    on: date,
    cal: WorkingCalendar,
    today: date,
    existing: list[Clock] | None = None,
) -> Clock | None:
    """Start `name` unless it is already running; a clock that ran before starts a new round. `existing` is the
    case's running clocks (or all its clocks) when the caller has them (saves a query per clock in a transition)."""
    assert case.id is not None
    existing = running_clocks_of(session, case.id) if existing is None else existing
    if any(c.name == name and c.stopped_on is None for c in existing):
        return None
    due = compute_due(spec.rule(), on, [], cal, today, ())  # as `recompute` works out a clock never paused
    clock = insert_clock(
        session,
        {
            "case_id": case.id,
            "name": name,
            "started_on": on,
            "due_on": due.due,
            "stopped_on": None,
            "paused": False,
            "paused_days": due.paused_days,
            "extension_days": 0,
            "rule": _describe_rule(spec),
            "calendar_version": cal.version,
            "explanation": list(due.explanation),
        },
    )
    existing.append(clock)
    return clock


def stop(session: Session, case: Case, name: str, on: date, existing: list[Clock] | None = None) -> Clock | None:
    assert case.id is not None
    if existing is None:
        clock = open_clock(session, case.id, name)
    else:
        clock = next((c for c in existing if c.name == name and c.stopped_on is None), None)
    if clock is None:
        return None
    if on < clock.started_on:
        raise InvalidInput(
            f"the {name} clock started on {clock.started_on.isoformat()}; it cannot stop earlier, on {on.isoformat()}"
        )
    if clock.paused:  # only a paused clock has an open pause to close
        for pause in pauses_of(session, clock.id or 0):
            if pause.resumed_on is None:
                pause.resumed_on = on
    clock.stopped_on, clock.paused = on, False
    return clock


def extensions_of(session: Session, clock_id: int) -> list[ClockExtension]:
    return list(
        session.scalars(
            select(ClockExtension).where(ClockExtension.clock_id == clock_id).order_by(ClockExtension.id)
        ).all()
    )


def extend(session: Session, case: Case, name: str, days: int, reason: str, agreed_by: str, on: date, by: str) -> Clock:
    """Record more time agreed for a running clock: who agreed it, when and why."""
    if not 1 <= days <= 730:
        raise InvalidInput("an extension is between 1 and 730 calendar days")
    clock = _running(session, case, name)
    if on < clock.started_on:
        raise InvalidInput(
            f"the {name} clock started on {clock.started_on.isoformat()}; it cannot have been "
            f"extended earlier, on {on.isoformat()}"
        )
    session.add(
        ClockExtension(
            clock_id=clock.id or 0, days=days, reason=reason, agreed_by=agreed_by, agreed_on=on, recorded_by=by
        )
    )
    clock.extension_days += days
    session.flush()
    return clock


def recompute(
    session: Session,
    clock: Clock,
    spec: ClockDef,
    cal: WorkingCalendar,
    today: date,
    pauses: list[ClockPause] | None = None,
) -> ClockMove | None:
    if pauses is None:
        never_paused = clock.id is None or (not clock.paused and clock.paused_days == 0)
        pauses = [] if never_paused else pauses_of(session, clock.id or 0)
    spans = [PauseSpan(p.paused_on, p.resumed_on) for p in pauses]
    extensions = (
        tuple(Extension(e.days, e.agreed_by) for e in extensions_of(session, clock.id or 0))
        if clock.extension_days
        else ()
    )
    horizon = clock.stopped_on or today
    due = compute_due(spec.rule(), clock.started_on, spans, cal, horizon, extensions)
    old = clock.due_on
    clock.due_on, clock.paused_days = due.due, due.paused_days
    clock.explanation, clock.calendar_version = list(due.explanation), cal.version
    return ClockMove("", clock.name, old, due.due) if old != due.due else None


def pause(
    session: Session,
    case: Case,
    definition: WorkflowDefinition,
    name: str,
    reason: str,
    on: date,
    note: str | None,
    agreed_by: str | None,
    by: str,
) -> Clock:
    _pausable_spec(definition, name, reason)
    clock = _running(session, case, name)
    if clock.paused:
        raise InvalidInput(f"the {name} clock is already paused; resume it first")
    last = max((p.resumed_on for p in pauses_of(session, clock.id or 0) if p.resumed_on), default=None)
    earliest = max(clock.started_on, last) if last else clock.started_on
    if on < earliest:
        raise InvalidInput(
            f"the {name} clock cannot be paused on {on.isoformat()}: it was running only from {earliest.isoformat()}"
        )
    session.add(
        ClockPause(
            clock_id=clock.id or 0,
            reason=reason,
            note=note,
            agreed_by=agreed_by,
            paused_on=on,
            recorded_by=by,
        )
    )
    clock.paused = True
    session.flush()
    return clock


def resume(session: Session, case: Case, name: str, on: date) -> tuple[Clock, ClockPause]:
    clock = _running(session, case, name)
    current = next((p for p in pauses_of(session, clock.id or 0) if p.resumed_on is None), None)
    if not clock.paused or current is None:
        raise InvalidInput(f"the {name} clock is not paused")
    if on < current.paused_on:
        raise InvalidInput(
            f"the {name} clock was paused on {current.paused_on.isoformat()}; "
            f"it cannot resume earlier, on {on.isoformat()}"
        )
    current.resumed_on, clock.paused = on, False
    session.flush()
    return clock, current


def _pausable_spec(definition: WorkflowDefinition, name: str, reason: str) -> ClockDef:
    spec = definition.clocks.get(name)
    if spec is None:
        raise InvalidInput(f"no clock named '{name}'; clocks: {', '.join(definition.clocks)}")
    if not spec.pausable:
        pausable = [n for n, c in definition.clocks.items() if c.pausable]
        raise InvalidInput(
            f"the {name} clock cannot be paused (the guidance allows no pause); pausable clocks: {', '.join(pausable)}"
        )
    if reason not in spec.pause_reasons:
        raise InvalidInput(
            f"'{reason}' is not a reason to pause the {name} clock; reasons: "
            + ", ".join(f"{k} ({v})" for k, v in spec.pause_reasons.items())
        )
    return spec


def _running(session: Session, case: Case, name: str) -> Clock:
    clock = open_clock(session, case.id or 0, name)
    if clock is None:
        raise InvalidInput(f"the {name} clock is not running on {case.ref}")
    return clock


def _describe_rule(spec: ClockDef) -> str:
    period = spec.period.to_period()
    roll = "" if period.unit.value == "working_days" or not spec.roll_to_working_day else ", next working day"
    return f"{period}{roll}"

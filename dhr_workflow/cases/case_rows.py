"""Reading a case for a step (with its running clocks, in one statement), and writing the case row and its new
clock rows with one Core statement each, not the ORM unit of work.

A flush costs a step about 120 µs for the case UPDATE and 180 µs for each clock INSERT, of SQLAlchemy Python; the
same statements sent directly cost 20-40 µs (bench/main_path.py; issue 17). The objects stay in the session as if
the ORM had written them, so anything later in the transaction that reads or changes them sees the same values.
"""

from __future__ import annotations

from sqlalchemy import and_, bindparam, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.session import make_transient_to_detached

from dhr_workflow.cases.tables import Case, Clock
from dhr_workflow.core.errors import ConcurrentChange, NotFound


def load_step(session: Session, ref: str, expected_version: int | None = None) -> tuple[Case, list[Clock]]:
    """The case `ref` and its running clocks (oldest first), as ORM objects, for a step. One statement: the
    second ORM query cost a step ~100 µs of SQLAlchemy Python for a handful of rows (issue 17). Reports a missing
    case, and one changed since `expected_version`, exactly as `lifecycle.load_case` does."""
    rows = session.execute(_CASE_AND_RUNNING_CLOCKS, {"ref": ref.strip().upper()}).all()
    if not rows:
        raise NotFound(f"no case {ref}; `dhr case list` shows the cases you can see")
    case = rows[0][0]
    if expected_version is not None and case.version != expected_version:
        raise ConcurrentChange(case.ref)
    return case, [clock for _case, clock in rows if clock is not None]


_CASE_AND_RUNNING_CLOCKS = (
    select(Case, Clock)
    .outerjoin(Clock, and_(Clock.case_id == Case.id, Clock.stopped_on.is_(None)))  # type: ignore[arg-type,union-attr]
    .where(Case.ref == bindparam("ref"))
    .order_by(Clock.id)
)

# What a transition changes on the case (cases.lifecycle._fire_in_session), and the version that guards it.
_STEP_COLUMNS = ("state", "fields", "last_event_on", "updated_at")


def save_step(session: Session, case: Case) -> None:
    """Write the case's step (state, fields, last event, updated at) and move its version on, as the ORM's
    versioned UPDATE does: a case changed by someone else since it was read is a ConcurrentChange."""
    values = {name: getattr(case, name) for name in _STEP_COLUMNS}
    new_version = case.version + 1
    params = {f"new_{name}": value for name, value in values.items()}
    result = session.connection().execute(
        _UPDATE_STEP, {**params, "case_id": case.id, "old_version": case.version, "new_version": new_version}
    )
    if result.rowcount != 1:
        raise ConcurrentChange(case.ref)
    for name, value in {**values, "version": new_version}.items():
        set_committed_value(case, name, value)  # written: no history left for a later flush to write again
    _mark_clean(session, case)


def _mark_clean(session: Session, obj: object) -> None:
    state = inspect(obj)
    if not state.committed_state:
        # Nothing else changed: mark it clean, or every later flush spends ~100 µs finding nothing to write.
        # SQLAlchemy has no public call for this; it is what the ORM itself does after writing an object.
        state._commit_all(state.dict, session.identity_map)


_UPDATE_STEP = (
    update(Case)
    .where(Case.id == bindparam("case_id"), Case.version == bindparam("old_version"))  # type: ignore[arg-type]
    .values(version=bindparam("new_version"), **{name: bindparam(f"new_{name}") for name in _STEP_COLUMNS})
)


def insert_clock(session: Session, clock: Clock) -> None:
    """Insert a new clock row and keep the object in the session as persistent, as if loaded."""
    row = {column.key: getattr(clock, column.key) for column in _CLOCK_COLUMNS}
    inserted = session.connection().execute(_INSERT_CLOCK, row).inserted_primary_key
    assert inserted is not None  # a single-row INSERT always reports its key
    clock.id = inserted[0]
    make_transient_to_detached(clock)
    session.add(clock)


_CLOCK_COLUMNS = [column for column in Clock.__table__.columns if column.key != "id"]  # type: ignore[attr-defined]
_INSERT_CLOCK = insert(Clock)


# What stopping and recomputing a clock changes (cases.clocks.stop and recompute).
_CLOCK_STOP_COLUMNS = ("stopped_on", "paused", "due_on", "paused_days", "explanation", "calendar_version")


def save_stopped_clock(session: Session, clock: Clock) -> None:
    """Write a clock just stopped and recomputed, as `save_step` writes the case."""
    values = {name: getattr(clock, name) for name in _CLOCK_STOP_COLUMNS}
    session.connection().execute(_UPDATE_CLOCK, {f"new_{k}": v for k, v in values.items()} | {"clock_id": clock.id})
    for name, value in values.items():
        set_committed_value(clock, name, value)
    _mark_clean(session, clock)


_UPDATE_CLOCK = (
    update(Clock)
    .where(Clock.id == bindparam("clock_id"))  # type: ignore[arg-type]
    .values(**{name: bindparam(f"new_{name}") for name in _CLOCK_STOP_COLUMNS})
)

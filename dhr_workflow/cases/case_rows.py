"""Reading a case for a step (with its running clocks, in one Core statement), and writing the case row and its new
clock rows with one Core statement each, not the ORM unit of work.

A flush costs a step about 120 µs for the case UPDATE and 180 µs for each clock INSERT, of SQLAlchemy Python; the
same statements sent directly cost 20-40 µs (bench/main_path.py; issue 17). The objects stay in the session as if
the ORM had written them, so anything later in the transaction that reads or changes them sees the same values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    ScalarSelect,
    Select,
    String,
    and_,
    bindparam,
    func,
    insert,
    inspect,
    literal_column,
    select,
    type_coerce,
    update,
)
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from dhr_workflow.cases.tables import Case, Clock
from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.errors import ConcurrentChange, NotFound
from dhr_workflow.core.holiday_calendar import calendar_of_days
from dhr_workflow.core.tables import HolidayOverride


class StepRows(NamedTuple):
    """What a step reads before it changes anything: its case, the case's running clocks (oldest first) and the
    working-day calendar."""

    case: Case
    clocks: list[Clock]
    calendar: WorkingCalendar


def load_step(session: Session, ref: str, expected_version: int | None = None) -> StepRows:
    """The case `ref` and its running clocks as ORM objects, and the calendar, for a step. One Core statement: each
    further query cost a step ~30-100 µs of SQLAlchemy Python, and loading the rows through the ORM ~100 µs more than
    reading them and building the objects (issue 17). Reports a missing case, and one changed since
    `expected_version`, exactly as `lifecycle.load_case` does."""
    session.flush()  # the read goes through the connection, so it must see pending ORM changes
    conn = session.connection()
    statement = _STEP_READS[conn.dialect.name == "postgresql"]
    rows = conn.execute(statement, {"ref": ref.strip().upper()}).all()
    if not rows:
        raise NotFound(f"no case {ref}; `dhr case list` shows the cases you can see")
    case = as_loaded(session, Case, _CASE_KEYS, rows[0][: len(_CASE_KEYS)])
    if expected_version is not None and case.version != expected_version:
        raise ConcurrentChange(case.ref)
    clock_rows = (row[len(_CASE_KEYS) : -1] for row in rows)
    clocks = [as_loaded(session, Clock, _CLOCK_KEYS, values) for values in clock_rows if values[0] is not None]
    return StepRows(case, clocks, calendar_of_days(rows[0][-1]))


_T = TypeVar("_T")


def as_loaded(session: Session, cls: type[_T], keys: Sequence[str], values: Sequence[Any]) -> _T:
    """An ORM object for a row read through Core (`keys` its attribute names, the primary key `id` first), as the
    ORM itself loads one: persistent in the session and clean, with the class's load events run (they make a JSON
    column's `MutableDict` track in-place changes). An object the session has already is returned as it is, as a
    query would. SQLAlchemy has no public call for this; these are the steps its own loader takes
    (`orm.loading._instance`: ADR 0060, and ADR 0064 for putting it in the identity map as the loader does, half the
    cost of `make_transient_to_detached` and `Session.add`)."""
    mapper = inspect(cls)
    key = mapper.identity_key_from_primary_key((values[0],))
    found = session.identity_map.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    obj = mapper.class_manager.new_instance()
    state = inspect(obj)
    state.dict.update(zip(keys, values, strict=True))
    state.key, state.identity_token = key, None
    state.session_id = session.hash_key  # attached to the session, as the loader attaches each object it makes
    session.identity_map._add_unpresent(state, key)
    state._commit_all(state.dict, session.identity_map)  # every column loaded, nothing changed: clean
    mapper.class_manager.dispatch.load(state, None)
    return obj


_CASE_COLUMNS, _CLOCK_COLUMNS_ALL = list(Case.__table__.columns), list(Clock.__table__.columns)  # type: ignore[attr-defined]
_CASE_KEYS = [column.key for column in _CASE_COLUMNS]
_CLOCK_KEYS = [column.key for column in _CLOCK_COLUMNS_ALL]
assert _CASE_KEYS[0] == _CLOCK_KEYS[0] == "id"  # as_loaded finds the identity in the first value


def _override_days(postgres: bool) -> ScalarSelect[Any]:
    """The calendar overrides as `holiday_calendar.calendar_of_days` reads them: one text, `YYYY-MM-DD:1,...`.
    Separators are literals, not parameters: a rendered parameter costs every execution (issue 17)."""
    day = (
        func.to_char(HolidayOverride.day, literal_column("'YYYY-MM-DD'"), type_=String)  # whatever the DateStyle
        if postgres
        else type_coerce(HolidayOverride.day, String)  # SQLite keeps a date as that text
    )
    flag = sql_case((HolidayOverride.is_holiday, literal_column("'1'")), else_=literal_column("'0'"))  # type: ignore[arg-type]
    aggregate = func.string_agg if postgres else func.group_concat
    return select(
        aggregate(day.op("||")(literal_column("':'")).op("||")(flag), literal_column("','"), type_=String)
    ).scalar_subquery()


def _step_reads(postgres: bool) -> Select[Any]:
    return (
        select(*_CASE_COLUMNS, *_CLOCK_COLUMNS_ALL, _override_days(postgres))
        .outerjoin_from(
            Case,
            Clock,
            and_(Clock.case_id == Case.id, Clock.stopped_on.is_(None)),  # type: ignore[arg-type,union-attr]
        )
        .where(Case.ref == bindparam("ref"))
        .order_by(Clock.id)
    )


_STEP_READS = {False: _step_reads(postgres=False), True: _step_reads(postgres=True)}  # by "is it PostgreSQL"

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


def insert_clock(session: Session, values: dict[str, Any]) -> Clock:
    """Insert a new clock row from `values` (every column but `id` and `round`) and return it as a loaded ORM object.
    Its round is one more than the case's last round of that clock, worked out in the INSERT itself: a separate
    query for it cost a start ~20 µs, and building the object through the model's constructor ~30 µs (issue 17)."""
    params = {**values, "round_case_id": values["case_id"], "round_name": values["name"]}
    clock_id, round_ = session.connection().execute(_INSERT_CLOCK, params).one()
    row = {**values, "id": clock_id, "round": round_}
    return as_loaded(session, Clock, _CLOCK_KEYS, [row[key] for key in _CLOCK_KEYS])


_NEXT_ROUND = (
    select(func.coalesce(func.max(Clock.round), 0) + 1)
    .where(Clock.case_id == bindparam("round_case_id"), Clock.name == bindparam("round_name"))  # type: ignore[arg-type]
    .scalar_subquery()
)
_INSERT_CLOCK = insert(Clock).values(round=_NEXT_ROUND).returning(Clock.id, Clock.round)  # type: ignore[arg-type]


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

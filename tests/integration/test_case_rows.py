"""A step reads its case and running clocks with one Core SELECT and writes its case row with one Core UPDATE
(cases.case_rows): the objects read must be what the ORM would have loaded (persistent, clean, their JSON fields
tracked), the write must guard the version as the ORM's versioned UPDATE did, and leave nothing behind for a later
flush to write a second time."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, inspect, select, update

from dhr_workflow.cases import clocks
from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.case_rows import load_step, save_step, save_stopped_clock
from dhr_workflow.cases.clocks import running_clocks_of
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case, Clock
from dhr_workflow.core.calendar_store import calendar_from, load_calendar, put_override
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import ConcurrentChange, NotFound
from tests.factories import new_case


def test_a_saved_step_moves_the_version_on_and_leaves_the_case_clean(ctx: AppContext, today: date) -> None:
    ref = new_case(ctx, today)
    sent: list[str] = []
    event.listen(ctx.db.engine, "before_cursor_execute", lambda _c, _k, statement, *_a: sent.append(statement))
    with ctx.db.write() as session:
        case = load_case(session, ref)
        before = case.version
        case.state, case.fields = "scoping", {**case.fields, "rationale": "Criteria met"}
        save_step(session, case)
        assert case.version == before + 1
        assert not session.dirty
        sent.clear()
        session.flush()
        assert sent == []  # nothing left to write
    with ctx.db.read() as session:
        row = session.execute(select(Case.state, Case.version, Case.fields).where(Case.ref == ref)).one()
    assert (row.state, row.version, row.fields["rationale"]) == ("scoping", before + 1, "Criteria met")


def test_a_step_on_a_case_changed_since_it_was_read_is_a_concurrent_change(ctx: AppContext, today: date) -> None:
    ref = new_case(ctx, today)
    with pytest.raises(ConcurrentChange), ctx.db.write() as session:
        case = load_case(session, ref)
        # Someone else's change, as the database sees it: the version moved after this session read the case.
        session.connection().execute(update(Case).where(Case.id == case.id).values(version=Case.version + 1))
        case.state = "scoping"
        save_step(session, case)
    with ctx.db.read() as session:
        assert session.scalar(select(Case.state).where(Case.ref == ref)) == "notified"


def _columns(obj: object, table: Any) -> dict[str, Any]:
    return {column.key: getattr(obj, column.key) for column in table.columns}


def test_a_case_read_for_a_step_is_the_case_the_orm_loads(ctx: AppContext, today: date) -> None:
    ref = new_case(ctx, today)
    cases.fire(ctx, ref, "start_scoping", on=today)
    with ctx.db.read() as session:
        case = load_case(session, ref)
        expected = (
            _columns(case, Case.__table__),
            [_columns(c, Clock.__table__) for c in running_clocks_of(session, case.id or 0)],
        )
    sent: list[str] = []
    event.listen(ctx.db.engine, "before_cursor_execute", lambda _c, _k, statement, *_a: sent.append(statement))
    with ctx.db.write() as session:
        case, clocks, _calendar = load_step(session, ref)
        assert (_columns(case, Case.__table__), [_columns(c, Clock.__table__) for c in clocks]) == expected
        assert clocks, "the decision clock is running"
        assert all(inspect(obj).persistent for obj in (case, *clocks))
        assert not session.dirty and not session.new
        sent.clear()
        session.flush()
        assert sent == []  # nothing to write


def test_an_in_place_change_to_the_fields_of_a_case_read_for_a_step_is_written(ctx: AppContext, today: date) -> None:
    ref = new_case(ctx, today)
    with ctx.db.write() as session:
        case, _clocks, _calendar = load_step(session, ref)
        before = case.version
        case.fields["chair_name"] = "A. Chair"  # in place: only a tracked (mutable) JSON value sees this
    with ctx.db.read() as session:
        row = session.execute(select(Case.fields, Case.version).where(Case.ref == ref)).one()
    assert (row.fields.get("chair_name"), row.version) == ("A. Chair", before + 1)


def test_a_step_reads_the_case_object_the_session_already_has(ctx: AppContext, today: date) -> None:
    ref = new_case(ctx, today)
    with ctx.db.write() as session:
        case = load_case(session, ref)
        assert load_step(session, ref)[0] is case


def test_a_step_on_a_missing_case_or_one_changed_since_is_refused(ctx: AppContext, today: date) -> None:
    ref = new_case(ctx, today)
    with pytest.raises(NotFound), ctx.db.write() as session:
        load_step(session, "DHR-1999-999")
    with ctx.db.read() as session:
        version = load_case(session, ref).version
    with pytest.raises(ConcurrentChange), ctx.db.write() as session:
        load_step(session, ref, expected_version=version - 1)
    with ctx.db.write() as session:
        assert load_step(session, ref, expected_version=version)[0].version == version


def test_the_calendar_read_with_a_step_is_the_calendar_the_override_table_holds(ctx: AppContext, today: date) -> None:
    ref = new_case(ctx, today)
    with ctx.db.write() as session:
        assert load_step(session, ref).calendar.version == load_calendar(session).version  # no overrides
        put_override(session, date(2026, 12, 29), "Extra holiday", True, "tester")
        put_override(session, date(2026, 12, 28), "Cancelled holiday", False, "tester")
        put_override(session, date(2027, 6, 7), "State funeral", True, "tester")
    with ctx.db.write() as session:
        step_calendar, table_calendar = load_step(session, ref).calendar, load_calendar(session)
    assert step_calendar.version == table_calendar.version != calendar_from([]).version
    for day in (date(2026, 12, 25), date(2026, 12, 28), date(2026, 12, 29), date(2027, 6, 7), date(2027, 6, 8)):
        assert step_calendar.is_working_day(day) == table_calendar.is_working_day(day), day
    assert not step_calendar.is_working_day(date(2026, 12, 29)) and step_calendar.is_working_day(date(2026, 12, 28))


def test_a_clock_started_again_takes_its_next_round_and_is_the_row_written(ctx: AppContext, today: date) -> None:
    ref = new_case(ctx, today)
    sent: list[str] = []
    with ctx.db.write() as session:
        case, running, cal = load_step(session, ref)
        first = running[0]
        spec = ctx.workflows.get(case.workflow_name, case.workflow_version).clocks[first.name]
        clocks.stop(session, case, first.name, today, running)
        save_stopped_clock(session, first)
        event.listen(ctx.db.engine, "before_cursor_execute", lambda _c, _k, statement, *_a: sent.append(statement))
        again = clocks.start(session, case, first.name, spec, today, cal, today, running)
        assert again is not None and again.round == first.round + 1 and again in running
        assert inspect(again).persistent and not session.dirty and not session.new
        written = _columns(again, Clock.__table__)
    assert [s.split()[0] for s in sent] == ["INSERT"]  # the round is worked out by the INSERT itself
    with ctx.db.read() as session:
        row = session.scalars(select(Clock).where(Clock.id == written["id"])).one()
        assert _columns(row, Clock.__table__) == written

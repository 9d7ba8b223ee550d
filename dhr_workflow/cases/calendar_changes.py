"""Changing the calendar recomputes every open clock in the same transaction and reports the ones that moved."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases import clocks
from dhr_workflow.cases import reminder_plan as reminder_schedule
from dhr_workflow.cases.clocks import ClockMove
from dhr_workflow.cases.tables import Case, Clock
from dhr_workflow.core import audit
from dhr_workflow.core.calendar_store import delete_override, load_calendar, put_override
from dhr_workflow.core.context import AppContext


def set_override(ctx: AppContext, day: date, name: str, is_holiday: bool, by: str) -> list[ClockMove]:
    with ctx.db.write() as session:
        put_override(session, day, name, is_holiday, by)
        moves = recompute_open_clocks(ctx, session)
        audit.append(
            session,
            actor=by,
            action="calendar_override_set",
            occurred_on=ctx.today(),
            payload={
                "day": day.isoformat(),
                "name": name,
                "is_holiday": is_holiday,
                "clocks_moved": len(moves),
            },
        )
        return moves


def remove_override(ctx: AppContext, day: date, by: str) -> list[ClockMove]:
    with ctx.db.write() as session:
        delete_override(session, day)
        moves = recompute_open_clocks(ctx, session)
        audit.append(
            session,
            actor=by,
            action="calendar_override_removed",
            occurred_on=ctx.today(),
            payload={"day": day.isoformat(), "clocks_moved": len(moves)},
        )
        return moves


def recompute_open_clocks(ctx: AppContext, session: Session) -> list[ClockMove]:
    cal = load_calendar(session)
    moves: list[ClockMove] = []
    touched: dict[int, Case] = {}
    rows = session.execute(
        select(Clock, Case).join(Case, Case.id == Clock.case_id).where(Clock.stopped_on.is_(None))
    ).all()  # type: ignore[union-attr]
    for clock, case in rows:
        definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
        move = clocks.recompute(session, clock, definition.clocks[clock.name], cal, ctx.today())
        if move is not None:
            moves.append(ClockMove(case.ref, move.clock, move.old_due, move.new_due))
            touched[case.id or 0] = case
    for case in touched.values():
        reminder_schedule.sync_case_reminders(
            session, case, ctx.workflows.get(case.workflow_name, case.workflow_version), cal
        )
    return moves

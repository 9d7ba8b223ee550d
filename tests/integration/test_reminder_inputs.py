"""A reminder sync reads only the existing rows it can act on (cases.reminder_plan, issue 17): the rows it may cancel,
and every row of a live deadline whatever its status. These pin what that must keep: a row already sent for a live
deadline is never written twice, a cancelled one whose deadline is wanted again comes back, and the history of
deadlines gone is left as it was."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, update

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.reminder_plan import sync_case_reminders
from dhr_workflow.cases.tasks import add_task
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from notifications.ledger.tables import Reminder
from tests.factories import COORDINATOR, DECISION, add_people, new_case


def _sync(ctx: AppContext, ref: str) -> None:
    with ctx.db.write() as session:
        case = load_case(session, ref)
        definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
        sync_case_reminders(session, case, definition, load_calendar(session))


def _rows(ctx: AppContext, subject_prefix: str) -> list[tuple[str, str]]:
    with ctx.db.read() as s:
        found = s.execute(
            select(Reminder.idem_key, Reminder.status)
            .where(Reminder.subject.startswith(subject_prefix))  # type: ignore[attr-defined]
            .order_by(Reminder.idem_key)
        ).all()
    return [(key, status) for key, status in found]


def _set_status(ctx: AppContext, subject_prefix: str, status: str) -> None:
    with ctx.db.write() as s:
        s.execute(
            update(Reminder)
            .where(Reminder.subject.startswith(subject_prefix))  # type: ignore[attr-defined]
            .values(status=status)
        )


def _case_with_people(ctx: AppContext, today: date) -> str:
    add_people(ctx)
    ref = new_case(ctx, today - timedelta(days=3))
    cases.assign(ctx, ref, COORDINATOR, "coordinator")
    return ref


def test_a_reminder_already_sent_for_a_live_deadline_is_not_written_again(ctx: AppContext, today: date) -> None:
    ref = _case_with_people(ctx, today)
    assert _rows(ctx, "clock:decision:"), "the decision clock plans reminders"
    _set_status(ctx, "clock:decision:", "sent")
    before = _rows(ctx, "clock:")
    _sync(ctx, ref)  # would break the unique idempotency key if the sent rows were not read
    assert _rows(ctx, "clock:") == before


def test_a_cancelled_reminder_whose_deadline_is_wanted_again_comes_back(ctx: AppContext, today: date) -> None:
    ref = _case_with_people(ctx, today)
    planned = _rows(ctx, "clock:decision:")
    _set_status(ctx, "clock:decision:", "cancelled")  # as after a deadline moved away and back
    _sync(ctx, ref)
    assert _rows(ctx, "clock:decision:") == planned
    assert {status for _key, status in planned} == {"pending"}


def test_a_task_reminder_already_sent_is_not_written_again(ctx: AppContext, today: date) -> None:
    ref = _case_with_people(ctx, today)
    add_task(ctx, ref, "Send the chronology", COORDINATOR, today + timedelta(days=20))
    assert _rows(ctx, "task:"), "an open task plans reminders"
    _set_status(ctx, "task:", "sent")
    before = _rows(ctx, "task:")
    _sync(ctx, ref)
    assert _rows(ctx, "task:") == before


def test_the_reminders_of_a_deadline_gone_are_left_as_they_were(ctx: AppContext, today: date) -> None:
    ref = _case_with_people(ctx, today)
    cases.fire(ctx, ref, "start_scoping", on=today)
    cases.fire(ctx, ref, "decide_review", on=today, values=DECISION, by="chair@example.org")
    gone = _rows(ctx, "clock:decision:")
    assert gone and {status for _key, status in gone} == {"cancelled"}, "decided: the decision clock stopped"
    with ctx.db.write() as s:  # one of them had gone out before the decision
        s.execute(update(Reminder).where(Reminder.idem_key == gone[0][0]).values(status="sent"))
    with ctx.db.read() as s:
        total = s.scalar(select(func.count()).select_from(Reminder))
    _sync(ctx, ref)
    assert _rows(ctx, "clock:decision:") == [(gone[0][0], "sent"), *gone[1:]]
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Reminder)) == total

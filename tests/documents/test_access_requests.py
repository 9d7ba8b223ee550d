"""Accessible-format requests: deadlines in working days, production or a supplier task, reminders, fulfilment."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dhr_workflow.cases.tables import Task
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.documents import access_requests as ar
from dhr_workflow.documents.access_formats import RequestInput
from notifications.ledger.tables import Reminder
from tests.documents.helpers import case_with_people
from tests.factories import add_people


def _reminders(ctx: AppContext, request_id: int) -> list[Reminder]:
    with ctx.db.read() as s:
        return list(s.scalars(select(Reminder).where(Reminder.subject == f"access_request:{request_id}")))


def test_a_public_request_gets_working_day_deadlines_and_case_less_reminders(ctx: AppContext, today: date) -> None:
    add_people(ctx)  # today is Friday 20 November 2026
    row = ar.new_request(ctx, RequestInput("Sam Public", "The published review", "audio", phone="020 7946 0000"))
    assert (row.acknowledge_by, row.deliver_by) == (date(2026, 11, 25), date(2026, 12, 4))
    assert row.case_id is None and row.created_by == "public" and row.task_id is None
    rules = {(r.rule, r.case_id) for r in _reminders(ctx, row.id or 0)}
    assert (
        ("acknowledge:due", None) in rules and ("deliver:due", None) in rules and ("deliver:escalation", None) in rules
    )


def test_deadlines_are_configurable(ctx: AppContext, today: date) -> None:
    add_people(ctx)
    ctx.settings.access_deliver_working_days = 5
    row = ar.new_request(ctx, RequestInput("Sam", "A letter", "braille", email="sam@example.org"))
    assert row.deliver_by == date(2026, 11, 27)


def test_a_format_we_can_make_is_produced_and_attached(ctx: AppContext, today: date) -> None:
    ref = case_with_people(ctx, today)
    row = ar.new_request(
        ctx,
        RequestInput("Pat Family", "Terms of reference", "large_print", email="pat@example.org", case_ref=ref,
                        template="terms_of_reference"),
    )  # fmt: skip
    assert row.status == "produced" and row.document_file_id is not None


def test_a_format_we_cannot_make_becomes_a_coordinator_task_tracked_to_fulfilment(ctx: AppContext, today: date) -> None:
    ref = case_with_people(ctx, today)
    row = ar.new_request(ctx, RequestInput("Pat", "The family letter", "bsl", email="pat@example.org", case_ref=ref))
    assert row.task_id is not None
    with ctx.db.read() as s:
        task = s.get(Task, row.task_id)
        assert task is not None and task.kind == "accessible_format" and "NRCPD" in task.title
        assert task.due_on == row.deliver_by
    ar.acknowledge(ctx, row.id or 0)
    pending = {r.rule for r in _reminders(ctx, row.id or 0) if r.status == "pending"}
    assert "acknowledge:due" not in pending and "deliver:due" in pending
    done = ar.fulfil(ctx, row.id or 0, supplier="Signs Ltd")
    assert done.status == "fulfilled" and done.supplier == "Signs Ltd"
    assert all(r.status == "cancelled" for r in _reminders(ctx, row.id or 0))
    with ctx.db.read() as s:
        assert s.get(Task, row.task_id).done_on == today  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="already fulfilled"):
        ar.fulfil(ctx, row.id or 0)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (RequestInput("Sam", "Report", "braille"), "at least one way to reach"),
        (RequestInput("Sam", "Report", "semaphore", email="s@example.org"), "not a format"),
        (RequestInput("Sam", "Report", "other_language", email="s@example.org"), "which language"),
        (RequestInput("Sam", "Report", "word", email="not-an-email"), "does not look like"),
        (RequestInput("Sam\x00", "Report", "word", email="s@example.org"), "control characters"),
        (RequestInput("Sam", "Report", "word", email="s@example.org", template="overview_report"), "case"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(ctx: AppContext, raw: ar.RequestInput, message: str) -> None:
    add_people(ctx)
    with pytest.raises(InvalidInput, match=message):
        ar.new_request(ctx, raw)
    assert ar.list_requests(ctx) == []


def test_access_request_cli_new_list_fulfil(ctx: AppContext, today: date, cli) -> None:
    add_people(ctx)
    made = cli("access-request", "new", "--name", "Sam", "--document", "Published review", "--format", "braille",
               "--email", "sam@example.org")  # fmt: skip
    assert made.exit_code == 0 and "AFR-1" in made.output and "2026-12-04" in made.output
    listed = cli("access-request", "list", "--open", "--json")
    assert '"number": "AFR-1"' in listed.output
    assert cli("access-request", "fulfil", "1").exit_code == 0
    assert cli("access-request", "list", "--open", "--json").output.strip() == "[]"

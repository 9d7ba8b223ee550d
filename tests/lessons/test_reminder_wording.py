"""Commentary reminders reach owners through delivery, worded without any action or case detail."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from dhr_workflow.lessons import commentary
from notifications import delivery
from notifications.channels import transports_from_settings
from notifications.ledger.tables import Reminder
from tests.lessons.builders import ASC, COORDINATOR, action, plan_with_agencies
from tests.reminders.conftest import at, mail_ctx, smtp  # noqa: F401 - shared fixtures


def test_an_owner_who_has_not_answered_gets_a_reminder_that_links_to_the_action(mail_ctx, smtp):  # noqa: F811
    ctx = mail_ctx
    plan_with_agencies(ctx)
    aid = action(ctx, lead=ASC, description="Secret detail about Jane Realname")
    commentary.open_round(ctx, on=date(2026, 11, 20), by=COORDINATOR)
    ctx.clock = lambda: date(2026, 12, 4)  # five working days before the deadline
    delivery.sweep(ctx, transports_from_settings(ctx.settings), now=at(date(2026, 12, 4)))
    with ctx.db.read() as s:
        sent = s.scalars(select(Reminder).where(Reminder.status == "sent")).all()
    assert [r.rule for r in sent] == ["before:5"]
    message = smtp.messages[-1]
    body = str(message)
    assert ASC in message["To"] and f"/plan/actions/{aid}" in body
    assert "Realname" not in body and "Secret detail" not in body

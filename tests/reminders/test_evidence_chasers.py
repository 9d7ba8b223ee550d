"""Evidence requests drive reminders through the ledger, exactly once: a reminder before the due date, a chaser to the
agency contact the working day after it and every 5 working days after that, and the coordinator told with the
second chaser. Swept twice at every step, nothing repeats. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from dhr_workflow.agencies import directory, evidence
from dhr_workflow.people.tables import User
from notifications import delivery
from notifications.channels import transports_from_settings
from notifications.ledger.tables import Reminder
from tests.agencies.builders import POLICE_CONTACT, agencies, case_at
from tests.factories import COORDINATOR
from tests.reminders.conftest import at, set_today


def _sweep(ctx, day):
    set_today(ctx, day)
    return delivery.sweep(ctx, transports_from_settings(ctx.settings), now=at(day))


def _rows(ctx, request_id):
    with ctx.db.read() as s:
        emails = dict(s.execute(select(User.id, User.email)).all())
        rows = s.scalars(select(Reminder).where(Reminder.subject == f"evidence:{request_id}").order_by(Reminder.id))
        return [(r.rule, emails[r.recipient_id], r.send_on, r.status) for r in rows]


def _sent(ctx, request_id):
    return sorted((rule, who, on) for rule, who, on, status in _rows(ctx, request_id) if status == "sent")


def _request(ctx):
    agencies(ctx)
    ref = case_at(ctx, date(2026, 9, 1))
    directory.change_scope(ctx, ref, add=["Metropolitan Police"], by=COORDINATOR)
    set_today(ctx, date(2026, 11, 10))
    # 20 working days from Tuesday 20 October 2026: due Tuesday 17 November
    request_id = evidence.request_evidence(
        ctx, ref, "Metropolitan Police", "imr", on=date(2026, 10, 20), by=COORDINATOR
    )
    return ref, request_id


def test_a_reminder_then_chasers_every_five_working_days_and_the_escalation_with_the_second(mail_ctx, smtp):
    ref, request_id = _request(mail_ctx)
    assert evidence.list_requests(mail_ctx, ref)[0]["due"] == date(2026, 11, 17)
    assert {(rule, who, on) for rule, who, on, _ in _rows(mail_ctx, request_id)} == {
        ("before:2", POLICE_CONTACT, date(2026, 11, 13)),
        ("overdue:1", POLICE_CONTACT, date(2026, 11, 18)),
        ("escalation", COORDINATOR, date(2026, 11, 25)),
    }
    for day in (date(2026, 11, 13), date(2026, 11, 18), date(2026, 11, 25)):
        _sweep(mail_ctx, day)
        once = _sent(mail_ctx, request_id)
        _sweep(mail_ctx, day)  # a second sweep the same day repeats nothing
        assert _sent(mail_ctx, request_id) == once
    assert _sent(mail_ctx, request_id) == sorted(
        [
            ("before:2", POLICE_CONTACT, date(2026, 11, 13)),
            ("overdue:1", POLICE_CONTACT, date(2026, 11, 18)),
            ("overdue:2", POLICE_CONTACT, date(2026, 11, 25)),
            ("escalation", COORDINATOR, date(2026, 11, 25)),
        ]
    )
    assert ("overdue:3", POLICE_CONTACT, date(2026, 12, 2), "pending") in _rows(mail_ctx, request_id)
    to_contact = smtp.to(POLICE_CONTACT)
    assert len(to_contact) == 3  # the contact is on the case for nothing else
    for message in to_contact:
        text = message.get_body(("plain",)).get_content()
        assert ref in text and "/agency-requests" in text
        assert "Metropolitan" not in text and "Jane" not in text and "Olive" not in text


def test_a_receipt_stops_the_chasing_and_an_extension_moves_it(mail_ctx, smtp):
    ref, request_id = _request(mail_ctx)
    evidence.extend(
        mail_ctx, ref, request_id, to=date(2026, 12, 1), agreed_by="Panel chair", reason="Archive", by=COORDINATOR
    )
    live = {(rule, on) for rule, _who, on, status in _rows(mail_ctx, request_id) if status == "pending"}
    assert live == {
        ("before:2", date(2026, 11, 27)),
        ("overdue:1", date(2026, 12, 2)),
        ("escalation", date(2026, 12, 9)),
    }
    _sweep(mail_ctx, date(2026, 11, 13))
    assert _sent(mail_ctx, request_id) == []  # the old reminder was cancelled with the old date
    _sweep(mail_ctx, date(2026, 11, 27))
    _sweep(mail_ctx, date(2026, 12, 2))
    assert [r[0] for r in _sent(mail_ctx, request_id)] == ["before:2", "overdue:1"]
    evidence.receive(mail_ctx, ref, request_id, nil_return=True, on=date(2026, 12, 2), by=POLICE_CONTACT)
    assert not [r for r in _rows(mail_ctx, request_id) if r[3] == "pending"]
    _sweep(mail_ctx, date(2026, 12, 9))
    _sweep(mail_ctx, date(2026, 12, 16))
    assert [r[0] for r in _sent(mail_ctx, request_id)] == ["before:2", "overdue:1"]

"""GOV.UK Notify against a local v2 stub, ICS invitations, and the in-app list."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from dhr_workflow.cases.meetings import Meeting, stable_uid
from dhr_workflow.core.errors import NotFound
from dhr_workflow.people.tables import User
from notifications import delivery, transport
from notifications.admin import list_problems, set_preference
from notifications.calendar_invites import meeting_invite
from notifications.channels import transports_from_settings
from notifications.in_app import list_in_app, mark_read
from notifications.messages import RenderedMessage
from notifications.tables import DeliveryAttempt
from tests.factories import COORDINATOR, add_people, notification
from tests.reminders.conftest import at, set_today
from tests.reminders.mailbox import NOTIFY_TEST_KEY, NotifyStub


@pytest.fixture
def notify(ctx):
    stub = NotifyStub().start()
    ctx.settings = ctx.settings.model_copy(
        update={
            "notify_api_key": __import__("pydantic").SecretStr(NOTIFY_TEST_KEY),
            "notify_base_url": stub.url,
            "notify_email_template_id": "11111111-1111-1111-1111-111111111111",
            "notify_sms_template_id": "22222222-2222-2222-2222-222222222222",
            "base_url": "https://dhr.example.gov.uk",
        }
    )
    yield stub
    stub.stop()


def _overdue_case(ctx, today):
    from dhr_workflow.cases import lifecycle as cases

    add_people(ctx)
    return cases.notify_case(ctx, notification(today - timedelta(days=80)), coordinator=COORDINATOR)


def _sweep(ctx, today, minutes=0):
    set_today(ctx, today)
    return delivery.sweep(ctx, transports_from_settings(ctx.settings), now=at(today) + timedelta(minutes=minutes))


def test_notify_gets_the_template_personalisation_and_an_opaque_reference(ctx, notify, today):
    ref = _overdue_case(ctx, today)
    _sweep(ctx, today)
    sent = notify.sent()
    assert len(sent) == 2
    first = sent[0]
    assert first["path"] == "/v2/notifications/email"
    assert first["auth"].startswith("Bearer ")
    body = first["body"]
    assert body["template_id"] == "11111111-1111-1111-1111-111111111111"
    assert set(body["personalisation"]) == {"subject", "body", "link"}
    assert ref in body["personalisation"]["subject"] and body["personalisation"]["link"].endswith(f"/cases/{ref}")
    assert body["reference"].startswith("dhr-") and ref not in body["reference"]
    with ctx.db.read() as s:
        attempts = s.scalars(select(DeliveryAttempt).where(DeliveryAttempt.outcome == "sent")).all()
        assert {a.transport for a in attempts} == {"notify"} and all(a.provider_id for a in attempts)


def test_notify_429_and_500_are_retried_and_400_and_403_are_flagged(ctx, notify, today):
    _overdue_case(ctx, today)
    notify.answers = [429, 500]
    _sweep(ctx, today)
    assert notify.sent() == []
    _sweep(ctx, today, minutes=5)  # after the backoff both go through
    assert len(notify.sent()) == 2
    assert _sweep(ctx, today, minutes=10).claimed == 0


@pytest.mark.parametrize("status", [400, 403])
def test_notify_rejections_are_permanent_and_reach_the_coordinator(ctx, notify, today, status):
    _overdue_case(ctx, today)
    notify.answers = [status, status]
    _sweep(ctx, today)
    _sweep(ctx, today, minutes=60)
    problems = list_problems(ctx)
    assert len(problems) == 2 and all(f"Notify answered {status}" in p["error"] for p in problems)
    assert len(notify.received) == 2  # never retried


def test_sms_goes_to_notify_with_the_sms_template(ctx, notify, today):
    from notifications.admin import get_preference

    add_people(ctx)
    set_preference(ctx, "chair@example.org", sms_number="+44 7700 900123")
    assert get_preference(ctx, "chair@example.org")["sms_number"] == "+447700900123"
    with ctx.db.write() as s:
        chair = s.scalars(select(User).where(User.email == "chair@example.org")).one()
        from notifications.ledger.tables import Reminder

        s.add(
            Reminder(
                subject="action:1", rule="due", deadline_on=today, send_on=today, recipient_id=chair.id,
                channel="sms", idem_key="-:action:1:due:sms",
            )
        )  # fmt: skip
    _sweep(ctx, today)
    [sms] = notify.sent()
    assert sms["path"] == "/v2/notifications/sms" and sms["body"]["phone_number"] == "+447700900123"
    assert sms["body"]["template_id"] == "22222222-2222-2222-2222-222222222222"


def test_a_send_whose_outcome_was_lost_is_not_repeated_over_notify(ctx, notify, today):
    """The worker died after Notify accepted the message: the next attempt asks Notify by reference first."""
    _overdue_case(ctx, today)
    set_today(ctx, today)
    transports = transports_from_settings(ctx.settings)
    [first, _second] = delivery.claim_batch(ctx, at(today), 10)
    prepared = delivery._take(ctx, first, transports, at(today))  # what deliver() does, up to the send...
    transports("email").send(prepared.outgoing)  # ...the provider accepts it, and then the worker is killed
    lease = timedelta(seconds=ctx.settings.reminder_lease_seconds + 1)
    assert first in delivery.claim_batch(ctx, at(today) + lease, 10)
    assert delivery.deliver(ctx, first, transports) == "sent"
    assert len(notify.sent()) == 1
    with ctx.db.read() as s:
        outcomes = [a.outcome for a in s.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id))]
    assert outcomes == ["sent", "confirmed"]  # the cut-off attempt is settled from Notify's answer


def test_a_send_cut_off_before_notify_got_it_is_sent_once_and_the_ledger_says_so(ctx, notify, today):
    _overdue_case(ctx, today)
    set_today(ctx, today)
    transports = transports_from_settings(ctx.settings)
    [first, _second] = delivery.claim_batch(ctx, at(today), 10)
    delivery._take(ctx, first, transports, at(today))  # the worker is killed before its request left
    lease = timedelta(seconds=ctx.settings.reminder_lease_seconds + 1)
    assert first in delivery.claim_batch(ctx, at(today) + lease, 10)
    assert delivery.deliver(ctx, first, transports) == "sent"
    assert len(notify.sent()) == 1
    with ctx.db.read() as s:
        outcomes = [a.outcome for a in s.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id))]
    assert outcomes == ["not_sent", "sent"]


def test_notify_is_not_called_once_the_lease_has_run_out(ctx, notify):
    message = RenderedMessage("A reminder", "Due soon.", "<p>Due soon.</p>", "https://dhr.example.gov.uk/")
    out = transport.Outgoing(1, "key-1", 1, "email", "owner@example.org", None, message, hand_over_by=time.monotonic())
    with pytest.raises(transport.LeaseExpired):
        transports_from_settings(ctx.settings)("email").send(out)
    assert notify.sent() == []


def _meeting(sequence=0, cancelled=False):
    return Meeting(
        "DHR-2026-004",
        "panel:7",
        datetime(2026, 12, 3, 10, tzinfo=UTC),
        datetime(2026, 12, 3, 12, tzinfo=UTC),
        "https://dhr.example.gov.uk/cases/DHR-2026-004",
        sequence=sequence,
        cancelled=cancelled,
    )


@pytest.mark.single_db
def test_meeting_updates_and_cancellations_keep_the_same_uid():
    invite = Calendar.from_ical(meeting_invite(_meeting(), "dhr@example.org", ["panel@example.org"]))
    update = Calendar.from_ical(meeting_invite(_meeting(1), "dhr@example.org", ["panel@example.org"]))
    cancel = Calendar.from_ical(meeting_invite(_meeting(2, cancelled=True), "dhr@example.org", ["panel@example.org"]))
    events = [next(iter(c.walk("VEVENT"))) for c in (invite, update, cancel)]
    assert {str(e["UID"]) for e in events} == {stable_uid("panel:7", "DHR-2026-004")}
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]
    assert [str(c["METHOD"]) for c in (invite, update, cancel)] == ["REQUEST", "REQUEST", "CANCEL"]
    assert str(events[2]["STATUS"]) == "CANCELLED"


def test_in_app_notifications_are_listed_and_marked_read(ctx, today):
    _overdue_case(ctx, today)
    _sweep(ctx, today)  # no SMTP or Notify configured: in-app only
    with ctx.db.read() as s:
        coordinator = s.scalars(select(User).where(User.email == COORDINATOR)).one()
        chair = s.scalars(select(User).where(User.email == "chair@example.org")).one()
    [item] = list_in_app(ctx, coordinator)
    assert not item["read"] and item["link"].endswith("/cases/DHR-2026-001")
    mark_read(ctx, coordinator, item["id"])
    assert list_in_app(ctx, coordinator, unread_only=True) == []
    with pytest.raises(NotFound):
        mark_read(ctx, chair, item["id"])  # someone else's notification is not yours to read

"""No message carries a name, a pseudonym or a case fact (PRODUCT.md §2.4): plant them everywhere, scan everything."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from pydantic import SecretStr
from sqlalchemy import select

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases import panel_meetings, tasks
from notifications import delivery
from notifications.admin import set_preference
from notifications.channels import transports_from_settings
from notifications.tables import InAppNotification
from tests.factories import COORDINATOR, add_people, notification
from tests.reminders.conftest import at, set_today
from tests.reminders.mailbox import NOTIFY_TEST_KEY, NotifyStub

PLANTED = ["Philippa Thistlewood", "Thistlewood", "Marigold", "MET/2026/7331", "Zebedee Quartermaine", "Quartermaine"]


def _plant(ctx, today):
    add_people(ctx)
    back = today - timedelta(days=80)
    ref = cases.notify_case(
        ctx,
        notification(back, name="Philippa Thistlewood", pseudonym="Marigold", police_ref="MET/2026/7331"),
        coordinator=COORDINATOR,
    )
    cases.set_fields(ctx, ref, {"police_force": "Thistlewood Constabulary", "chair_name": "Zebedee Quartermaine"})
    tasks.add_task(
        ctx, ref, "Chronology of Marigold's contact with Quartermaine", "agency@example.org", today + timedelta(days=3)
    )
    tasks.add_task(ctx, ref, "Thistlewood GP records", "panel@example.org", today, kind="chronology")
    set_preference(ctx, "panel@example.org", digest=True)
    panel_meetings.schedule(ctx, ref, datetime.combine(today + timedelta(days=5), time(10), UTC), 90)
    return ref


def _scan(texts):
    leaks = [(name, text[:120]) for text in texts for name in PLANTED if re.search(re.escape(name), text, re.I)]
    assert not leaks, f"personal data in messages: {leaks}"


def test_no_email_in_app_or_calendar_message_carries_a_name_or_case_fact(mail_ctx, smtp, today):
    ref = _plant(mail_ctx, today)
    set_today(mail_ctx, today)
    delivery.sweep(mail_ctx, transports_from_settings(mail_ctx.settings), now=at(today))
    assert smtp.count() >= 3
    texts = [raw.decode("utf-8", "replace") for raw in smtp.raw]
    texts += [part.get_content() for m in smtp.messages for part in m.walk() if part.get_content_maintype() == "text"]
    texts += [str(m["Subject"]) for m in smtp.messages]
    with mail_ctx.db.read() as s:
        texts += [f"{n.title} {n.body} {n.link}" for n in s.scalars(select(InAppNotification))]
    calendars = [p for m in smtp.messages for p in m.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 2  # the panel meeting's invitations (coordinator, panel member) went out with the rest
    texts += [p.get_payload(decode=True).decode() for p in calendars]
    assert any(ref in t for t in texts)  # the reference is there, so the scan is looking at real messages
    _scan(texts)


def test_no_notify_payload_or_reference_carries_a_name_or_case_fact(ctx, today):
    stub = NotifyStub().start()
    try:
        ctx.settings = ctx.settings.model_copy(
            update={
                "notify_api_key": SecretStr(NOTIFY_TEST_KEY),
                "notify_base_url": stub.url,
                "notify_email_template_id": "11111111-1111-1111-1111-111111111111",
            }
        )
        _plant(ctx, today)
        set_today(ctx, today)
        delivery.sweep(ctx, transports_from_settings(ctx.settings), now=at(today))
        assert len(stub.sent()) >= 3
        _scan([str(r["body"]) for r in stub.received])
    finally:
        stub.stop()

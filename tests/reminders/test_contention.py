"""Many claimers at once on one database (SQLite under BEGIN IMMEDIATE, PostgreSQL with SKIP LOCKED): every row is
claimed by exactly one of them, and delivering concurrently sends each reminder once."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace

from dhr_workflow.core.database import Database
from notifications import delivery
from notifications.channels import transports_from_settings
from notifications.embedded import start_embedded_scheduler
from tests.reminders.conftest import at, set_today
from tests.reminders.processes import seed_due_reminders, sent_count, wait_for


def _claimers(ctx, count):
    return [replace(ctx, db=Database(ctx.db.url)) for _ in range(count)]


def test_concurrent_claims_never_claim_a_row_twice(ctx, today):
    n = seed_due_reminders(ctx, 1500)
    set_today(ctx, today)
    ctx.settings = ctx.settings.model_copy(update={"reminder_batch_size": 50})
    claimed: list[int] = []
    lock = threading.Lock()

    def claim_all(claimer):
        while ids := delivery.claim_batch(claimer, at(today), 50):
            with lock:
                claimed.extend(ids)

    contexts = _claimers(ctx, 4)
    threads = [threading.Thread(target=claim_all, args=(c,)) for c in contexts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for c in contexts:
        c.db.dispose()
    assert len(claimed) == n and max(Counter(claimed).values()) == 1


def test_concurrent_sweeps_send_each_reminder_once(mail_ctx, smtp, today):
    n = seed_due_reminders(mail_ctx, 300)
    set_today(mail_ctx, today)
    mail_ctx.settings = mail_ctx.settings.model_copy(update={"reminder_batch_size": 20})
    contexts = _claimers(mail_ctx, 3)
    threads = [
        threading.Thread(
            target=delivery.sweep, args=(c, transports_from_settings(c.settings)), kwargs={"now": at(today)}
        )
        for c in contexts
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for c in contexts:
        c.db.dispose()
    ids = smtp.message_ids()
    assert len(ids) == n and max(ids.values()) == 1


def test_the_embedded_scheduler_sweeps_in_the_background_until_stopped(mail_ctx, smtp, today):
    n = seed_due_reminders(mail_ctx, 30)
    mail_ctx.settings = mail_ctx.settings.model_copy(update={"send_window": "", "send_on_working_days_only": False})
    handle = start_embedded_scheduler(mail_ctx, interval=0.2)
    try:
        wait_for(lambda: sent_count(mail_ctx) == n, 30, "the embedded scheduler to send everything")
        assert handle.running and handle.errors == 0
    finally:
        handle.stop()
    assert not handle.running
    assert smtp.count() == n and len(handle.sweeps) >= 1

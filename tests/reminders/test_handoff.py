"""A worker SIGKILLed at each point of an SMTP send, then a later attempt: what the SMTP server received.

Each crash is a real child process killing itself with SIGKILL at a chosen point of the hand-off (see
tests/reminders/crashing_send.py); the recovery runs here against the same database, journal and SMTP server.
"""

from __future__ import annotations

import stat
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import notifications.transport
from dhr_workflow.core.tables import utcnow
from notifications import delivery
from notifications.channels.handoff import HANDED_OVER, READY, HandoffJournal
from notifications.channels.smtp import SmtpTransport
from notifications.ledger.tables import Reminder
from notifications.messages import RenderedMessage
from notifications.tables import DeliveryAttempt
from notifications.transport import LeaseExpired, Outgoing
from tests.reminders.processes import process_env, seed_due_reminders

REPO = Path(__file__).resolve().parents[2]

# crash point -> (messages the server had before recovery, the ledger after it, messages after it)
CRASHES = {
    "before-ready": (0, ["not_sent", "sent"], 1),
    "after-ready": (0, ["unknown", "sent"], 1),  # the "." never left, but nothing can prove it: sent (once)
    "after-dot": (1, ["unknown", "sent"], 2),  # the only repeat: the microseconds between the "." and its note
    "after-handed-over": (1, ["sent", "confirmed"], 1),
    "after-reply": (1, ["sent", "confirmed"], 1),  # the window ADR 0012 had left open is closed
}


def crash_mid_send(mail_ctx, database_url, smtp, point: str) -> int:
    seed_due_reminders(mail_ctx, 1)
    [reminder_id] = delivery.claim_batch(mail_ctx, utcnow(), 10)
    env = process_env(database_url, "", smtp.port)
    child = subprocess.run(
        [sys.executable, "-m", "tests.reminders.crashing_send", str(reminder_id), point],
        env=env,
        cwd=REPO,
        capture_output=True,
        timeout=60,
    )
    assert child.returncode == -9, child.stderr.decode()[-2000:]
    return reminder_id


def recover(mail_ctx, reminder_id: int, transport: SmtpTransport) -> str:
    """What any worker does once the dead worker's lease has expired."""
    later = utcnow() + timedelta(seconds=mail_ctx.settings.reminder_lease_seconds + 5)
    assert delivery.claim_batch(mail_ctx, later, 10) == [reminder_id]
    return delivery.deliver(mail_ctx, reminder_id, lambda channel: transport)


def settle_count(smtp, at_least: int, seconds: float = 1.0) -> int:
    """The server works in its own thread: give a just-closed connection time to arrive."""
    deadline = time.monotonic() + seconds * 5
    while smtp.count() < at_least and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(seconds)
    return smtp.count()


def outcomes(ctx) -> list[str]:
    with ctx.db.read() as s:
        return list(s.scalars(select(DeliveryAttempt.outcome).order_by(DeliveryAttempt.attempt_no)))


@pytest.mark.parametrize("point", list(CRASHES))
def test_a_send_cut_off_by_sigkill_is_repeated_only_when_nothing_can_tell(mail_ctx, database_url, smtp, point):
    before, ledger, after = CRASHES[point]
    reminder_id = crash_mid_send(mail_ctx, database_url, smtp, point)
    assert settle_count(smtp, before) == before
    assert recover(mail_ctx, reminder_id, SmtpTransport(mail_ctx.settings)) == "sent"
    assert settle_count(smtp, after, 0.3) == after
    assert len(set(smtp.message_ids())) == 1  # a repeat carries the same Message-ID
    assert outcomes(mail_ctx) == ledger
    with mail_ctx.db.read() as s:
        assert s.get(Reminder, reminder_id).status == "sent"
    assert [p.name for p in mail_ctx.settings.handoff_dir.iterdir()] == ["journal-id"]  # settled: notes removed


def test_notes_in_a_journal_this_worker_cannot_read_prove_nothing(mail_ctx, database_url, smtp, tmp_path):
    """A worker on another host, without the shared directory, must not read "no note" as "never sent"."""
    reminder_id = crash_mid_send(mail_ctx, database_url, smtp, "after-handed-over")
    elsewhere = mail_ctx.settings.model_copy(update={"handoff_dir": tmp_path / "other-host"})
    assert recover(mail_ctx, reminder_id, SmtpTransport(elsewhere)) == "sent"
    assert settle_count(smtp, 2, 0.3) == 2  # at-least-once: repeated, never lost
    assert outcomes(mail_ctx) == ["unknown", "sent"]


def test_the_journal_keeps_no_case_data_and_only_the_notes_of_the_attempts_asked_about(tmp_path):
    journal = HandoffJournal(tmp_path / "handoff")
    key = "DHR-2026-004:decision:before:10:2026-12-07:7:email"
    first = journal.open_entry(key, 1)
    first.note(READY)
    first.note(HANDED_OVER)
    first.close()
    second = journal.open_entry(key, 2)
    second.note(READY)
    second.close()
    assert journal.furthest(key, {1}) == HANDED_OVER
    assert journal.furthest(key, {2}) == READY
    assert journal.furthest(key, {3}) is None and journal.furthest("another key", {1}) is None
    names = [p.name for p in journal.directory.iterdir()]
    assert not any("DHR" in n or "2026" in n for n in names)
    assert stat.S_IMODE(journal.directory.stat().st_mode) == 0o700
    assert HandoffJournal(tmp_path / "handoff").id == journal.id  # the identity survives a restart
    journal.forget(key)
    assert journal.furthest(key, {1}) is None


def test_writing_the_final_dot_on_its_own_does_not_wait_for_a_delayed_ack(mail_ctx, smtp):
    """Nagle's algorithm would hold the lone "." until the server's delayed ACK: 40 ms a message on Linux."""
    transport = SmtpTransport(mail_ctx.settings)
    message = RenderedMessage("A reminder", "Due soon.", "<p>Due soon.</p>", "https://dhr.example.gov.uk/")
    timings = []
    for i in range(15):
        out = Outgoing(i, f"key-{i}", 1, "email", "owner@example.org", None, message)
        started = time.perf_counter()
        transport.send(out)
        timings.append(time.perf_counter() - started)
    assert smtp.count() == 15
    # The fastest send: load on the machine only adds time, but Nagle's stall adds its 40 ms to every send.
    assert min(timings) < 0.035, (
        f"fastest send {min(timings) * 1000:.0f} ms, median {statistics.median(timings) * 1000:.0f} ms"
    )


def test_a_worker_whose_lease_ran_out_does_not_hand_over_what_another_has_sent(mail_ctx, smtp):
    """The classic duplicate: a slow worker carries on after its row was re-claimed and sent by another."""
    seed_due_reminders(mail_ctx, 1)
    [reminder_id] = delivery.claim_batch(mail_ctx, utcnow(), 10)
    transport = SmtpTransport(mail_ctx.settings)
    slow = delivery._take(mail_ctx, reminder_id, lambda channel: transport, utcnow())
    stalled = replace(slow.outgoing, hand_over_by=time.monotonic())  # it stalls for the whole lease...
    assert recover(mail_ctx, reminder_id, transport) == "sent"  # ...during which another worker sends it
    with pytest.raises(LeaseExpired):
        transport.send(stalled)  # the slow one wakes up
    assert settle_count(smtp, 2, 0.3) == 1


def test_a_lease_that_ends_during_data_leaves_the_message_unsent(mail_ctx, smtp, monkeypatch):
    """Checked again just before the ".": the connection is dropped without it, and the server discards the text."""
    ticks = iter([100.0, 200.0])  # time.monotonic() before DATA: in time; before the ".": too late
    monkeypatch.setattr(notifications.transport, "monotonic", lambda: next(ticks))
    message = RenderedMessage("A reminder", "Due soon.", "<p>Due soon.</p>", "https://dhr.example.gov.uk/")
    out = Outgoing(1, "key-1", 1, "email", "owner@example.org", None, message, hand_over_by=150.0)
    transport = SmtpTransport(mail_ctx.settings)
    with pytest.raises(LeaseExpired):
        transport.send(out)
    assert settle_count(smtp, 1, 0.5) == 0
    assert transport.journal.furthest("key-1", {1}) is None  # no `ready`: a later attempt knows it never left

"""Run one delivery in a child process and SIGKILL it at a chosen point of the SMTP hand-off.

    python -m tests.reminders.crashing_send REMINDER_ID POINT      (settings from DHR_* in the environment)

POINT is where the process dies:
  before-ready       the body is on the wire, nothing noted, the final "." not written
  after-ready        `ready` noted, the final "." not yet written
  after-dot          the "." written, `handed-over` not yet noted: the window no protocol closes
  after-handed-over  `handed-over` noted, the server's reply not yet read
  after-reply        the server said 250; the outcome not yet in the database (the window ADR 0012 left open)
"""

from __future__ import annotations

import os
import signal
import sys

from dhr_workflow.core.context import build_context
from dhr_workflow.core.settings import Settings
from notifications import delivery, transport
from notifications.channels import handoff
from notifications.channels.smtp import SmtpTransport

POINTS = ("before-ready", "after-ready", "after-dot", "after-handed-over", "after-reply")


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm(point: str) -> None:
    """Patch the journal's note so the process dies at `point` (the patch lives and dies with this process)."""
    note = handoff.JournalEntry.note

    def noting(entry: handoff.JournalEntry, what: str) -> None:
        if (point, what) in {("before-ready", handoff.READY), ("after-dot", handoff.HANDED_OVER)}:
            die()
        note(entry, what)
        if (point, what) in {("after-ready", handoff.READY), ("after-handed-over", handoff.HANDED_OVER)}:
            die()

    handoff.JournalEntry.note = noting  # type: ignore[method-assign]


class DiesAfterReply(SmtpTransport):
    def send(self, out: transport.Outgoing) -> str | None:
        super().send(out)
        die()
        return None


def main(reminder_id: int, point: str) -> None:
    settings = Settings()
    ctx = build_context(settings)
    transport = DiesAfterReply(settings) if point == "after-reply" else SmtpTransport(settings)
    if point != "after-reply":
        arm(point)
    delivery.deliver(ctx, reminder_id, lambda channel: transport)
    sys.exit(f"survived: the crash point {point} was never reached")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])

"""Email over SMTP: plain text and HTML alternatives, a Message-ID derived from the reminder's idempotency key, and
a hand-off journal noted either side of the final "." of DATA, so a worker's death does not send a reminder twice
(notifications/channels/handoff.py, ADR 0014)."""

from __future__ import annotations

import hashlib
import re
import smtplib
import socket
from email.message import EmailMessage
from email.utils import format_datetime

from dhr_workflow.cases.meetings import Meeting
from dhr_workflow.core.settings import Settings
from dhr_workflow.core.tables import utcnow
from notifications.calendar_invites import meeting_invite
from notifications.channels.handoff import HANDED_OVER, READY, HandoffJournal, JournalEntry
from notifications.transport import (
    Earlier,
    EarlierAttempt,
    LeaseExpired,
    Outgoing,
    PermanentFailure,
    TemporaryFailure,
    ensure_still_ours,
)

_LEADING_DOT = re.compile(rb"(?m)^\.")
_TCP_CORK: int | None = getattr(socket, "TCP_CORK", None)


def message_id(idem_key: str, mail_from: str) -> str:
    domain = mail_from.rsplit("@", 1)[-1].strip(">") or "dhr-workflow.invalid"
    return f"<{hashlib.sha256(idem_key.encode()).hexdigest()[:40]}@{domain}>"


def build_email(out: Outgoing, mail_from: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = mail_from
    msg["To"] = out.to_email
    msg["Subject"] = out.message.subject
    msg["Message-ID"] = message_id(out.idem_key, mail_from)
    msg["Date"] = format_datetime(utcnow())
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a reminder
    msg.set_content(out.message.text)
    msg.add_alternative(out.message.html, subtype="html")
    if out.message.invite is not None:
        _attach_invite(msg, out.message.invite, mail_from, out.to_email)
    return msg


def _attach_invite(msg: EmailMessage, meeting: Meeting, mail_from: str, to_email: str) -> None:
    """The ICS, with only this recipient as attendee: nobody learns from it who else sits on the panel."""
    method = "CANCEL" if meeting.cancelled else "REQUEST"
    ics = meeting_invite(meeting, mail_from, [to_email])
    msg.add_attachment(ics, maintype="text", subtype="calendar", filename="invite.ics", params={"method": method})


class _JournalledSMTP(smtplib.SMTP):
    """smtplib's DATA, with the final "." written on its own between two journal notes."""

    entry: JournalEntry | None = None
    out: Outgoing | None = None

    def data(self, msg):  # type: ignore[no-untyped-def]  # smtplib's own signature
        assert self.entry is not None and self.out is not None
        self._ensure_still_ours(self.out)
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        body = _LEADING_DOT.sub(b"..", msg if isinstance(msg, bytes) else msg.encode("ascii"))
        # The "." goes in a segment of its own: without this, Nagle's algorithm holds it until the server's delayed
        # ACK of the body (40 ms a message on Linux).
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.send(body if body.endswith(b"\r\n") else body + b"\r\n")
        self._ensure_still_ours(self.out)
        self.entry.note(READY)
        # Corked, the "." stays in this host's kernel until it is noted: the server is not woken (and this process
        # not preempted in its favour) inside the gap. The kernel still sends it if this process dies in the gap, as
        # closing a socket flushes what is queued, so the gap keeps its meaning (ADR 0014); it just stays microseconds.
        self._cork(True)
        self.send(b".\r\n")  # from here the server will have the message, whatever happens to this process
        self.entry.note(HANDED_OVER)
        self._cork(False)  # uncorking sends it now
        return self.getreply()

    def _cork(self, on: bool) -> None:
        if _TCP_CORK is not None:  # Linux; elsewhere the gap is as wide as the scheduler makes it
            self.sock.setsockopt(socket.IPPROTO_TCP, _TCP_CORK, int(on))

    def _ensure_still_ours(self, out: Outgoing) -> None:
        try:
            ensure_still_ours(out)
        except LeaseExpired:
            self.close()  # no ".", no QUIT (in DATA it would be read as text): the server discards the message
            raise


class SmtpTransport:
    name = "smtp"

    def __init__(self, settings: Settings, timeout: float = 30.0) -> None:
        self.settings = settings
        self.timeout = timeout
        self.journal = HandoffJournal(settings.handoff_dir)
        self.journal_id: str | None = self.journal.id  # an unusable directory fails here, when transports are built

    def earlier_attempt(self, out: Outgoing, unknown: list[EarlierAttempt]) -> Earlier:
        if any(a.journal_id != self.journal_id for a in unknown):
            return Earlier("unknown")  # noted in a journal this worker cannot read: absence there proves nothing
        reached = self.journal.furthest(out.idem_key, {a.attempt_no for a in unknown})
        if reached == HANDED_OVER:
            return Earlier("sent", message_id(out.idem_key, self.settings.mail_from))
        return Earlier("unknown") if reached == READY else Earlier("not_sent")

    def settle(self, out: Outgoing) -> None:
        self.journal.forget(out.idem_key)

    def send(self, out: Outgoing) -> str | None:
        msg = build_email(out, self.settings.mail_from)
        entry = self.journal.open_entry(out.idem_key, out.attempt_no)
        try:
            with _JournalledSMTP(self.settings.smtp_host or "", self.settings.smtp_port, timeout=self.timeout) as smtp:
                smtp.entry, smtp.out = entry, out
                if self.settings.smtp_starttls:
                    smtp.starttls()
                if self.settings.smtp_username and self.settings.smtp_password:
                    smtp.login(self.settings.smtp_username, self.settings.smtp_password.get_secret_value())
                smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as err:
            raise _classify(next(iter(err.recipients.values()))[0], "recipient refused") from None
        except smtplib.SMTPResponseException as err:
            raise _classify(err.smtp_code, "SMTP server answered") from None
        except (TimeoutError, smtplib.SMTPException, OSError) as err:
            raise TemporaryFailure(f"SMTP unavailable: {type(err).__name__}") from None
        finally:
            entry.close()
        return str(msg["Message-ID"])


def _classify(code: int, what: str) -> Exception:
    """5xx is permanent (bad address, rejected); 4xx and anything else is worth retrying."""
    if 500 <= code < 600:
        return PermanentFailure(f"{what} {code}")
    return TemporaryFailure(f"{what} {code}")

"""Email over SMTP: plain text and HTML alternatives, and a Message-ID derived from the reminder's idempotency key,
so a message sent twice after a crash is recognisably the same message."""

from __future__ import annotations

import hashlib
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime

from dhr_workflow.config import Settings
from dhr_workflow.db.tables import utcnow
from dhr_workflow.services.delivery import Outgoing, PermanentFailure, TemporaryFailure


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
    return msg


class SmtpTransport:
    name = "smtp"

    def __init__(self, settings: Settings, timeout: float = 30.0) -> None:
        self.settings = settings
        self.timeout = timeout

    def already_sent(self, out: Outgoing) -> str | None:
        return None  # SMTP cannot be asked; the stable Message-ID lets mail clients fold a repeat

    def send(self, out: Outgoing) -> str | None:
        msg = build_email(out, self.settings.mail_from)
        try:
            with smtplib.SMTP(self.settings.smtp_host or "", self.settings.smtp_port, timeout=self.timeout) as smtp:
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
        return str(msg["Message-ID"])


def _classify(code: int, what: str) -> Exception:
    """5xx is permanent (bad address, rejected); 4xx and anything else is worth retrying."""
    if 500 <= code < 600:
        return PermanentFailure(f"{what} {code}")
    return TemporaryFailure(f"{what} {code}")

"""GOV.UK Notify (email and SMS) through notifications-python-client, templates by id.

The reference is an opaque digest of the idempotency key: Notify keeps it, and before sending a reminder whose last
attempt ended in an unknown state we ask Notify for it, so a crash never sends the same reminder twice over Notify.
Answers: 400 and 403 are permanent (bad request, bad key); 429 and 5xx are temporary (retried with backoff).
"""

from __future__ import annotations

import hashlib

from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from dhr_workflow.core.settings import Settings
from notifications.transport import (
    Earlier,
    EarlierAttempt,
    Outgoing,
    PermanentFailure,
    TemporaryFailure,
    ensure_still_ours,
)


def reference_for(idem_key: str) -> str:
    return "dhr-" + hashlib.sha256(idem_key.encode()).hexdigest()[:40]


class NotifyTransport:
    name = "notify"
    journal_id: str | None = None  # Notify itself answers for earlier attempts

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        key = settings.notify_api_key.get_secret_value() if settings.notify_api_key else ""
        self.client = NotificationsAPIClient(key, base_url=settings.notify_base_url, timeout=30)

    def send(self, out: Outgoing) -> str | None:
        ensure_still_ours(out)
        try:
            if out.channel == "sms":
                answer = self._sms(out)
            else:
                answer = self.client.send_email_notification(
                    email_address=out.to_email,
                    template_id=self._template(self.settings.notify_email_template_id, "EMAIL"),
                    personalisation=out.message.personalisation,
                    reference=reference_for(out.idem_key),
                )
        except HTTPError as err:
            raise _classify(err) from None
        except (OSError, ValueError) as err:  # connection refused, timeouts, a non-JSON answer from a proxy
            raise TemporaryFailure(f"Notify unavailable: {type(err).__name__}") from None
        return str(answer.get("id")) if isinstance(answer, dict) else None

    def _sms(self, out: Outgoing) -> object:
        if not out.to_phone:
            raise PermanentFailure("no mobile number for this person; add one with `dhr reminders prefer --sms`")
        return self.client.send_sms_notification(
            phone_number=out.to_phone,
            template_id=self._template(self.settings.notify_sms_template_id, "SMS"),
            personalisation={"body": out.message.subject, "link": out.message.link},
            reference=reference_for(out.idem_key),
        )

    def _template(self, template_id: str | None, kind: str) -> str:
        if not template_id:
            raise PermanentFailure(f"DHR_NOTIFY_{kind}_TEMPLATE_ID is not set")
        return template_id

    def earlier_attempt(self, out: Outgoing, unknown: list[EarlierAttempt]) -> Earlier:
        """Notify keeps the reference: by the time a lease has expired, the cut-off request has long finished."""
        if any(a.transport != self.name for a in unknown):
            return Earlier("unknown")  # an attempt by another transport (settings changed): Notify cannot know
        try:
            found = self.client.get_all_notifications(reference=reference_for(out.idem_key))
        except (HTTPError, OSError, ValueError):
            return Earlier("unknown")
        notifications = found.get("notifications", []) if isinstance(found, dict) else []
        return Earlier("sent", str(notifications[0].get("id"))) if notifications else Earlier("not_sent")

    def settle(self, out: Outgoing) -> None:
        """Nothing kept here: Notify is the record."""


def _classify(err: HTTPError) -> Exception:
    status = getattr(err, "status_code", 0) or 0
    message = f"Notify answered {status}: {_first_error(err)}"
    if status in (400, 403):
        return PermanentFailure(message)
    return TemporaryFailure(message)


def _first_error(err: HTTPError) -> str:
    messages = getattr(err, "message", None)
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        return str(messages[0].get("message", ""))[:200]
    return str(messages)[:200] if messages else ""

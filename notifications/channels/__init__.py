"""Transports: how a rendered reminder leaves the system. Chosen from settings, one code path for every install."""

from __future__ import annotations

from dhr_workflow.core.settings import Settings
from notifications.transport import Transport, TransportFor


def transports_from_settings(settings: Settings) -> TransportFor:
    """GOV.UK Notify when DHR_NOTIFY_API_KEY is set, else SMTP when DHR_SMTP_HOST is set, else in-app only.

    SMS always goes through Notify (there is no SMS over SMTP)."""
    from notifications.channels.notify import NotifyTransport
    from notifications.channels.smtp import SmtpTransport

    key = settings.notify_api_key.get_secret_value() if settings.notify_api_key else ""
    notify: Transport | None = NotifyTransport(settings) if key else None
    smtp: Transport | None = SmtpTransport(settings) if settings.smtp_host else None

    def pick(channel: str) -> Transport | None:
        if channel == "sms":
            return notify
        if channel == "in_app":
            return None
        return notify or smtp

    return pick

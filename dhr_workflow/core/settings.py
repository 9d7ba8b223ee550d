"""Settings from DHR_* environment variables (and a .env file), as PRODUCT.md §3 lists them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dhr_workflow.core.env_settings import DEFAULT_DATA_DIR, ENV_FILE, ENV_PREFIX, default_database_url

__all__ = ["DEFAULT_DATA_DIR", "DEV_SECRET_KEY", "Settings", "get_settings"]
DEV_SECRET_KEY = "dev-only-not-secret"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=ENV_FILE, extra="ignore", env_ignore_empty=False)

    database_url: str = Field(default_factory=default_database_url)
    redis_url: str | None = None
    base_url: str = "http://127.0.0.1:8000"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    mail_from: str = "dhr-workflow@localhost"
    notify_api_key: SecretStr | None = None
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    send_window: str = "08:00-18:00"
    send_on_working_days_only: bool = True
    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    environment: str = "development"
    workflows_dir: Path | None = None
    templates_dir: Path | None = None
    govuk_frontend_dir: Path | None = None  # GOV.UK Frontend's dist/govuk; default: node_modules beside the code
    timezone: str = "Europe/London"
    # Accessible-format requests: acknowledge, then deliver, within these many working days of receipt.
    # (Plain ints: documents/access_requests.py checks their range where they are used.)
    access_acknowledge_working_days: int = 3
    access_deliver_working_days: int = 10
    # Reminder delivery (docs/reminders.md): GOV.UK Notify templates, claim leases, retries and the sweep's pace.
    notify_email_template_id: str | None = None
    notify_sms_template_id: str | None = None
    # Short leases, renewed between messages by the loop that holds them: a dead worker's reminders go out again
    # within lease + sweep interval + the queue limit at 3 a second, 78 s at these defaults (ADR 0053).
    reminder_lease_seconds: int = Field(default=30, ge=5)
    reminder_max_attempts: int = Field(default=6, ge=1)
    reminder_batch_size: int = Field(default=500, ge=1, le=5000)
    # At most this many reminders wait in the Celery queue at once: what a re-claimed one may queue behind (ADR 0053).
    reminder_queue_limit: int = Field(default=100, ge=1, le=5000)
    sweep_interval_seconds: float = Field(default=15.0, gt=0)
    celery_visibility_timeout: int = Field(default=3600, ge=10)
    # Where SMTP sends note how far they got (ADR 0014); every worker of one installation must share it.
    handoff_dir: Path = DEFAULT_DATA_DIR / "smtp-handoff"
    # The partnership's own branding on pages (docs/web.md): a partnership's service is not on GOV.UK, so its pages
    # carry the partnership's name, logo and footer links, never the crown, Crown copyright or the OGL. Unset, the
    # name and logo are the letterhead's (below), then "Community Safety Partnership".
    partnership_name: str = ""
    partnership_logo: Path | None = None  # a PNG, SVG or JPEG file, served from /branding/logo
    partnership_logo_alt: str = ""  # the logo's text alternative
    partnership_contact_url: str | None = None  # a web page or mailto: link for "Contact us" in the footer
    # The accessibility statement and privacy notice, as text files the partnership edits (docs/web.md has the
    # format); unset = the honest defaults shipped in templates/web/.
    accessibility_statement_file: Path | None = None
    privacy_notice_file: Path | None = None
    # The letterhead on documents (docs/documents.md): the partnership's name is its record's unless set here;
    # address lines separated by "|"; the logo is a PNG or JPEG file and needs its alt text.
    letterhead_name: str = ""
    letterhead_address: str = ""
    letterhead_phone: str = ""
    letterhead_email: str = ""
    letterhead_website: str = ""
    letterhead_logo: Path | None = None
    letterhead_logo_alt: str = ""
    # Local specialist domestic abuse services the family letter names beside AAFDA and the Homicide Service:
    # entries separated by "|", e.g. "Bexley Women's Aid, 020 8000 0000 | ...". Unset: the letter offers to tell the
    # family about them, and names none.
    local_support_services: str = ""
    # The short address printed in easy-read documents for asking for another format; default: this site's
    # address without "https://", followed by /accessible-formats/request.
    short_link: str = ""
    # Abuse limits (issue 16). Proxies whose X-Forwarded-For is believed: addresses or networks, comma-separated.
    trusted_proxies: str = ""
    access_requests_per_client_per_hour: int = Field(default=10, ge=1)
    access_requests_per_hour: int = Field(default=200, ge=1)  # from everyone together
    sign_ins_per_account_per_minute: int = Field(default=10, ge=1)
    # Personal API tokens stop working this many days after they are made (issue 16).
    api_token_days: int = Field(default=90, ge=1, le=3650)
    # The audit chain's MAC key lives outside the database (ADR 0052): DHR_AUDIT_KEY is the current key; a key file
    # holds one key a line, the last one current and the earlier ones retired (kept so old events still verify).
    audit_key: SecretStr | None = None
    audit_key_file: Path | None = None
    # An append-only log of the chain's head outside the database, written at every sweep and every N events.
    audit_anchor_dir: Path | None = None
    audit_anchor_every: int = Field(default=100, ge=1, le=100_000)

    @field_validator(
        "redis_url",
        "smtp_host",
        "smtp_username",
        "notify_email_template_id",
        "notify_sms_template_id",
        "audit_key",
        "audit_key_file",
        "audit_anchor_dir",
        "partnership_logo",
        "partnership_contact_url",
        "accessibility_statement_file",
        "privacy_notice_file",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("letterhead_logo", mode="before")
    @classmethod
    def _no_logo(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("letterhead_logo_alt")
    @classmethod
    def _logo_needs_alt(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("letterhead_logo") is not None and not value.strip():
            raise ValueError("DHR_LETTERHEAD_LOGO_ALT must describe the logo (for example 'Bexley Council')")
        return value

    @property
    def is_development(self) -> bool:
        return self.environment.strip().lower() == "development"

    def assert_safe_for(self, environment: str) -> None:
        """Refuse the development secret key in every environment but `development` (production, Production, prod,
        staging, ...): a guessable key would let anyone forge sessions and CSRF tokens."""
        from dhr_workflow.core.errors import UnsafeSettings

        if environment.strip().lower() != "development" and self.secret_key.get_secret_value() == DEV_SECRET_KEY:
            raise UnsafeSettings(
                f"DHR_SECRET_KEY must be set to a long random value when DHR_ENVIRONMENT is {environment!r} (only "
                "'development' may use the built-in key): for example `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`"
            )


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""The audit chain's keys and anchor log settings (ADR 0052). The keys never touch the database: an event stores only
the id of the key that MACed it, so someone who can write the database cannot forge a MAC.

Key sources, in settings: `DHR_AUDIT_KEY` (the current key) and `DHR_AUDIT_KEY_FILE` (one key a line, `#` comments;
the last line is current unless DHR_AUDIT_KEY is set, and the earlier lines are retired keys kept for verification).
Without either, development uses a fixed development key; every other environment refuses it (`assert_safe`).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from pathlib import Path

from dhr_workflow.core.errors import DhrError, UnsafeSettings
from dhr_workflow.core.settings import Settings

DEVELOPMENT_KEY = b"dev-only-audit-key-not-secret"
MIN_KEY_LENGTH = 16


class AuditKeyError(DhrError):
    """The audit key is missing, too short or unreadable: a configuration error the operator fixes."""

    exit_code = 7


def key_id(key: bytes) -> str:
    """A short public name for a key (a hash of it: it reveals nothing of the key)."""
    return hashlib.sha256(b"dhr-audit-key-id:" + key).hexdigest()[:16]


@dataclass(frozen=True)
class AuditConfig:
    """The keys (current and retired, by id) and where and how often the head is anchored."""

    current: bytes
    retired: tuple[bytes, ...] = ()
    anchor_dir: Path | None = None
    anchor_every: int = 100
    keys: dict[str, bytes] = field(init=False, repr=False)
    # Worked out once: every audit append reads it three times, and a SHA-256 each time was ~15 µs a step (issue 17).
    current_id: str = field(init=False)

    def __post_init__(self) -> None:
        keys = {key_id(k): k for k in (*self.retired, self.current)}
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "current_id", key_id(self.current))

    @property
    def is_development_key(self) -> bool:
        return self.current == DEVELOPMENT_KEY

    def mac(self, kid: str, message: str) -> str | None:
        """The HMAC-SHA256 of `message` under key `kid`, or None when that key is not configured."""
        key = self.keys.get(kid)
        if key is None:
            return None
        return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def config_from(settings: Settings) -> AuditConfig:
    """Read the keys named by the settings. Raises AuditKeyError when a key file is unreadable or a key too short."""
    file_keys: list[bytes] = []
    if settings.audit_key_file is not None:
        file_keys = _read_key_file(settings.audit_key_file)
    env_key = settings.audit_key.get_secret_value().encode() if settings.audit_key is not None else None
    if env_key is not None:
        current, retired = env_key, [k for k in file_keys if k != env_key]
    elif file_keys:
        current, retired = file_keys[-1], file_keys[:-1]
    else:
        current, retired = DEVELOPMENT_KEY, []
    for key in (current, *retired):
        if key != DEVELOPMENT_KEY and len(key) < MIN_KEY_LENGTH:
            raise AuditKeyError(
                f"an audit key is shorter than {MIN_KEY_LENGTH} characters: use a long random value "
                "(for example `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
    return AuditConfig(current, tuple(retired), settings.audit_anchor_dir, settings.audit_anchor_every)


def _read_key_file(path: Path) -> list[bytes]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        problem = f"cannot read the audit key file {path} ({type(err).__name__}); check DHR_AUDIT_KEY_FILE"
        raise AuditKeyError(problem) from err
    keys = [line.strip().encode() for line in lines if line.strip() and not line.strip().startswith("#")]
    if not keys:
        raise AuditKeyError(f"the audit key file {path} holds no key; put one long random value on a line")
    return keys


def assert_safe(settings: Settings) -> None:
    """Refuse the development secret key and the development audit key outside development."""
    settings.assert_safe_for(settings.environment)
    if not settings.is_development and config_from(settings).is_development_key:
        raise UnsafeSettings(
            f"set DHR_AUDIT_KEY or DHR_AUDIT_KEY_FILE when DHR_ENVIRONMENT is {settings.environment!r}: the built-in "
            "audit key is public, so anyone who can write the database could rewrite the audit trail (ADR 0052)"
        )

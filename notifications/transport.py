"""The boundary between delivery and a provider (ADR 0012, 0013): what a transport is handed, what it may raise, and
how it answers for an attempt cut off mid-send. Channels implement `Transport`; delivery drives them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from time import monotonic
from typing import Protocol

from notifications.messages import RenderedMessage

MAX_ERROR = 1000


class TemporaryFailure(Exception):
    """The provider may accept the message later (rate limit, outage): retry with backoff."""


class LeaseExpired(TemporaryFailure):
    """This attempt ran out of time before handing the message over; the row is another worker's now."""


def ensure_still_ours(out: Outgoing) -> None:
    """Called by a transport just before the point of no return (the final "." of DATA, the POST to Notify)."""
    if out.hand_over_by is not None and monotonic() >= out.hand_over_by:
        raise LeaseExpired("the lease ran out before the message was handed over; a later attempt sends it")


class PermanentFailure(Exception):
    """The message can never be delivered as it is (bad address, rejected key): tell the coordinator."""


@dataclass(frozen=True)
class Outgoing:
    reminder_id: int
    idem_key: str
    attempt_no: int
    channel: str
    to_email: str
    to_phone: str | None
    message: RenderedMessage
    # A transport must not hand the message over after this (a time.monotonic() value): from the lease's end another
    # worker may re-claim the row and, finding no sign of this attempt, send it. The margin allows for clocks on
    # different hosts. Monotonic, so neither a clock change nor a test's simulated "now" moves it.
    hand_over_by: float | None = None


def lease_margin(lease_seconds: int) -> timedelta:
    return timedelta(seconds=min(60.0, lease_seconds / 10))


@dataclass(frozen=True)
class EarlierAttempt:
    """An attempt whose worker died before recording its outcome: its transport, and the journal that wrote to."""

    attempt_no: int
    transport: str
    journal_id: str | None


@dataclass(frozen=True)
class Earlier:
    """What the transport can tell about earlier attempts: "sent", "not_sent" or "unknown"."""

    state: str
    provider_id: str | None = None


class Transport(Protocol):
    name: str
    journal_id: str | None  # where the transport notes how far a send got (None: the provider itself can be asked)

    def send(self, out: Outgoing) -> str | None:
        """Hand the message over; return the provider's id. Raise TemporaryFailure or PermanentFailure."""
        ...

    def earlier_attempt(self, out: Outgoing, unknown: list[EarlierAttempt]) -> Earlier:
        """Whether any of these attempts, cut off mid-send, got the message to the provider."""
        ...

    def settle(self, out: Outgoing) -> None:
        """The outcome is in the database: forget what was kept to answer `earlier_attempt`."""
        ...


TransportFor = Callable[[str], Transport | None]  # channel -> transport (None: in-app only)

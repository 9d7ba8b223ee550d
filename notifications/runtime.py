"""One application context per worker process, built lazily from DHR_* settings after the process forked (a
database connection must never cross a fork)."""

from __future__ import annotations

import os

from dhr_workflow.core.context import AppContext
from notifications.transport import TransportFor

_STATE: dict[int, tuple[AppContext, TransportFor]] = {}


def process_context() -> tuple[AppContext, TransportFor]:
    pid = os.getpid()
    if pid not in _STATE:
        from dhr_workflow.core.context import build_context
        from dhr_workflow.core.settings import Settings
        from notifications.channels import transports_from_settings

        settings = Settings()
        _STATE.clear()
        _STATE[pid] = (build_context(settings), transports_from_settings(settings))
    return _STATE[pid]

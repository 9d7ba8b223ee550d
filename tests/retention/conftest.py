"""The web fixtures (the demo partnership, signed-in clients), shared from tests/web, and a closed case full of
records."""

from __future__ import annotations

import pytest

from tests.retention.builders import ADMIN, COORDINATOR, ClosedCase, close_with_records
from tests.web.conftest import Demo, app, cheap_argon2, client_for, demo, seeded_sqlite, tokens  # noqa: F401

__all__ = ["ADMIN", "COORDINATOR", "ClosedCase"]


@pytest.fixture
def closed(demo: Demo) -> ClosedCase:  # noqa: F811 - the fixture imported above
    return close_with_records(demo)

"""The web fixtures (the demo partnership, signed-in clients), shared from tests/web, and a closed case full of
records."""

from __future__ import annotations

import pytest

from tests.built_once import built_once
from tests.retention.builders import ADMIN, COORDINATOR, ClosedCase, close_with_records
from tests.web.conftest import Demo, app, cheap_argon2, client_for, demo, seeded_sqlite, tokens  # noqa: F401

__all__ = ["ADMIN", "COORDINATOR", "ClosedCase"]


@pytest.fixture
def closed(request: pytest.FixtureRequest, demo: Demo) -> ClosedCase:  # noqa: F811 - the fixture imported above
    """Built once per test process, then put back for each test (tests/built_once.py): closing it renders a document."""
    key = "retention: the demo's no-review case, closed with records"
    return built_once(request, demo.ctx, key, lambda ctx: close_with_records(Demo(ctx, demo.result)))

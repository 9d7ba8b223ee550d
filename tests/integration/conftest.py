"""The demo partnership seeded once per test process and copied for each test that asks for it, shared from tests/web
(seeding walks ~40 transitions and renders the published case's documents: ~10 s of CPU a test otherwise)."""

from tests.web.conftest import demo, seeded_sqlite  # noqa: F401

"""The web fixtures (the demo partnership, signed-in clients, API tokens), shared from tests/web rather than copied."""

from tests.web.conftest import app, cheap_argon2, client_for, demo, seeded_sqlite, tokens  # noqa: F401

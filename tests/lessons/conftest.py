"""The web fixtures (the demo partnership, signed-in clients, a uvicorn server and a Chromium page) for the Delivery
Plan page tests, shared from tests/web rather than copied. Until the web app (issue 4) is merged they do not
exist, and the page tests skip themselves saying so."""

try:
    from tests.web.conftest import app, cheap_argon2, client_for, demo, seeded_sqlite  # noqa: F401
    from tests.web.test_browser import module_chromium, page, server  # noqa: F401
except ImportError:
    pass

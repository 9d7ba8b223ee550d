"""Abuse limits (issue 16): the public form per client and overall with a clear 429 page that stores nothing; the
client's address from X-Forwarded-For only when DHR_TRUSTED_PROXIES names the proxy; sign-in per account too."""

from __future__ import annotations

from sqlalchemy import func, select

from dhr_workflow.demo.seed import email_for
from dhr_workflow.documents.tables import AccessRequest
from tests.integration.test_clean_errors import snapshot
from tests.web.conftest import csrf_of

FORM = "/accessible-formats/request"


def _request_fields(token: str, n: int) -> dict[str, str]:
    return {
        "csrf_token": token,
        "name": f"Member of the public {n}",
        "document": "The overview report",
        "format": "large_print",
        "email": f"person{n}@example.org",
    }


def _requests(demo) -> int:
    with demo.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(AccessRequest)) or 0


def _send(client, n: int, **headers: str):
    token = csrf_of(client.get(FORM).text)
    return client.post(FORM, data=_request_fields(token, n), headers=headers)


def test_a_burst_from_one_client_is_cut_off_with_a_clear_429_that_stores_nothing(demo, client_for, app) -> None:
    app.state.access_client_limiter.limit = 3
    client = client_for(None)
    codes = [_send(client, n).status_code for n in range(3)]
    assert codes == [303, 303, 303], codes
    before = snapshot(demo.ctx)
    refused = _send(client, 4)
    assert refused.status_code == 429
    assert "Try again in about" in refused.text and "govuk-error-summary" in refused.text
    assert int(refused.headers["retry-after"]) > 0
    assert snapshot(demo.ctx) == before and _requests(demo) == 3


def test_forwarded_addresses_are_ignored_unless_the_proxy_is_trusted(demo, client_for, app) -> None:
    app.state.access_client_limiter.limit = 2
    client = client_for(None)
    codes = [_send(client, n, **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(3)]
    assert codes == [303, 303, 429]  # the header is the client's own say-so: one client, one limit


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(demo, client_for, app) -> None:
    demo.ctx.settings.trusted_proxies = "testclient, 10.0.0.0/8"
    app.state.access_client_limiter.limit = 2
    client = client_for(None)
    first = [_send(client, n, **{"X-Forwarded-For": "198.51.100.7, 10.1.2.3"}).status_code for n in range(3)]
    assert first == [303, 303, 429]  # the trusted hop 10.1.2.3 is skipped: the client is 198.51.100.7
    other = _send(client, 9, **{"X-Forwarded-For": "198.51.100.8"})
    assert other.status_code == 303


def test_everyone_together_is_limited_too(demo, client_for, app) -> None:
    demo.ctx.settings.trusted_proxies = "testclient"
    app.state.access_overall_limiter.limit = 4
    client = client_for(None)
    codes = [_send(client, n, **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(6)]
    assert codes == [303, 303, 303, 303, 429, 429]
    assert "too many requests just now" in _send(client, 7, **{"X-Forwarded-For": "203.0.113.99"}).text
    assert _requests(demo) == 4


def _attempt(client, email: str, **headers: str):
    page = client.get("/login")
    data = {"email": email, "password": "wrong-wrong-wrong", "csrf_token": csrf_of(page.text), "next": "/"}
    return client.post("/login", data=data, headers=headers)


def test_sign_in_is_limited_per_account_whatever_address_it_comes_from(demo, client_for, app) -> None:
    demo.ctx.settings.trusted_proxies = "testclient"
    app.state.account_limiter.limit = 3
    client = client_for(None)
    target = email_for("viewer")
    codes = [_attempt(client, target, **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(4)]
    assert codes == [422, 422, 422, 429]
    assert "Too many sign-in attempts" in _attempt(client, target, **{"X-Forwarded-For": "203.0.113.50"}).text
    other = _attempt(client, email_for("reviewer"), **{"X-Forwarded-For": "203.0.113.51"})
    assert other.status_code == 422  # another account is unaffected

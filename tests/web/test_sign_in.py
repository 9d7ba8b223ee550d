"""Signing in and out: argon2 passwords, the lockout, the rate limit, idle timeout, and cookie flags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from dhr_workflow.core.tables import utcnow
from dhr_workflow.demo.seed import email_for
from dhr_workflow.people.sign_in import IDLE_TIMEOUT, MAX_FAILURES
from dhr_workflow.people.tables import WebSession
from tests.web.conftest import PASSWORD, csrf_of, sign_in


def _attempt(client, email: str, password: str):
    page = client.get("/login")
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_of(page.text), "next": "/cases"}
    )


def test_a_wrong_password_shows_the_error_summary_without_saying_whether_the_account_exists(demo, client_for):
    client = client_for(None)
    wrong = _attempt(client, email_for("coordinator"), "not-the-password")
    unknown = _attempt(client, "nobody@demo.example", "not-the-password")
    assert wrong.status_code == unknown.status_code == 422
    for response in (wrong, unknown):
        assert "govuk-error-summary" in response.text
        assert "Enter a correct email address and password" in response.text
    empty = _attempt(client, "", "")
    assert 'href="#email"' in empty.text and 'href="#password"' in empty.text


def test_signing_in_goes_back_to_where_you_were_and_sets_a_safe_cookie(demo, client_for):
    client = client_for(None)
    response = _attempt(client, email_for("coordinator"), PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/cases"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # development only; see the next test
    client = client_for(None)
    page = client.get("/login")
    evil = client.post(
        "/login",
        data={"email": "a@b.cd", "password": "x", "csrf_token": csrf_of(page.text), "next": "//evil.example/"},
    )
    assert "//evil.example" not in evil.headers.get("location", "")


def test_cookies_are_secure_outside_development(demo):
    from fastapi.testclient import TestClient

    from dhr_workflow.web.app import create_app

    demo.ctx.settings.environment = "production"
    client = TestClient(create_app(demo.ctx, hooks=()), base_url="https://testserver", follow_redirects=False)
    response = _attempt(client, email_for("coordinator"), PASSWORD)
    assert "secure" in response.headers["set-cookie"].lower()
    assert "strict-transport-security" in response.headers


def test_too_many_wrong_passwords_lock_the_account_even_with_the_right_one(demo, client_for):
    client = client_for(None)
    for _ in range(MAX_FAILURES):
        _attempt(client, email_for("panel_member"), "wrong-wrong-wrong")
    locked = _attempt(client, email_for("panel_member"), PASSWORD)
    assert locked.status_code == 422 and "locked" in locked.text
    other = client_for(None)  # other accounts are unaffected
    assert _attempt(other, email_for("viewer"), PASSWORD).status_code == 303


def test_one_address_is_rate_limited(demo, client_for, app):
    app.state.sign_in_limiter.limit = 3
    client = client_for(None)
    codes = [_attempt(client, f"person{i}@demo.example", "whatever-whatever").status_code for i in range(4)]
    assert codes == [422, 422, 422, 429]


def test_signing_out_ends_the_session_for_good(demo, client_for):
    client = client_for("coordinator")
    cookie = client.cookies.get("dhr_session")
    page = client.get("/")
    assert client.post("/logout", data={"csrf_token": csrf_of(page.text)}).status_code == 303
    assert "You have signed out" in client.get("/login?signed_out=1").text
    client.cookies.set("dhr_session", cookie)  # replaying the old cookie does not work
    assert client.get("/").status_code == 303


def test_an_idle_session_expires(demo, client_for):
    client = client_for("coordinator")
    assert client.get("/").status_code == 200
    with demo.ctx.db.write() as session:
        session.execute(update(WebSession).values(last_seen_at=utcnow() - IDLE_TIMEOUT - timedelta(minutes=1)))
    response = client.get("/cases")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/cases"


def test_a_person_without_a_password_cannot_sign_in(demo, client_for):
    from dhr_workflow.people.users import add_user

    add_user(demo.ctx, "nopassword@demo.example", "No Password", "coordinator")
    assert _attempt(client_for(None), "nopassword@demo.example", "").status_code == 422
    assert _attempt(client_for(None), "nopassword@demo.example", "anything-at-all").status_code == 422


def test_sign_in_helper_is_the_real_form(demo, client_for):
    client = client_for(None)
    sign_in(client, email_for("viewer"))
    assert "Val Viewer" in client.get("/").text


@pytest.mark.single_db
@pytest.mark.parametrize(
    "value", ["//evil.example", "/\t/evil.example", "/\\evil.example", "https://evil.example", "javascript:x", ""]
)
def test_the_way_back_after_sign_in_never_leaves_the_site(value):
    from dhr_workflow.web.pages_auth import safe_next

    assert safe_next(value) == "/"


@pytest.mark.single_db
@given(st.text(max_size=80))
def test_any_way_back_is_a_plain_local_path(value):
    from dhr_workflow.web.pages_auth import safe_next

    found = safe_next(value)
    assert found.startswith("/") and not found.startswith("//") and "\\" not in found
    assert all(c.isprintable() and not c.isspace() for c in found)


def test_a_malformed_query_gets_an_error_page_not_a_stack_trace(demo, client_for):
    client = client_for("coordinator")
    response = client.get("/cases?page=not-a-number")
    assert response.status_code == 400 and "govuk-heading-l" in response.text
    api = client.get("/api/v1/cases?page=0", headers={"Authorization": "Bearer dhr_x"})
    assert api.status_code in (401, 422)

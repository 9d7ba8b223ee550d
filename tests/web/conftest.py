"""Fixtures for the web app: the demo partnership seeded through the real services, a TestClient per role signed in
through the real sign-in form, and API tokens made by `dhr token create`'s service."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from dhr_workflow.domain.access import ROLES
from dhr_workflow.services.context import AppContext
from dhr_workflow.services.demo import DemoResult, email_for, seed
from dhr_workflow.web.app import create_app

PASSWORD = "correct-horse-battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, with the cheapest parameters: production's take ~0.4 s a hash here, and the demo makes seven."""
    import argon2
    from argon2.profiles import CHEAPEST

    real = argon2.PasswordHasher
    monkeypatch.setattr(argon2, "PasswordHasher", lambda: real.from_parameters(CHEAPEST))


@dataclass
class Demo:
    ctx: AppContext
    result: DemoResult

    def ref(self, label: str) -> str:
        return self.result.cases[label]


@pytest.fixture
def demo(ctx: AppContext) -> Demo:
    return Demo(ctx, seed(ctx, PASSWORD))


@pytest.fixture
def app(ctx: AppContext):
    return create_app(ctx, hooks=())


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form token"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(page.text), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]


@pytest.fixture
def client_for(app, demo: Demo) -> Iterator[Callable[[str | None], TestClient]]:
    """client_for("panel_member") -> a TestClient signed in as that demo user; client_for(None) -> anonymous."""
    clients: list[TestClient] = []

    def make(role: str | None) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        if role is not None:
            sign_in(client, email_for(role))
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def tokens(demo: Demo) -> dict[str, str]:
    from dhr_workflow.services.web_auth import create_api_token

    return {role: create_api_token(demo.ctx, email_for(role)) for role in ROLES}


def form_post(client: TestClient, page_path: str, action: str, data: dict[str, str]):
    """Post a form the way a browser would: read the page for its token first."""
    page = client.get(page_path)
    return client.post(action, data={**data, "csrf_token": csrf_of(page.text)})

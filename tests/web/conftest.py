"""Fixtures for the web app: the demo partnership seeded through the real services, a TestClient per role signed in
through the real sign-in form, and API tokens made by `dhr token create`'s service."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dhr_workflow.core.context import AppContext
from dhr_workflow.demo.seed import DemoResult, email_for, seed
from dhr_workflow.people.roles import ROLES
from dhr_workflow.web.app import create_app

PASSWORD = "correct-horse-battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, with the cheapest parameters: production's take ~0.4 s a hash here, and the demo makes seven."""
    import argon2
    from argon2._password_hasher import PasswordHasher as RealHasher
    from argon2.profiles import CHEAPEST

    monkeypatch.setattr(argon2, "PasswordHasher", lambda: RealHasher.from_parameters(CHEAPEST))


@contextmanager
def cheapest_hashing() -> Iterator[None]:
    """cheap_argon2 for a session fixture: the seeded demo's hashes are the same whichever test seeded it (a test
    outside tests/web may be first), so signing in costs the same in every test that copies it."""
    import argon2
    from argon2._password_hasher import PasswordHasher as RealHasher
    from argon2.profiles import CHEAPEST

    patched = argon2.PasswordHasher
    argon2.PasswordHasher = lambda: RealHasher.from_parameters(CHEAPEST)  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        argon2.PasswordHasher = patched  # type: ignore[misc]


@dataclass
class Demo:
    ctx: AppContext
    result: DemoResult

    def ref(self, label: str) -> str:
        return self.result.cases[label]


# The seeded file, once per test process. Several conftests import seeded_sqlite (tests/lessons, retention, ...), and
# pytest keeps a session fixture's value per conftest that defines it: without this, each seeded the demo again.
_SEEDED_SQLITE: list[tuple[Path, DemoResult]] = []


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoResult]:
    """The demo seeded once per test process into a SQLite file that each test copies (seeding walks ~40
    transitions and hashes seven passwords: seconds per test otherwise)."""
    if not _SEEDED_SQLITE:
        _SEEDED_SQLITE.append(seed_sqlite_file(tmp_path_factory.mktemp("demo") / "demo.sqlite3"))
    return _SEEDED_SQLITE[0]


def seed_sqlite_file(path: Path) -> tuple[Path, DemoResult]:
    from dhr_workflow.core.database import Database
    from dhr_workflow.core.migrate import upgrade
    from dhr_workflow.core.settings import Settings
    from dhr_workflow.workflow.registry import WorkflowRegistry
    from tests.conftest import REPO, TODAY

    url = f"sqlite:///{path}"
    upgrade(url)
    ctx = AppContext(
        settings=Settings(database_url=url, _env_file=None),  # type: ignore[call-arg]
        db=Database(url),
        workflows=WorkflowRegistry.from_directory(REPO / "workflows"),
        clock=lambda: TODAY,
    )
    with cheapest_hashing():
        result = seed(ctx, PASSWORD)
    ctx.db.dispose()  # closing the last connection checkpoints the WAL into the main file
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path, result


@pytest.fixture
def demo(request: pytest.FixtureRequest, ctx: AppContext, today) -> Demo:
    from tests.conftest import TEST_DB, TODAY

    if today != TODAY:
        return Demo(ctx, seed(ctx, PASSWORD))
    if TEST_DB == "postgres":
        return Demo(ctx, seeded_postgres(ctx, request.getfixturevalue("postgres_snapshots")))
    template, result = request.getfixturevalue("seeded_sqlite")
    target = Path(ctx.settings.database_url.split("///", 1)[1])
    ctx.db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return Demo(ctx, result)


def seeded_postgres(ctx: AppContext, snapshots: dict[str, object]) -> DemoResult:
    """The demo seeded by this process's first test that asks for it, then put back from a snapshot of its rows
    (tests/postgres_reset.py): seeding walked ~40 transitions, each committed, for each of ~200 tests."""
    from tests.postgres_reset import Snapshot, restore_snapshot, take_snapshot

    if "demo" not in snapshots:
        with cheapest_hashing():
            result = seed(ctx, PASSWORD)
        snapshots["demo"] = (take_snapshot(ctx.db), result)
        return result
    snapshot, result = snapshots["demo"]
    assert isinstance(snapshot, Snapshot) and isinstance(result, DemoResult)
    restore_snapshot(ctx.db, snapshot)
    return result


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
    from dhr_workflow.people.sign_in import create_api_token

    return {role: create_api_token(demo.ctx, email_for(role)) for role in ROLES}


def form_post(client: TestClient, page_path: str, action: str, data: dict[str, str]):
    """Post a form the way a browser would: read the page for its token first."""
    page = client.get(page_path)
    return client.post(action, data={**data, "csrf_token": csrf_of(page.text)})

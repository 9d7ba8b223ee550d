"""The PostgreSQL pass leaves out only tests that cannot reach the database (tests/conftest.py's rule): they run, once,
in the SQLite pass. These checks read this run's own collection, so they cover every test collected with them."""

from __future__ import annotations

import inspect
import sys
from types import SimpleNamespace

import pytest

from tests.conftest import DATABASE_FIXTURES, reaches_database

# Ways a test could reach the database under test without a database fixture.
OTHER_WAYS = ("getfixturevalue", "DHR_DATABASE_URL", "TEST_DB", "postgresql", "fresh_postgres_database")


def collected(request: pytest.FixtureRequest) -> list[pytest.Item]:
    return list(request.session.items)


def test_a_test_reaches_the_database_through_any_fixture_that_needs_one() -> None:
    assert reaches_database(SimpleNamespace(fixturenames=["tmp_path", "ctx", "database_url", "today"]))  # type: ignore[arg-type]
    assert reaches_database(SimpleNamespace(fixturenames=["postgres_url"]))  # type: ignore[arg-type]
    assert not reaches_database(SimpleNamespace(fixturenames=["tmp_path", "monkeypatch"]))  # type: ignore[arg-type]
    assert not reaches_database(SimpleNamespace())  # type: ignore[arg-type]


def test_every_test_using_a_fixture_built_on_the_database_stays_in_the_postgres_pass(
    request: pytest.FixtureRequest,
) -> None:
    built_on_it = {"ctx", "cli", "demo", "app", "client_for", "tokens", "mail_ctx", "closed"}
    users = [item for item in collected(request) if built_on_it.intersection(getattr(item, "fixturenames", ()))]
    assert all(reaches_database(item) for item in users), [i.nodeid for i in users if not reaches_database(i)]
    for item in users:
        assert DATABASE_FIXTURES.intersection(item.fixturenames)  # type: ignore[attr-defined]


def test_no_test_left_out_reaches_the_database_another_way(request: pytest.FixtureRequest) -> None:
    left_out = [
        item
        for item in collected(request)
        if isinstance(item, pytest.Function)
        and not reaches_database(item)
        and not item.get_closest_marker("single_db")  # out of the PostgreSQL pass by their own marker already
        and item.module is not sys.modules[__name__]  # this module names the ways in order to look for them
    ]
    suspicious = []
    for item in left_out:
        source = inspect.getsource(item.function)
        suspicious += [f"{item.nodeid}: {way}" for way in OTHER_WAYS if way in source]
    assert suspicious == []

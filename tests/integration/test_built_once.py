"""Data built once per test process (tests/built_once.py) comes back for each later test as the set-up left it: what
a test changed after the build is gone, and the set-up's result is the test's own copy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dhr_workflow.core.context import AppContext
from dhr_workflow.people import users
from tests.built_once import built_once


def two_people(ctx: AppContext) -> dict[str, list[str]]:
    users.add_user(ctx, "first@example.org", "First Person", "coordinator")
    users.add_user(ctx, "second@example.org", "Second Person", "viewer")
    return {"emails": ["first@example.org", "second@example.org"]}


def emails(ctx: AppContext) -> list[str]:
    return sorted(u.email for u in users.list_users(ctx))


def test_a_later_test_gets_the_built_data_back_without_what_an_earlier_test_changed(
    request: pytest.FixtureRequest, ctx: AppContext
) -> None:
    key = f"two people for {request.node.nodeid}"
    built = built_once(request, ctx, key, two_people)
    assert emails(ctx) == built["emails"]
    users.add_user(ctx, "third@example.org", "Third Person", "viewer")  # an earlier test's own change
    built["emails"].append("changed by the first test")

    again = built_once(request, ctx, key, lambda _ctx: pytest.fail("built a second time"))
    assert again == {"emails": ["first@example.org", "second@example.org"]}
    assert emails(ctx) == again["emails"]


def test_a_test_that_moves_today_builds_its_own(request: pytest.FixtureRequest, ctx: AppContext) -> None:
    key = f"two people for {request.node.nodeid}"
    built_once(request, ctx, key, two_people)
    later = AppContext(
        settings=ctx.settings, db=ctx.db, workflows=ctx.workflows, clock=lambda: ctx.today() + timedelta(1)
    )
    built = []
    assert built_once(request, later, key, lambda c: built.append(c) or "built") == "built"
    assert built == [later]

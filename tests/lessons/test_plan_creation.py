"""Who may start a Delivery Plan period: the team and the CSP chair (the page and `dhr plan create` share the rule);
a refusal leaves the current plan current."""

from __future__ import annotations

from datetime import date

import pytest

from dhr_workflow.core.errors import NotPermitted
from dhr_workflow.lessons import plans, queries
from tests.lessons.builders import ASC, BOARD, CHAIR, plan_with_agencies


@pytest.fixture
def plan(ctx):
    plan_with_agencies(ctx)
    return ctx


@pytest.mark.parametrize("who", [ASC, BOARD])
def test_only_the_team_or_the_chair_starts_a_plan(plan, who):
    with pytest.raises(NotPermitted):
        plans.create_plan(plan, "Theirs", date(2028, 4, 1), date(2031, 3, 31), [], by=who)
    assert queries.plan_summary(plan)["plan"]["title"] == "Delivery Plan"


def test_the_chair_starts_the_next_plan_and_the_old_one_stops_being_current(plan):
    assert plans.has_current_plan(plan)
    plans.create_plan(
        plan, "Delivery Plan 2028 to 2031", date(2028, 4, 1), date(2031, 3, 31), ["Safer homes"], by=CHAIR
    )
    summary = queries.plan_summary(plan)["plan"]
    assert summary["title"] == "Delivery Plan 2028 to 2031" and summary["objectives"] == ["Safer homes"]

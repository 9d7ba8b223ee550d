"""`dhr demo` seeds a Delivery Plan that shows every lessons feature."""

from __future__ import annotations

import pytest

from dhr_workflow.cases.facts import facts
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.demo.seed import email_for
from dhr_workflow.lessons import commentary, meetings, queries


@pytest.mark.single_db
def test_the_demo_plan_shows_every_feature(ctx, demo):
    demo_result = demo.result  # seeded by demo.seed, once per test process
    summary = queries.plan_summary(ctx)
    statuses = {a["status"] for a in summary["actions"]}
    assert {"closed", "blocked", "on_track", "at_risk", "off_track", "not_started"} <= statuses
    assert summary["totals"]["overdue"] >= 1
    assert any(t["recurring"] for t in summary["recurring_topics"])
    assert any(r["national_status"] for r in summary["recommendations"])
    published = demo_result.cases["published"]
    with ctx.db.read() as session:
        assert facts(session, load_case(session, published))["open_actions"] >= 1  # its close is guarded
    round_ = commentary.status(ctx)
    assert round_["state"] == "collecting" and round_["answered"] >= 1 and round_["waiting"] >= 1
    assert meetings.list_meetings(ctx)[0]["round_id"] is not None
    assert queries.list_actions(ctx, viewer=email_for("agency_contact"))

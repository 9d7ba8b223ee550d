"""A review cannot close while its actions are open, unless they are handed over to the Delivery Plan."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.queries import show_case
from dhr_workflow.core.errors import GuardFailed
from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.lessons import action_evidence, actions, queries
from dhr_workflow.lessons.actions import Progress
from dhr_workflow.lessons.tables import ActionHandover
from tests.built_once import built_once
from tests.lessons.builders import CHAIR, COORDINATOR, action, plan_with_agencies, published_case, recommendation

CLOSE_ON = date(2026, 11, 18)


def published_review(ctx) -> tuple[str, int]:
    plan_with_agencies(ctx)
    ref = published_case(ctx, date(2025, 6, 2))
    return ref, recommendation(ctx, ref)


@pytest.fixture
def review(request, ctx):
    """Walking a review to publication renders its documents: built once per test process (tests/built_once.py)."""
    ref, rec = built_once(request, ctx, "lessons: a published review with a recommendation", published_review)
    return ctx, ref, rec


def test_a_review_with_open_actions_cannot_close(review):
    ctx, ref, rec = review
    action(ctx, recommendation_id=rec)
    with pytest.raises(GuardFailed, match="1 action"):
        cases.fire(ctx, ref, "close", on=CLOSE_ON)
    assert show_case(ctx, ref)["state"] == "action_plan_monitoring"


def test_closing_with_a_reason_hands_open_actions_over_as_a_record(review):
    ctx, ref, rec = review
    open_one = action(ctx, recommendation_id=rec)
    done = action(ctx, recommendation_id=rec)
    actions.update_action(ctx, done, Progress("completed"), by=COORDINATOR)
    action_evidence.add_evidence(ctx, done, "proof.pdf", b"%PDF-1.7 proof", by=COORDINATOR)
    actions.close_action(ctx, done, by=CHAIR)

    cases.fire(ctx, ref, "close", on=CLOSE_ON, values={"handover_reason": "Delivery Group monitors the rest"})

    assert show_case(ctx, ref)["state"] == "closed"
    with ctx.db.read() as s:
        handovers = list(s.scalars(select(ActionHandover)))
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "actions_handed_over")).one()
    assert [(h.action_id, h.reason, h.handed_over_on) for h in handovers] == [
        (open_one, "Delivery Group monitors the rest", CLOSE_ON)
    ]
    assert audit.payload["action_ids"] == [open_one]
    detail = queries.show_action(ctx, open_one)
    assert detail["handed_over_on"] == CLOSE_ON and detail["status"] == "not_started"  # still tracked in the plan
    assert detail["handovers"][0]["reason"] == "Delivery Group monitors the rest"


def test_a_review_whose_actions_are_all_closed_closes_without_a_reason(review):
    ctx, ref, rec = review
    cases.fire(ctx, ref, "close", on=CLOSE_ON)
    assert show_case(ctx, ref)["state"] == "closed"
    with ctx.db.read() as s:
        assert s.scalars(select(ActionHandover)).first() is None


def test_a_refused_close_records_no_hand_over(review):
    ctx, ref, rec = review
    action(ctx, recommendation_id=rec)
    with pytest.raises(GuardFailed):
        cases.fire(ctx, ref, "close", on=CLOSE_ON)
    with ctx.db.read() as s:
        assert s.scalars(select(ActionHandover)).first() is None


def test_the_cli_names_the_way_out(review, cli):
    ctx, ref, rec = review
    action(ctx, recommendation_id=rec)
    refused = cli("case", "fire", ref, "close", "--on", "2026-11-18")
    assert refused.exit_code == 5 and "handover_reason" in refused.output
    ok = cli("case", "fire", ref, "close", "--on", "2026-11-18", "--set", "handover_reason=Plan holds it")
    assert ok.exit_code == 0, ok.output

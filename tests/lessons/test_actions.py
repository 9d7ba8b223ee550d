"""The action lifecycle, and who may see and change which actions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.lessons import action_evidence, actions, queries, reports
from dhr_workflow.lessons.actions import Progress
from dhr_workflow.lessons.tables import ActionUpdate, PlanAction
from tests.lessons.builders import ASC, BOARD, CHAIR, COORDINATOR, POLICE, action, plan_with_agencies


@pytest.fixture
def plan(ctx):
    plan_with_agencies(ctx)
    return ctx


def test_an_action_goes_from_not_started_to_closed_with_evidence_and_its_approver(plan):
    ctx = plan
    aid = action(ctx, lead=ASC)
    assert queries.show_action(ctx, aid)["rag"] == "amber"  # not started

    actions.update_action(ctx, aid, Progress("on_track", "Sessions booked"), by=ASC)
    actions.complete_milestone(ctx, aid, 1, by=ASC)
    assert queries.show_action(ctx, aid)["rag"] == "green"

    actions.update_action(ctx, aid, Progress("completed", "All sessions delivered"), by=ASC)
    with pytest.raises(InvalidInput, match="no evidence"):
        actions.close_action(ctx, aid, by=CHAIR)
    action_evidence.add_evidence(ctx, aid, "attendance.csv", b"session,attended\n1,40\n", by=ASC)
    with pytest.raises(InvalidInput, match="community safety team or the CSP chair"):
        actions.close_action(ctx, aid, by=ASC)  # an owner cannot sign off their own action

    actions.close_action(ctx, aid, by=CHAIR, note="Evidence seen")
    detail = queries.show_action(ctx, aid)
    assert detail["status"] == "closed" and detail["approved_by"] == CHAIR and detail["closed_on"] == ctx.today()
    assert detail["milestones"][0]["done_on"] == ctx.today() and detail["milestones"][1]["done_on"] is None
    assert [h["kind"] for h in detail["history"]] == ["status", "milestone", "status", "evidence", "closure"]
    assert detail["evidence"][0]["filename"] == "attendance.csv"
    with pytest.raises(InvalidInput, match="closed"):
        actions.update_action(ctx, aid, Progress(note="one more thing"), by=COORDINATOR)


def test_closing_needs_the_owner_to_have_marked_it_completed(plan):
    aid = action(plan)
    with pytest.raises(InvalidInput, match="marks it completed"):
        actions.close_action(plan, aid, by=CHAIR)


def test_an_action_past_its_target_is_overdue_and_red(plan):
    ctx = plan
    late = action(ctx, target=date(2026, 11, 1))
    action(ctx, target=date(2027, 1, 1))
    overdue = queries.list_actions(ctx, overdue=True)
    assert [a["id"] for a in overdue] == [late]
    assert overdue[0]["rag"] == "red"


def test_an_agency_contact_sees_and_updates_only_their_agencys_actions(plan):
    ctx = plan
    mine = action(ctx, agency="adult-social-care")
    theirs = action(ctx, agency="metropolitan-police")
    assert [a["id"] for a in queries.list_actions(ctx, viewer=ASC)] == [mine]
    assert [a["id"] for a in queries.list_actions(ctx, viewer=POLICE)] == [theirs]
    with pytest.raises(NotFound):
        queries.show_action(ctx, theirs, viewer=ASC)
    with pytest.raises(NotFound):
        actions.update_action(ctx, theirs, Progress("on_track"), by=ASC)
    with ctx.db.read() as s:
        assert s.get(PlanAction, theirs).status == "not_started"


def test_the_board_sees_aggregates_not_action_detail(plan):
    ctx = plan
    action(ctx)
    with pytest.raises(InvalidInput, match="aggregate"):
        queries.list_actions(ctx, viewer=BOARD)
    summary = queries.plan_summary(ctx, viewer=BOARD)
    assert summary["totals"]["total"] == 1 and "actions" not in summary
    assert reports.board_report(ctx, viewer=BOARD)["totals"]["total"] == 1


@pytest.mark.parametrize(
    ("progress", "message"),
    [
        (Progress("finished"), "not an action status"),
        (Progress("closed"), "needs approval"),
        (Progress(), "give a --status"),
        (Progress(note="bad\x00note"), "control characters"),
    ],
)
def test_bad_updates_are_refused_and_change_nothing(plan, progress, message):
    ctx = plan
    aid = action(ctx)
    with pytest.raises(InvalidInput, match=message):
        actions.update_action(ctx, aid, progress, by=COORDINATOR)
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ActionUpdate)) == 0


def test_evidence_must_be_a_document_of_sensible_size(plan):
    aid = action(plan)
    with pytest.raises(InvalidInput, match="evidence must be one of"):
        action_evidence.add_evidence(plan, aid, "../../etc/run.sh", b"#!/bin/sh", by=COORDINATOR)
    with pytest.raises(InvalidInput, match="10 MB"):
        action_evidence.add_evidence(plan, aid, "big.pdf", b"x" * (10 * 1024 * 1024 + 1), by=COORDINATOR)


def test_tags_fold_to_one_spelling_so_topics_recur(plan):
    ctx = plan
    a = action(ctx, tags=["Coercive control", "coercive-control", "Mental_Health"])
    assert queries.show_action(ctx, a)["tags"] == ["coercive-control", "mental-health"]


def test_cli_lists_and_updates_actions_with_the_callers_access(plan, cli):
    ctx = plan
    mine = action(ctx, agency="adult-social-care")
    action(ctx, agency="metropolitan-police", target=date(2026, 1, 1))
    result = cli("action", "list", "--as", ASC, "--json")
    assert result.exit_code == 0, result.output
    import json

    assert [a["id"] for a in json.loads(result.output)] == [mine]
    result = cli("action", "update", str(mine), "--status", "at_risk", "--note", "Trainer left", "--by", ASC)
    assert result.exit_code == 0, result.output
    assert queries.show_action(ctx, mine)["status"] == "at_risk"
    result = cli("action", "list", "--overdue", "--agency", "metropolitan-police", "--json")
    assert len(json.loads(result.output)) == 1
    result = cli("action", "update", str(mine), "--status", "done")
    assert result.exit_code == 2 and "not an action status" in result.output


def test_evidence_is_downloaded_only_by_those_who_may_see_the_action(plan, cli, tmp_path):
    aid = action(plan, agency="metropolitan-police")
    evidence = action_evidence.add_evidence(plan, aid, "minutes.txt", b"Agreed.\n", by=POLICE)
    out = tmp_path / "copy.txt"
    assert cli("action", "evidence-get", str(evidence.id), "-o", str(out), "--as", POLICE).exit_code == 0
    assert out.read_bytes() == b"Agreed.\n"
    refused = cli("action", "evidence-get", str(evidence.id), "-o", str(tmp_path / "x"), "--as", ASC)
    assert refused.exit_code == 4 and not (tmp_path / "x").exists()

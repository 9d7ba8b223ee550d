"""A review's recommendations as records: numbered, addressed, agreed, accepted or rejected, linked to actions,
through the service and the binding CLI."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.lessons import recommendations
from tests.factories import new_case
from tests.lessons.builders import COORDINATOR, action, plan_with_agencies


@pytest.fixture
def ref(ctx) -> str:
    plan_with_agencies(ctx)
    return new_case(ctx, date(2026, 3, 2))


def test_recommendations_are_numbered_in_turn_and_addressed(ctx, ref) -> None:
    one = recommendations.add(
        ctx, ref, text="Train staff", addressee_type="local_agency", addressee="Adult Social Care", by=COORDINATOR
    )
    two = recommendations.add(ctx, ref, text="Review the pathway", addressee_type="partnership")
    three = recommendations.add(
        ctx, ref, text="Flag disclosures", addressee_type="local_agency", addressee="Housing", single_agency="Housing"
    )
    four = recommendations.add(
        ctx, ref, text="Update guidance", addressee_type="government_department", addressee="Department of Health"
    )
    assert [r.number for r in (one, two, three, four)] == ["1", "2", "3", "4"]
    rows = recommendations.list_for_case(ctx, ref)
    assert [(r["addressee_type"], r["addressee"], r["status"]) for r in rows] == [
        ("local_agency", "Adult Social Care", "proposed"),
        ("partnership", "The community safety partnership", "proposed"),
        ("local_agency", "Housing", "proposed"),
        ("government_department", "Department of Health", "proposed"),
    ]
    assert rows[2]["single_agency"] == "Housing" and rows[2]["source"] == "Housing's report"
    assert rows[0]["source"] == "The overview report"


@pytest.mark.parametrize("kind", ["local_agency", "government_department", "national_body"])
def test_an_addressee_type_that_names_a_body_needs_its_name(ctx, ref, kind: str) -> None:
    with pytest.raises(InvalidInput, match="--addressee"):
        recommendations.add(ctx, ref, text="Do better", addressee_type=kind)
    assert recommendations.list_for_case(ctx, ref) == []


def test_an_unknown_addressee_type_is_refused_naming_the_types(ctx, ref) -> None:
    with pytest.raises(InvalidInput, match="local_agency, partnership, home_office"):
        recommendations.add(ctx, ref, text="Do better", addressee_type="the_moon")


def test_status_moves_proposed_agreed_then_accepted_or_rejected_and_not_otherwise(ctx, ref) -> None:
    for _ in range(2):
        recommendations.add(ctx, ref, text="Do better", addressee_type="home_office")
    with pytest.raises(InvalidInput, match="cannot become accepted"):
        recommendations.accept(ctx, ref, "1")
    recommendations.agree(ctx, ref, "1", on=date(2026, 9, 1))
    recommendations.agree(ctx, ref, "2")
    with pytest.raises(InvalidInput, match="cannot become agreed"):
        recommendations.agree(ctx, ref, "1")
    recommendations.accept(ctx, ref, "1")
    recommendations.reject(ctx, ref, "2", "Already covered by the 2024 guidance")
    rows = recommendations.list_for_case(ctx, ref)
    assert [r["status"] for r in rows] == ["accepted", "rejected"]
    assert rows[0]["agreed_on"] == "2026-09-01"
    assert rows[1]["rejection_reason"] == "Already covered by the 2024 guidance"
    with pytest.raises(NotFound, match="no recommendation 7"):
        recommendations.agree(ctx, ref, "7")


def test_only_an_agreed_recommendation_links_to_actions_and_it_may_have_several(ctx, ref) -> None:
    recommendations.add(ctx, ref, text="Train staff", addressee_type="local_agency", addressee="Adult Social Care")
    first, second = action(ctx), action(ctx, description="Audit safeguarding enquiries for coercive control")
    with pytest.raises(InvalidInput, match="only proposed"):
        recommendations.link(ctx, ref, "1", first)
    recommendations.agree(ctx, ref, "1")
    recommendations.link(ctx, ref, "1", first)
    recommendations.link(ctx, ref, "1", second)
    (row,) = recommendations.list_for_case(ctx, ref)
    assert [a["id"] for a in row["actions"]] == [first, second]
    with pytest.raises(NotFound):
        recommendations.link(ctx, ref, "1", 999)


def test_a_reviewer_may_not_record_recommendations(ctx, ref) -> None:
    from dhr_workflow.people import users

    users.add_user(ctx, "reviewer@example.org", "Reviewer", "reviewer")
    from dhr_workflow.cases import lifecycle as cases

    cases.assign(ctx, ref, "reviewer@example.org", "reviewer")
    with pytest.raises(NotPermitted, match="community safety team") as refused:
        recommendations.add(ctx, ref, text="x", addressee_type="partnership", by="reviewer@example.org")
    assert refused.value.allowed == ("admin", "coordinator", "csp_chair")  # named, so each entry point can say who


def test_the_binding_cli_adds_lists_agrees_and_links(ctx, cli, ref) -> None:
    added = cli(
        "recommendation", "add", ref, "--text", "Train staff", "--addressee-type", "local_agency",
        "--addressee", "Adult Social Care", "--single-agency", "Adult Social Care",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert cli("recommendation", "agree", ref, "1", "--on", "2026-09-01").exit_code == 0
    action_id = action(ctx)
    linked = cli("recommendation", "link", ref, "1", "--action", str(action_id))
    assert linked.exit_code == 0, linked.output
    listed = json.loads(cli("recommendation", "list", ref, "--json").stdout)
    assert listed == [
        {
            "number": "1",
            "text": "Train staff",
            "addressee_type": "local_agency",
            "addressee": "Adult Social Care",
            "single_agency": "Adult Social Care",
            "status": "agreed",
            "rejection_reason": None,
            "actions": [action_id],
        }
    ]
    bad = cli("recommendation", "add", ref, "--text", "x", "--addressee-type", "moon")
    assert bad.exit_code == 2 and "addressee type" in bad.stderr
    missing = cli("recommendation", "agree", ref, "9")
    assert missing.exit_code == 4 and "no recommendation 9" in missing.stderr


def test_the_plan_s_own_recommendations_are_still_added_without_a_ref(ctx, cli) -> None:
    plan_with_agencies(ctx)
    added = cli(
        "recommendation", "add", "--text", "Fund outreach", "--number", "P1", "--level", "multi_agency",
        "--addressee", "The CSP", "--theme", "funding",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    refused = cli("recommendation", "add", "--text", "Fund outreach")
    assert refused.exit_code == 2 and "give REF" in refused.stderr

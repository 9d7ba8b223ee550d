"""The Delivery Plan as an Excel workbook, and the Board report."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from dhr_workflow.lessons import actions, reports
from tests.lessons.builders import ASC, COORDINATOR, action, plan_with_agencies, published_case, recommendation


@pytest.fixture
def plan(ctx):
    plan_with_agencies(ctx)
    return ctx


def test_plan_export_is_a_workbook_with_a_sheet_per_theme(plan, cli, tmp_path):
    ctx = plan
    first = action(ctx, theme="community", description='=HYPERLINK("http://evil")', tags=["community"])
    action(ctx, theme="funding", description="Bid for funding", agency="metropolitan-police")
    out = tmp_path / "plan.xlsx"
    result = cli("plan", "export", "-o", str(out))
    assert result.exit_code == 0, result.output

    wb = load_workbook(out)
    assert wb.sheetnames == [
        "Summary",
        "Community",
        "Engagement",
        "Priority response",
        "Funding",
        "Communication",
        "National recommendations",
    ]
    community = wb["Community"]
    assert community["A1"].value == "Action" and community["D1"].value == "Action to take (SMART)"
    assert community["A2"].value == first
    assert community["D2"].value.startswith("'=")  # a formula in a note is text, never run
    assert community["K2"].value == "Amber"
    assert wb["Funding"]["F2"].value == "Metropolitan Police"
    assert wb["Summary"]["A1"].value == "Delivery Plan"


def test_an_agency_contacts_export_holds_only_their_actions(plan, cli, tmp_path):
    action(plan, agency="adult-social-care")
    action(plan, agency="metropolitan-police", theme="priority_response")
    out = tmp_path / "mine.xlsx"
    assert cli("plan", "export", "-o", str(out), "--as", ASC).exit_code == 0
    rows = list(load_workbook(out)["Priority response"].iter_rows(min_row=2, values_only=True))
    assert [r[5] for r in rows] == ["Adult Social Care"]


def test_export_refuses_other_file_types(plan, cli, tmp_path):
    result = cli("plan", "export", "-o", str(tmp_path / "plan.csv"))
    assert result.exit_code == 2 and "xlsx" in result.output


def test_board_report_lists_national_recommendations_and_recurring_topics(plan):
    ctx = plan
    first = published_case(ctx, date(2025, 1, 6), "Olive")
    second = published_case(ctx, date(2025, 3, 3), "Poppy")
    national = recommendation(ctx, first, level="national", number="4")
    actions.send_to_national_body(ctx, national, on=date(2026, 10, 1), by=COORDINATOR)
    actions.record_national_response(ctx, national, "accepted", "In the next guidance", by=COORDINATOR)
    for ref in (first, second):
        action(ctx, recommendation_id=recommendation(ctx, ref), tags=["coercive control"])

    report = reports.board_report(ctx)
    assert report["national_recommendations"][0]["national_status"] == "accepted"
    assert report["recurring_topics"][0]["tag"] == "coercive-control"
    assert report["recurring_topics"][0]["review_refs"] == sorted([first, second])
    assert {r["label"]: r["total"] for r in report["by_theme"]}["Priority response"] == 2

    briefing = reports.learning_briefing(ctx, first)
    assert briefing["ref"] == first and len(briefing["recommendations"]) == 2
    assert "Olive" not in str(briefing)  # no pseudonyms or names in a practitioner briefing

"""A case moves only through the engine, in one transaction with its audit event, clocks and reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases import tasks
from dhr_workflow.cases.queries import case_history, show_case
from dhr_workflow.cases.tables import Case, Clock
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import GuardFailed, InvalidInput, TriggerNotAvailable
from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.documents import publication
from notifications.ledger.tables import Reminder
from tests.factories import (
    COORDINATOR,
    DECISION,
    add_people,
    close_accuracy_round,
    new_case,
    settle_agency_reports,
    walk,
)
from tests.integration.paths import dated_steps, path_to, values_for

START = date(2025, 3, 3)
CHAIR = "chair@example.org"  # tests.factories.add_people: the CSP chair, who records the decision


def _dhr(ctx: AppContext):
    return ctx.workflows.latest("dhr")


def _counts(ctx: AppContext) -> tuple[int, int, int]:
    with ctx.db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            s.scalar(select(func.count()).select_from(Clock)) or 0,
            s.scalar(select(func.count()).select_from(Reminder)) or 0,
        )


def _every_transition() -> list[tuple[str, str, str]]:
    from dhr_workflow.workflow.registry import WorkflowRegistry
    from tests.conftest import REPO

    d = WorkflowRegistry.from_directory(REPO / "workflows").latest("dhr")
    return [(t.trigger, source, t.dest) for t in d.transitions for source in t.source]


def test_notifying_a_case_starts_the_decision_clock_one_month_later(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 10, 12))
    detail = show_case(ctx, ref)
    assert ref == "DHR-2026-001"
    assert detail["state"] == "notified"
    [decision] = detail["clocks"]
    assert (decision["name"], decision["start"], decision["due"]) == ("decision", "2026-10-12", "2026-11-12")
    assert decision["status"] == "overdue"  # today is 2026-11-20 in the tests
    assert decision["source"].startswith("2016 guidance")


def test_references_are_numbered_per_year(ctx: AppContext) -> None:
    assert [new_case(ctx, d) for d in (date(2025, 5, 1), date(2026, 1, 2), date(2026, 2, 3))] == [
        "DHR-2025-001",
        "DHR-2026-001",
        "DHR-2026-002",
    ]


def test_a_back_dated_decision_stops_the_decision_clock_on_the_day_it_was_taken(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 3, 10))
    cases.fire(ctx, ref, "decide_review", on=date(2026, 4, 7), values=DECISION)
    clocks = {c["name"]: c for c in show_case(ctx, ref)["clocks"]}
    assert clocks["decision"]["stopped_on"] == "2026-04-07" and clocks["decision"]["status"] == "met"
    assert clocks["completion"]["start"] == "2026-04-07" and clocks["completion"]["due"] == "2026-10-07"
    history = case_history(ctx, ref)
    assert history[-1]["occurred_on"] == "2026-04-07" and history[-1]["details"]["recorded_on"] == "2026-11-20"


@pytest.mark.parametrize(("trigger", "source", "dest"), _every_transition())
def test_every_transition_of_the_dhr_workflow(ctx: AppContext, trigger: str, source: str, dest: str) -> None:
    d = _dhr(ctx)
    ref = new_case(ctx, START)
    walk(ctx, ref, dated_steps(START, path_to(d, source), d))
    t = next(t for t in d.transitions if t.trigger == trigger and source in t.source)
    if trigger == "publish":  # guarded by a current, clean publication leak check
        publication.check(ctx, ref)
    if trigger == "start_drafting":  # guarded by every in-scope agency's report being in
        settle_agency_reports(ctx, ref, START + timedelta(days=60))
    if trigger == "panel_agree":  # guarded by a closed factual-accuracy round
        close_accuracy_round(ctx, ref, START + timedelta(days=60))
    outcome = cases.fire(ctx, ref, trigger, on=START + timedelta(days=60), values=values_for(t, d))
    assert (outcome.source, outcome.dest) == (source, dest)
    assert show_case(ctx, ref)["state"] == dest
    with ctx.db.read() as s:
        assert audit.verify(s).ok


def test_a_case_walks_from_notification_to_closed_with_a_qa_loop(ctx: AppContext) -> None:
    d = _dhr(ctx)
    ref = new_case(ctx, START)
    path = path_to(d, "with_home_office_qa")
    loop = [t for t in d.transitions if t.trigger == "qa_revise_resubmit"] + path_to(d, "with_home_office_qa")[-5:]
    rest = [t for t in d.transitions if t.trigger in ("qa_publish", "publish", "close")]
    walk(ctx, ref, dated_steps(START, path + loop + rest, d))
    detail = show_case(ctx, ref)
    assert detail["state"] == "closed" and detail["final"] and detail["available_triggers"] == []
    assert detail["fields"]["qa_round"] == 2
    assert all(c["stopped_on"] for c in detail["clocks"])
    rounds = [c["round"] for c in detail["clocks"] if c["name"] == "family_draft_comments"]
    assert rounds == [1, 2]


def test_a_decision_without_its_rationale_says_what_is_missing_and_changes_nothing(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 11, 2))
    before = _counts(ctx)
    with pytest.raises(GuardFailed, match="rationale is required"):
        cases.fire(ctx, ref, "decide_review")
    assert _counts(ctx) == before and show_case(ctx, ref)["state"] == "notified"


def test_an_invalid_trigger_lists_what_can_happen_now(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 11, 2))
    with pytest.raises(TriggerNotAvailable) as err:
        cases.fire(ctx, ref, "publish")
    assert err.value.available == ["start_scoping", "decide_review", "decide_no_review"]
    with pytest.raises(TriggerNotAvailable):
        cases.fire(ctx, ref, "no_such_trigger")


def test_publication_is_held_while_criminal_proceedings_are_live(ctx: AppContext) -> None:
    d = _dhr(ctx)
    ref = new_case(ctx, START)
    walk(ctx, ref, dated_steps(START, path_to(d, "approved_for_publication"), d))
    cases.set_fields(ctx, ref, {"criminal_proceedings_live": "yes"})
    detail = show_case(ctx, ref)
    assert "publish" not in detail["available_triggers"]
    assert "criminal proceedings" in detail["blocked_actions"][0]["missing"][0]
    with pytest.raises(GuardFailed, match="held while criminal proceedings is live"):
        cases.fire(ctx, ref, "publish", values={"publication_url": "https://example.org/x"})
    cases.set_fields(ctx, ref, {"criminal_proceedings_live": "no"})
    publication.check(ctx, ref)
    cases.fire(ctx, ref, "publish", values={"publication_url": "https://example.org/x"})


def test_drafting_waits_for_open_agency_report_tasks(ctx: AppContext) -> None:
    d = _dhr(ctx)
    add_people(ctx)
    ref = new_case(ctx, START)
    walk(ctx, ref, dated_steps(START, path_to(d, "evidence_gathering"), d))
    task = tasks.add_task(
        ctx, ref, "IMR from Adult Social Care", "agency@example.org", date(2026, 12, 1), kind="agency_report"
    )
    with pytest.raises(GuardFailed, match="1 agency report task"):
        cases.fire(ctx, ref, "start_drafting")
    tasks.complete_task(ctx, ref, task.id or 0)
    settle_agency_reports(ctx, ref, ctx.today())  # and every in-scope agency's report is in (issue 12)
    cases.fire(ctx, ref, "start_drafting")


def test_a_step_cannot_be_back_dated_before_the_previous_step_or_into_the_future(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 10, 1))
    cases.fire(ctx, ref, "start_scoping", on=date(2026, 10, 10))
    before = _counts(ctx)
    with pytest.raises(InvalidInput, match="cannot have happened earlier"):
        cases.fire(ctx, ref, "decide_review", on=date(2026, 10, 5), values=DECISION)
    with pytest.raises(InvalidInput, match="in the future"):
        cases.fire(ctx, ref, "decide_review", on=date(2026, 11, 21), values=DECISION)
    assert _counts(ctx) == before


def test_unknown_or_malformed_fields_are_refused_and_nothing_is_written(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 10, 1))
    before = _counts(ctx)
    with pytest.raises(InvalidInput, match="unknown field"):
        cases.fire(ctx, ref, "decide_review", values={**DECISION, "colour": "red"})
    with pytest.raises(InvalidInput, match="must be one of yes, no"):
        cases.set_fields(ctx, ref, {"inquest_live": "maybe"})
    with pytest.raises(InvalidInput, match="not a date"):
        cases.set_fields(ctx, ref, {"review_period_start": "01/02/2020"})
    with pytest.raises(InvalidInput, match="control characters"):
        cases.set_fields(ctx, ref, {"chair_name": "Dr\x00X"})
    assert _counts(ctx) == before


def test_an_error_after_the_state_change_rolls_back_the_whole_transaction(ctx: AppContext, monkeypatch) -> None:
    ref = new_case(ctx, date(2026, 10, 1))
    before = _counts(ctx)

    def boom(*args, **kwargs):
        raise RuntimeError("reminder writer failed")

    monkeypatch.setattr("dhr_workflow.cases.reminder_plan.sync_case_reminders", boom)
    with pytest.raises(RuntimeError):
        cases.fire(ctx, ref, "decide_review", values=DECISION)
    assert _counts(ctx) == before
    with ctx.db.read() as s:
        case = s.scalars(select(Case).where(Case.ref == ref)).one()
        assert (case.state, case.version, case.fields) == ("notified", 1, {})


def test_pausing_the_completion_clock_extends_it_by_the_days_paused(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 1, 5))
    cases.fire(ctx, ref, "decide_review", on=date(2026, 1, 12), values=DECISION)
    due = cases.pause_clock(
        ctx, ref, "completion", "criminal_proceedings", on=date(2026, 3, 1), note="Trial listed", agreed_by="CSP chair"
    )
    paused = {c["name"]: c for c in show_case(ctx, ref)["clocks"]}["completion"]
    assert paused["status"] == "paused" and paused["pauses"][0]["agreed_by"] == "CSP chair"
    assert due > date(2026, 7, 13)
    assert cases.resume_clock(ctx, ref, "completion", on=date(2026, 3, 11)) == date(2026, 7, 23)
    resumed = {c["name"]: c for c in show_case(ctx, ref)["clocks"]}["completion"]
    assert resumed["paused_days"] == 10 and resumed["status"] == "overdue"  # 23 July 2026 has passed


def test_pause_mistakes_are_refused_with_the_allowed_choices(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 1, 5))
    cases.fire(ctx, ref, "decide_review", on=date(2026, 1, 12), values=DECISION)
    with pytest.raises(InvalidInput, match="cannot be paused"):
        cases.pause_clock(ctx, ref, "home_office_informed", "other")
    with pytest.raises(InvalidInput, match="criminal_proceedings"):
        cases.pause_clock(ctx, ref, "completion", "holiday")
    with pytest.raises(InvalidInput, match="not paused"):
        cases.resume_clock(ctx, ref, "completion")
    with pytest.raises(InvalidInput, match="no clock named"):
        cases.pause_clock(ctx, ref, "nonsense", "other")
    with pytest.raises(InvalidInput, match="running only from"):
        cases.pause_clock(ctx, ref, "completion", "other", on=date(2026, 1, 10))
    cases.pause_clock(ctx, ref, "completion", "inquest", on=date(2026, 2, 1))
    with pytest.raises(InvalidInput, match="already paused"):
        cases.pause_clock(ctx, ref, "completion", "inquest")
    with pytest.raises(InvalidInput, match="cannot resume earlier"):
        cases.resume_clock(ctx, ref, "completion", on=date(2026, 1, 20))


def test_stopping_a_paused_clock_closes_its_pause(ctx: AppContext) -> None:
    d = _dhr(ctx)
    ref = new_case(ctx, START)
    walk(ctx, ref, dated_steps(START, path_to(d, "signed_off"), d))
    cases.pause_clock(ctx, ref, "completion", "inquest", on=START + timedelta(days=30))
    cases.fire(ctx, ref, "submit_to_home_office", on=START + timedelta(days=40))
    completion = {c["name"]: c for c in show_case(ctx, ref)["clocks"]}["completion"]
    assert completion["stopped_on"] and completion["pauses"][0]["resumed_on"] == completion["stopped_on"]
    assert completion["paused_days"] == 10


def test_a_no_review_decision_goes_to_the_home_office_which_may_challenge_it(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 9, 1))
    walk(
        ctx,
        ref,
        [
            ("decide_no_review", date(2026, 9, 20), DECISION),
            ("inform_home_office", date(2026, 9, 22)),
            ("home_office_challenges", date(2026, 10, 15), {"challenge_summary": "Coercive control"}),
            ("decide_review", date(2026, 10, 30), {"rationale": "Reconsidered"}),
        ],
    )
    detail = show_case(ctx, ref)
    assert detail["state"] == "review_agreed" and detail["fields"]["review_decision"] == "review"
    informed = [c for c in detail["clocks"] if c["name"] == "home_office_informed"]
    assert [c["round"] for c in informed] == [1, 2] and informed[1]["stopped_on"] is None
    assert not any(c["name"] == "chair_appointment" for c in detail["clocks"])


def test_available_triggers_come_from_the_guards(ctx: AppContext) -> None:
    d = _dhr(ctx)
    ref = new_case(ctx, START)
    walk(ctx, ref, dated_steps(START, path_to(d, "commissioning"), d))
    detail = show_case(ctx, ref)
    assert detail["available_triggers"] == []
    assert "independence statement" in detail["blocked_actions"][0]["missing"][0]
    cases.set_fields(ctx, ref, {"chair_independence_statement_received": "yes"})
    detail = show_case(ctx, ref)
    assert detail["available_triggers"] == ["appoint_chair"]
    assert detail["actions"][0]["requires"] == ["chair_name"]


def test_every_change_is_in_the_audit_trail_with_who_and_when(ctx: AppContext) -> None:
    add_people(ctx)
    ref = new_case(ctx, date(2026, 10, 1))
    cases.fire(ctx, ref, "decide_review", on=date(2026, 10, 20), by=CHAIR, values=DECISION)
    cases.assign(ctx, ref, "panel@example.org", "panel_member", by=COORDINATOR)
    history = case_history(ctx, ref)
    assert [e["action"] for e in history] == ["case_notified", "fired:decide_review", "member_added"]
    assert history[2]["actor"] == COORDINATOR
    assert history[1]["actor"] == CHAIR and history[1]["details"]["set"] == DECISION
    assert "Jane" not in str(history)  # real names stay in the party table


def test_the_version_counter_rises_with_every_change(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 10, 1))
    versions = [show_case(ctx, ref)["version"]]
    cases.fire(ctx, ref, "start_scoping")
    versions.append(show_case(ctx, ref)["version"])
    cases.set_fields(ctx, ref, {"police_force": "Metropolitan Police"})
    versions.append(show_case(ctx, ref)["version"])
    assert versions == [1, 2, 3]


def test_an_agreed_extension_moves_the_due_date_and_records_who_agreed_it(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 5, 1))
    cases.fire(ctx, ref, "decide_review", on=date(2026, 5, 20), values=DECISION)
    due = cases.extend_clock(
        ctx, ref, "completion", 61, reason="Inquest listed late", agreed_by="Home Office", on=date(2026, 11, 2)
    )
    completion = {c["name"]: c for c in show_case(ctx, ref)["clocks"]}["completion"]
    assert (completion["due"], due) == ("2027-01-20", date(2027, 1, 20))  # 20 Nov 2026 + 61 days
    assert completion["extensions"] == [
        {"days": 61, "reason": "Inquest listed late", "agreed_by": "Home Office", "agreed_on": "2026-11-02"}
    ]
    assert "extension agreed by Home Office" in completion["explanation"][-1]
    assert case_history(ctx, ref)[-1]["details"]["agreed_by"] == "Home Office"
    with pytest.raises(InvalidInput, match="between 1 and 730"):
        cases.extend_clock(ctx, ref, "completion", 0, reason="x", agreed_by="y")
    with pytest.raises(InvalidInput, match="not running"):
        cases.extend_clock(ctx, ref, "decision", 5, reason="x", agreed_by="y")

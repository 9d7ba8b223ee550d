"""Who may decide: the workflow file names the roles for each step, and the service refuses everyone else alike,
whether they come through the CLI, a page or the API. A Secretary of State direction cannot be undone."""

from __future__ import annotations

from collections import deque
from datetime import date

import pytest
from sqlalchemy import select

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.queries import show_case
from dhr_workflow.cases.tables import Case, Clock
from dhr_workflow.core.errors import NotPermitted, TriggerNotAvailable, WorkflowDefinitionError
from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.people.roles import ROLES
from dhr_workflow.workflow.definition import KNOWN_ROLES, parse_definition
from dhr_workflow.workflow.registry import WorkflowRegistry
from tests.conftest import REPO
from tests.factories import DECISION, add_people, new_case

DHR = WorkflowRegistry.from_directory(REPO / "workflows").latest("dhr")
NO_REVIEW_STATES = {"no_review_decided", "no_review_with_home_office", "reconsidering"}


def test_the_roles_a_workflow_may_name_are_the_account_roles() -> None:
    assert KNOWN_ROLES == ROLES


def test_a_workflow_file_naming_an_unknown_role_is_refused_with_its_path() -> None:
    text = (REPO / "workflows" / "dhr.yaml").read_text().replace("roles: [csp_chair, admin]", "roles: [csp_chiar]", 1)
    with pytest.raises(WorkflowDefinitionError) as err:
        parse_definition(text, "dhr.yaml")
    assert "(decide_review).roles: unknown role 'csp_chiar'" in str(err.value)


def test_the_dhr_file_gives_the_decision_and_sign_off_to_the_csp_chair_and_qa_outcomes_to_the_coordinator() -> None:
    assert DHR.roles_for("notified", "decide_review") == ["csp_chair", "admin"]
    assert DHR.roles_for("scoping", "decide_no_review") == ["csp_chair", "admin"]
    assert DHR.roles_for("awaiting_csp_sign_off", "csp_sign_off") == ["csp_chair", "admin"]
    for outcome in ("qa_publish", "qa_publish_after_amendments", "qa_revise_resubmit"):
        assert DHR.roles_for("with_home_office_qa", outcome) == ["coordinator", "admin"]
    assert DHR.roles_for("notified", "start_scoping") == []  # unrestricted


@pytest.mark.parametrize("who", ["coordinator@example.org", "panel@example.org", "reviewer@example.org"])
def test_only_the_csp_chair_may_record_the_decision_and_a_refusal_changes_nothing(ctx, who: str) -> None:
    add_people(ctx)
    from dhr_workflow.people import users

    users.add_user(ctx, "reviewer@example.org", "Reviewer", "reviewer")
    ref = new_case(ctx, date(2026, 10, 1))
    with ctx.db.read() as s:
        events_before = len(s.scalars(select(AuditEvent)).all())
    with pytest.raises(NotPermitted) as err:
        cases.fire(ctx, ref, "decide_review", by=who, values=DECISION)
    assert "csp_chair, admin" in str(err.value) and err.value.exit_code == 8
    with ctx.db.read() as s:
        assert s.scalars(select(Case)).one().state == "notified"
        assert len(s.scalars(select(AuditEvent)).all()) == events_before
    cases.fire(ctx, ref, "decide_review", by="chair@example.org", values=DECISION)
    assert show_case(ctx, ref)["state"] == "review_agreed"


def test_the_system_operator_acting_without_by_may_fire_any_step(ctx) -> None:
    ref = new_case(ctx, date(2026, 10, 1))
    cases.fire(ctx, ref, "decide_review", values=DECISION)
    assert show_case(ctx, ref)["state"] == "review_agreed"


def test_the_cli_refuses_with_exit_8_naming_the_roles_allowed(ctx, cli) -> None:
    add_people(ctx)
    ref = new_case(ctx, date(2026, 10, 1))
    args = ["case", "fire", ref, "decide_review", "--set", "rationale=Criteria met"]
    refused = cli(*args, "--by", "coordinator@example.org")
    assert refused.exit_code == 8
    assert "csp_chair, admin" in refused.stderr
    assert show_case(ctx, ref)["state"] == "notified"
    assert cli(*args, "--by", "chair@example.org").exit_code == 0
    assert show_case(ctx, ref)["state"] == "review_agreed"


def _to_no_review_with_home_office(ctx) -> str:
    ref = new_case(ctx, date(2026, 10, 1))
    cases.fire(ctx, ref, "decide_no_review", on=date(2026, 10, 10), values=DECISION)
    cases.fire(ctx, ref, "inform_home_office", on=date(2026, 10, 12))
    return ref


def test_a_direction_moves_straight_to_a_review_and_starts_the_completion_clock(ctx) -> None:
    ref = _to_no_review_with_home_office(ctx)
    cases.fire(
        ctx, ref, "home_office_directs_review", on=date(2026, 11, 2), values={"direction_summary": "Hold a review"}
    )
    detail = show_case(ctx, ref)
    assert detail["state"] == "review_agreed"
    assert detail["fields"]["review_decision"] == "review"
    assert detail["fields"]["directed_by_secretary_of_state"] == "yes"
    with ctx.db.read() as s:
        completion = s.scalars(select(Clock).where(Clock.name == "completion")).one()
    assert completion.started_on == date(2026, 11, 2) and completion.due_on == date(2027, 5, 4)  # 2 May is Sunday


def test_a_direction_needs_what_was_directed(ctx) -> None:
    ref = _to_no_review_with_home_office(ctx)
    with pytest.raises(Exception, match="direction_summary is required"):
        cases.fire(ctx, ref, "home_office_directs_review", on=date(2026, 11, 2))


def test_the_csp_cannot_undo_a_direction(ctx) -> None:
    add_people(ctx)
    ref = _to_no_review_with_home_office(ctx)
    cases.fire(ctx, ref, "home_office_directs_review", values={"direction_summary": "Hold a review"})
    for who in (None, "chair@example.org"):
        with pytest.raises(TriggerNotAvailable):
            cases.fire(ctx, ref, "decide_no_review", by=who, values=DECISION)
    assert show_case(ctx, ref)["state"] == "review_agreed"


def test_no_step_of_the_workflow_leads_from_an_agreed_review_back_to_a_no_review_state() -> None:
    seen, queue = {"review_agreed"}, deque(["review_agreed"])
    while queue:
        for t in DHR.transitions_from(queue.popleft()):
            if t.dest not in seen:
                seen.add(t.dest)
                queue.append(t.dest)
    assert not seen & NO_REVIEW_STATES, seen & NO_REVIEW_STATES


def test_asking_the_csp_to_reconsider_stays_a_separate_step(ctx) -> None:
    ref = _to_no_review_with_home_office(ctx)
    cases.fire(ctx, ref, "home_office_challenges", values={"challenge_summary": "Look again"})
    assert show_case(ctx, ref)["state"] == "reconsidering"

"""Lessons test data, built through the real services."""

from __future__ import annotations

from datetime import date, timedelta

from dhr_workflow.agencies import directory
from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.core.context import AppContext
from dhr_workflow.lessons import actions, plans
from dhr_workflow.lessons.actions import NewAction
from dhr_workflow.people import users
from tests.factories import new_case, walk

COORDINATOR = "coordinator@example.org"
CHAIR = "chair@example.org"
ASC = "asc.contact@example.org"  # speaks for Adult Social Care
POLICE = "police.contact@example.org"  # speaks for the police
BOARD = "board@example.org"  # a Board member: viewer role


def plan_with_agencies(ctx: AppContext) -> None:
    for email, role in (
        (COORDINATOR, "coordinator"),
        (CHAIR, "csp_chair"),
        (ASC, "agency_contact"),
        (POLICE, "agency_contact"),
        (BOARD, "viewer"),
    ):
        users.add_user(ctx, email, email.split("@")[0].replace(".", " ").title(), role)
    plans.create_plan(
        ctx, "Delivery Plan", date(2025, 4, 1), date(2028, 3, 31), ["Keep people safe"], chair=CHAIR, by=COORDINATOR
    )
    directory.add_agency(ctx, "Adult Social Care")
    directory.add_agency(ctx, "Metropolitan Police")
    directory.add_contact(ctx, "adult-social-care", ASC)
    directory.add_contact(ctx, "metropolitan-police", POLICE)


def action(
    ctx: AppContext,
    *,
    agency: str = "adult-social-care",
    theme: str = "priority_response",
    target: date = date(2027, 3, 31),
    lead: str | None = None,
    recommendation_id: int | None = None,
    tags: list[str] | None = None,
    description: str = "Train all safeguarding practitioners in coercive control by March",
) -> int:
    new = NewAction(
        description,
        agency,
        target,
        theme=theme,
        lead=lead,
        recommendation_id=recommendation_id,
        tags=tags or [],
        milestones=[("Training commissioned", None), ("Sessions delivered", None)],
    )
    return actions.add_action(ctx, new, by=COORDINATOR).id or 0


def published_case(ctx: AppContext, notified: date, pseudonym: str = "Olive") -> str:
    """A review walked from notification to publication (action plan monitoring)."""
    ref = new_case(ctx, notified, pseudonym=pseudonym, police_ref=f"MET/{pseudonym}")
    d = notified
    walk(
        ctx,
        ref,
        [
            ("decide_review", d + timedelta(days=10), {"rationale": "Criteria met"}),
            ("inform_home_office", d + timedelta(days=12)),
            (
                "appoint_chair",
                d + timedelta(days=20),
                {"chair_name": "Dr Chair", "chair_independence_statement_received": "yes"},
            ),
            ("convene_panel", d + timedelta(days=25)),
            ("agree_terms_of_reference", d + timedelta(days=30), {"review_period_start": "2020-01-01"}),
            ("request_agency_reports", d + timedelta(days=31)),
            ("start_drafting", d + timedelta(days=60)),
            ("share_draft_with_family", d + timedelta(days=70)),
            ("record_family_comments", d + timedelta(days=80)),
            ("panel_agree", d + timedelta(days=90)),
            ("csp_sign_off", d + timedelta(days=95)),
            ("submit_to_home_office", d + timedelta(days=100)),
            ("qa_publish", d + timedelta(days=140)),
            (
                "publish",
                d + timedelta(days=160),
                {"publication_url": "https://example.org/r", "criminal_proceedings_live": "no", "inquest_live": "no"},
            ),
        ],
    )
    return ref


def recommendation(ctx: AppContext, ref: str | None, level: str = "single_agency", number: str = "1") -> int:
    rec = actions.add_recommendation(
        ctx,
        number=number,
        text="Practitioners should recognise coercive control",
        level=level,
        addressee="Home Office" if level == "national" else "Adult Social Care",
        theme="priority_response",
        case_ref=ref,
        by=COORDINATOR,
    )
    return rec.id or 0


def fire(ctx: AppContext, ref: str, trigger: str, on: date, **values: str) -> None:
    cases.fire(ctx, ref, trigger, on=on, values=values)

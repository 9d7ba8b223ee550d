"""A demo partnership: one user per role and cases at different stages, walked through the real services (so the
demo also proves the engine end to end). Dates are relative to today, so clocks show every status."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases import tasks
from dhr_workflow.cases.intake import Notification
from dhr_workflow.core.context import AppContext
from dhr_workflow.demo import accuracy as demo_accuracy
from dhr_workflow.demo import agencies as demo_agencies
from dhr_workflow.documents import publication
from dhr_workflow.lessons import demo as lessons_demo
from dhr_workflow.people import users
from dhr_workflow.people.roles import ROLES
from dhr_workflow.people.tables import User

DEMO_DOMAIN = "demo.example"
PEOPLE = {
    "admin": "Alex Admin",
    "coordinator": "Casey Coordinator",
    "csp_chair": "Chris Chair",
    "reviewer": "Robin Reviewer",
    "panel_member": "Pat Panel",
    "agency_contact": "Ari Agency",
    "viewer": "Val Viewer",
}


@dataclass
class DemoResult:
    already_seeded: bool
    credentials: dict[str, str] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)


def email_for(role: str) -> str:
    return f"{role.replace('_', '.')}@{DEMO_DOMAIN}"


def seed(ctx: AppContext, password: str | None = None) -> DemoResult:
    with ctx.db.read() as session:
        if session.scalars(select(User).where(User.email == email_for("admin"))).first():
            return DemoResult(already_seeded=True)
    result = DemoResult(already_seeded=False)
    for role in ROLES:
        secret = password or secrets.token_urlsafe(12)
        users.add_user(ctx, email_for(role), PEOPLE[role], role, secret)
        result.credentials[email_for(role)] = secret
    t = ctx.today()
    demo_agencies.seed_directory(ctx, {role: email_for(role) for role in ROLES})
    result.cases = {
        "just notified": _notified(ctx, t, 8, "Amber"),
        "decision overdue": _notified(ctx, t, 45, "Beth"),
        "gathering evidence": _gathering_evidence(ctx, t),
        "paused for a trial": _paused(ctx, t),
        "no review, with the Home Office": _no_review(ctx, t),
        "published": _published(ctx, t),
    }
    lessons_demo.seed(
        ctx, result.cases["published"], result.cases["gathering evidence"], {role: email_for(role) for role in ROLES}
    )
    return result


def _notified(ctx: AppContext, today: date, days_ago: int, pseudonym: str) -> str:
    notified = today - timedelta(days=days_ago)
    return cases.notify_case(
        ctx,
        Notification(
            notified - timedelta(days=2),
            notified,
            f"MET/{days_ago:04d}/DEMO",
            f"Demo Victim {pseudonym}son",
            pseudonym,
            34,
        ),
        coordinator=email_for("coordinator"),
        by=email_for("coordinator"),
    )


CSP_CHAIR_DECIDES = frozenset({"decide_review", "decide_no_review", "csp_sign_off"})  # workflows/dhr.yaml `roles`


def _walk(ctx: AppContext, ref: str, steps: list[tuple[str, date, dict[str, str]]]) -> None:
    for trigger, on, values in steps:
        by = email_for("csp_chair" if trigger in CSP_CHAIR_DECIDES else "coordinator")
        cases.fire(ctx, ref, trigger, on=on, by=by, values=values)


def _to_evidence(ctx: AppContext, today: date, days_ago: int, pseudonym: str) -> tuple[str, date]:
    ref = _notified(ctx, today, days_ago, pseudonym)
    start = today - timedelta(days=days_ago)
    cases.assign(ctx, ref, email_for("csp_chair"), "csp_chair")
    cases.assign(ctx, ref, email_for("reviewer"), "reviewer")
    cases.assign(ctx, ref, email_for("panel_member"), "panel_member")
    _walk(
        ctx,
        ref,
        [
            ("start_scoping", start + timedelta(days=3), {}),
            (
                "decide_review",
                start + timedelta(days=20),
                {"rationale": "Criteria met: intimate partner, age 16+"},
            ),
            ("inform_home_office", start + timedelta(days=22), {}),
            (
                "appoint_chair",
                start + timedelta(days=35),
                {"chair_name": "Dr J Independent", "chair_independence_statement_received": "yes"},
            ),
            ("convene_panel", start + timedelta(days=45), {}),
            ("agree_terms_of_reference", start + timedelta(days=55), {"review_period_start": "2021-01-01"}),
            ("request_agency_reports", start + timedelta(days=56), {}),
        ],
    )
    return ref, start


def _gathering_evidence(ctx: AppContext, today: date) -> str:
    ref, start = _to_evidence(ctx, today, 70, "Cara")
    demo_agencies.gathering(ctx, ref, start + timedelta(days=40), email_for("coordinator"))
    tasks.add_task(
        ctx,
        ref,
        "Agency report (IMR) from Adult Social Care",
        email_for("agency_contact"),
        today + timedelta(days=12),
        kind="agency_report",
        by=email_for("coordinator"),
    )
    tasks.add_task(
        ctx,
        ref,
        "Comment on the draft chronology",
        email_for("panel_member"),
        today + timedelta(days=4),
        kind="chronology",
        by=email_for("coordinator"),
    )
    return ref


def _paused(ctx: AppContext, today: date) -> str:
    ref, start = _to_evidence(ctx, today, 120, "Dana")
    demo_agencies.reports_in(ctx, ref, start + timedelta(days=56), start + timedelta(days=80), email_for("coordinator"))
    cases.pause_clock(
        ctx,
        ref,
        "completion",
        "criminal_proceedings",
        on=start + timedelta(days=60),
        note="Trial listed at the Crown Court",
        agreed_by="CSP chair",
        by=email_for("coordinator"),
    )
    return ref


def _no_review(ctx: AppContext, today: date) -> str:
    ref = _notified(ctx, today, 30, "Eve")
    start = today - timedelta(days=30)
    _walk(
        ctx,
        ref,
        [
            (
                "decide_no_review",
                start + timedelta(days=14),
                {"rationale": "Not a domestic relationship: neighbours"},
            ),
            ("inform_home_office", start + timedelta(days=16), {}),
        ],
    )
    return ref


def _published(ctx: AppContext, today: date) -> str:
    ref, start = _to_evidence(ctx, today, 400, "Faye")
    demo_agencies.reports_in(ctx, ref, start + timedelta(days=56), start + timedelta(days=85), email_for("coordinator"))
    _walk(
        ctx,
        ref,
        [
            ("start_drafting", start + timedelta(days=90), {}),
            ("share_draft_with_family", start + timedelta(days=130), {}),
            ("record_family_comments", start + timedelta(days=150), {}),
        ],
    )
    demo_accuracy.round_closed(
        ctx,
        ref,
        start + timedelta(days=135),
        start + timedelta(days=148),
        email_for("coordinator"),
        email_for("reviewer"),
    )
    _walk(
        ctx,
        ref,
        [
            ("panel_agree", start + timedelta(days=160), {}),
            ("csp_sign_off", start + timedelta(days=170), {}),
            ("submit_to_home_office", start + timedelta(days=175), {}),
            (
                "qa_revise_resubmit",
                start + timedelta(days=240),
                {"qa_feedback_summary": "Strengthen the E&D analysis"},
            ),
            ("share_draft_with_family", start + timedelta(days=255), {}),
            ("record_family_comments", start + timedelta(days=265), {}),
            ("panel_agree", start + timedelta(days=270), {}),
            ("csp_sign_off", start + timedelta(days=272), {}),
            ("submit_to_home_office", start + timedelta(days=275), {}),
            ("qa_publish", start + timedelta(days=320), {}),
        ],
    )
    publication.prepare_demo_publication(ctx, ref, by=email_for("coordinator"))
    _walk(
        ctx,
        ref,
        [
            (
                "publish",
                start + timedelta(days=350),
                {
                    "publication_url": "https://example.org/dhr/faye",
                    "criminal_proceedings_live": "no",
                    "inquest_live": "no",
                },
            ),
        ],
    )
    return ref

"""Cases ready for documents, built through the real services."""

from __future__ import annotations

from datetime import date, timedelta

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.parties import PartyInput, add_party
from dhr_workflow.core.context import AppContext
from tests.factories import COORDINATOR, add_people, new_case, walk

VICTIM = "Jane Realname"


def case_with_people(ctx: AppContext, today: date) -> str:
    """A case with a victim, a perpetrator and a family member, and the fields publication documents need."""
    add_people(ctx)
    ref = new_case(ctx, today - timedelta(days=300), name=VICTIM, pseudonym="Olive", police_ref="MET/2026/0042")
    cases.assign(ctx, ref, COORDINATOR, "coordinator")
    add_party(ctx, ref, PartyInput("perpetrator", "Kevin Offender", "Brian", 45, relationship="Husband"))
    add_party(
        ctx,
        ref,
        PartyInput("family", "Mary Realname", "Grace", 70, date(1955, 6, 7), "4 Hidden Lane, Bexley DA5 1PQ", "Mother"),
    )
    cases.set_fields(
        ctx,
        ref,
        {
            "rationale": "Criteria met: intimate partner relationship",
            "review_decision": "review",
            "chair_name": "Dr A Chair",
            "review_period_start": "2021-01-01",
            "place_of_death_area": "North ward",
        },
    )
    return ref


def to_approved_for_publication(ctx: AppContext, ref: str, today: date) -> None:
    start = today - timedelta(days=300)
    walk(
        ctx,
        ref,
        [
            ("decide_review", start + timedelta(days=10), {"rationale": "Criteria met: intimate partner relationship"}),
            ("inform_home_office", start + timedelta(days=12)),
            ("appoint_chair", start + timedelta(days=20), {"chair_independence_statement_received": "yes"}),
            ("convene_panel", start + timedelta(days=30)),
            ("agree_terms_of_reference", start + timedelta(days=40)),
            ("request_agency_reports", start + timedelta(days=41)),
            ("start_drafting", start + timedelta(days=80)),
            ("share_draft_with_family", start + timedelta(days=100)),
            ("record_family_comments", start + timedelta(days=110)),
            ("panel_agree", start + timedelta(days=120)),
            ("csp_sign_off", start + timedelta(days=130)),
            ("submit_to_home_office", start + timedelta(days=140)),
            ("qa_publish", start + timedelta(days=200)),
        ],
    )

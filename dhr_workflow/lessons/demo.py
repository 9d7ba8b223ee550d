"""The demo Delivery Plan: every lessons feature, seeded through the real services. Called once from
demo.seed.seed with two of the demo's reviews; it adds no cases of its own (the case list stays the demo's)."""

from __future__ import annotations

from datetime import date, timedelta

from dhr_workflow.core.context import AppContext
from dhr_workflow.lessons import action_evidence, actions, commentary, meetings, plans
from dhr_workflow.lessons.actions import NewAction, Progress

OBJECTIVES = [
    "Keep people who live, work, study or visit the borough safe by reducing crime and disorder, antisocial "
    "behaviour, reoffending and combating substance misuse",
    "Act upon any barriers that prevent people from feeling safe, so they can go about their everyday lives, "
    "day or night, treated fairly and with respect and safe from harm",
]


def seed(ctx: AppContext, published_ref: str, evidence_ref: str, emails: dict[str, str]) -> dict[str, object]:
    """Recommendations from the published review, and early learning from a review still gathering evidence (agency
    reports often carry single-agency recommendations that agencies act on at once), so topics recur across reviews.
    The agencies are in the directory already (demo/agencies.py). `emails` maps demo roles to addresses. Returns
    what was seeded."""
    today = ctx.today()
    chair, coordinator, contact = emails["csp_chair"], emails["coordinator"], emails["agency_contact"]
    plans.create_plan(
        ctx,
        "Community Safety Partnership Delivery Plan",
        date(today.year - 1, 4, 1),
        date(today.year + 2, 3, 31),
        OBJECTIVES,
        chair=chair,
        by=coordinator,
    )
    ids = _review_actions(ctx, published_ref, today, coordinator, contact)
    early = _early_learning(ctx, evidence_ref, today, coordinator)
    ids += _partnership_actions(ctx, today, coordinator)
    _progress(ctx, ids, today, coordinator, contact, chair)
    _commentary_and_meetings(ctx, today, ids, coordinator, contact)
    return {"plan_actions": len(ids) + len(early)}


def _review_actions(ctx: AppContext, ref: str, today: date, by: str, contact: str) -> list[int]:
    r1 = actions.add_recommendation(
        ctx,
        number="1",
        text="Adult Social Care should make sure practitioners recognise and record coercive control in "
        "safeguarding enquiries",
        level="single_agency",
        addressee="Adult Social Care",
        theme="priority_response",
        case_ref=ref,
        by=by,
    )
    r2 = actions.add_recommendation(
        ctx,
        number="2",
        text="Partners should agree a joint pathway for people with co-occurring substance misuse and mental "
        "health needs who disclose domestic abuse",
        level="multi_agency",
        addressee="Community Safety Partnership",
        theme="engagement",
        case_ref=ref,
        by=by,
    )
    r3 = actions.add_recommendation(
        ctx,
        number="3",
        text="The Home Office should include economic abuse in the statutory guidance's checklist for "
        "reviewing agency records",
        level="national",
        addressee="Home Office",
        theme="communication",
        case_ref=ref,
        by=by,
    )
    actions.send_to_national_body(ctx, r3.id or 0, on=today - timedelta(days=40), by=by)
    actions.record_national_response(ctx, r3.id or 0, "acknowledged", "Noted for the guidance refresh", by=by)
    return [
        actions.add_action(
            ctx,
            NewAction(
                "Deliver coercive control training to all safeguarding practitioners (90% attendance by target)",
                "adult-social-care",
                today + timedelta(days=60),
                recommendation_id=r1.id,
                lead=contact,
                outcome="Audit shows coercive control recorded in safeguarding enquiries",
                milestones=[("Training commissioned", today - timedelta(days=30)), ("Sessions delivered", None)],
                tags=["coercive control", "training"],
            ),
            by=by,
        ).id
        or 0,
        actions.add_action(
            ctx,
            NewAction(
                "Agree and publish a joint dual-diagnosis and domestic abuse pathway",
                "substance-misuse-service",
                today - timedelta(days=15),
                recommendation_id=r2.id,
                lead="Head of Commissioning",
                milestones=[("Draft pathway to partners", today - timedelta(days=60))],
                tags=["substance misuse", "mental health"],
            ),
            by=by,
        ).id
        or 0,
        actions.add_action(
            ctx,
            NewAction(
                "Add a flag for domestic abuse disclosures to the housing allocations system",
                "housing-services",
                today + timedelta(days=120),
                recommendation_id=r2.id,
                lead="Housing Options Manager",
                tags=["housing"],
            ),
            by=by,
        ).id
        or 0,
    ]


def _early_learning(ctx: AppContext, ref: str, today: date, by: str) -> list[int]:
    rec = actions.add_recommendation(
        ctx,
        number="IMR-1",
        text="Mental health services should ask about domestic abuse and coercive control at every assessment "
        "(single-agency learning from the trust's agency report, adopted before the review concludes)",
        level="single_agency",
        addressee="Oxleas NHS Foundation Trust",
        theme="priority_response",
        case_ref=ref,
        by=by,
    )
    return [
        actions.add_action(
            ctx,
            NewAction(
                "Add routine enquiry about domestic abuse to the mental health assessment template",
                "oxleas-nhs-foundation-trust",
                today + timedelta(days=30),
                recommendation_id=rec.id,
                lead="Safeguarding Lead",
                tags=["coercive control", "mental health"],
            ),
            by=by,
        ).id
        or 0
    ]


def _partnership_actions(ctx: AppContext, today: date, by: str) -> list[int]:
    specs = [
        (
            "Run four community engagement events on domestic abuse in the town centres",
            "community",
            "community-safety-team",
            45,
        ),
        ("Bid to the Home Office for perpetrator programme funding", "funding", "community-safety-team", -5),
        (
            "Publish a quarterly community safety newsletter with a domestic abuse feature",
            "communication",
            "community-safety-team",
            200,
        ),
    ]
    return [
        actions.add_action(
            ctx,
            NewAction(
                text,
                agency,
                today + timedelta(days=days),
                theme=theme,
                lead="Community Safety Manager",
                tags=["community"],
            ),
            by=by,
        ).id
        or 0
        for text, theme, agency, days in specs
    ]


def _progress(ctx: AppContext, ids: list[int], today: date, by: str, contact: str, chair: str) -> None:
    training, pathway, housing, events, bid, newsletter = ids
    actions.complete_milestone(ctx, training, 1, on=today - timedelta(days=28), by=contact)
    actions.update_action(
        ctx, training, Progress("on_track", "Six of ten sessions delivered"), on=today - timedelta(days=40), by=contact
    )
    actions.update_action(
        ctx,
        pathway,
        Progress(
            "blocked",
            "Draft pathway circulated",
            "No agreement yet on who funds the joint clinic",
            "Board to broker funding between the ICB and the council",
        ),
        on=today - timedelta(days=50),
        by=by,
    )
    actions.update_action(
        ctx, housing, Progress("at_risk", "Supplier change request raised"), on=today - timedelta(days=45), by=by
    )
    actions.update_action(
        ctx,
        events,
        Progress("completed", "All four events held; 230 residents reached"),
        on=today - timedelta(days=35),
        by=by,
    )
    action_evidence.add_evidence(ctx, events, "events-summary.txt", b"Four events held; attendance 230.\n", by=by)
    actions.close_action(
        ctx, events, by=chair, note="Evidence seen at the Delivery Group", on=today - timedelta(days=30)
    )
    actions.update_action(
        ctx, bid, Progress("off_track", "Bid window moved; submission late"), on=today - timedelta(days=42), by=by
    )
    del newsletter  # not started: shows amber


def _commentary_and_meetings(ctx: AppContext, today: date, ids: list[int], by: str, contact: str) -> None:
    commentary.open_round(ctx, title="Autumn commentary round", on=today - timedelta(days=10), by=by)
    actions.update_action(
        ctx,
        ids[0],
        Progress(note="Eight of ten sessions delivered; on track"),
        on=today - timedelta(days=3),
        by=contact,
    )
    first = meetings.schedule(ctx, today + timedelta(days=14), count=4, by=by)[0]
    meetings.present_round_at(ctx, int(first["id"]), by=by)

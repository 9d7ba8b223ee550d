"""Builders for test data, going through the real services."""

from __future__ import annotations

from datetime import date, timedelta

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.intake import Notification
from dhr_workflow.core.context import AppContext
from dhr_workflow.people import users

COORDINATOR = "coordinator@example.org"


def notification(
    notified: date,
    *,
    name: str = "Jane Realname",
    pseudonym: str = "Olive",
    age: int = 40,
    police_ref: str = "MET/2026/0001",
) -> Notification:
    return Notification(notified - timedelta(days=1), notified, police_ref, name, pseudonym, age)


def add_people(ctx: AppContext) -> None:
    for email, role in (
        (COORDINATOR, "coordinator"),
        ("chair@example.org", "csp_chair"),
        ("panel@example.org", "panel_member"),
        ("agency@example.org", "agency_contact"),
    ):
        users.add_user(ctx, email, email.split("@")[0].title(), role)


def new_case(ctx: AppContext, notified: date, **kwargs: object) -> str:
    return cases.notify_case(ctx, notification(notified, **kwargs))  # type: ignore[arg-type]


DECISION = {"rationale": "Criteria met"}


def walk(ctx: AppContext, ref: str, steps: list[tuple[str, date] | tuple[str, date, dict[str, str]]]) -> None:
    for step in steps:
        trigger, on = step[0], step[1]
        values = step[2] if len(step) == 3 else {}  # type: ignore[misc]
        if trigger == "publish":  # publish is guarded by a current, clean publication leak check
            from dhr_workflow.documents import publication

            publication.check(ctx, ref)
        if trigger == "start_drafting":  # drafting waits for every in-scope agency's report (issue 12)
            settle_agency_reports(ctx, ref, on)
        if trigger == "panel_agree":  # the panel agrees the draft once the factual-accuracy round is closed
            close_accuracy_round(ctx, ref, on)
        cases.fire(ctx, ref, trigger, on=on, values=values)


WALK_AGENCY = "Walk Test Agency"


def settle_agency_reports(ctx: AppContext, ref: str, on: date) -> None:
    """Put an agency in scope if none is, and record a nil return for every agency report still awaited, on `on`."""
    from dhr_workflow.agencies import directory, evidence
    from dhr_workflow.core.errors import InvalidInput

    if not any(r["slug"] == "walk-test-agency" for r in directory.list_agencies(ctx)):
        directory.add_agency(ctx, WALK_AGENCY, "other")
    if not any(r["in_scope"] for r in directory.case_scope(ctx, ref)):
        directory.change_scope(ctx, ref, add=[WALK_AGENCY])
    settled = {r["agency"] for r in evidence.list_requests(ctx, ref) if r["kind"] == "imr" and not r["open"]}
    for scope in directory.case_scope(ctx, ref):
        if scope["in_scope"] and scope["agency"] not in settled:
            try:
                request_id = evidence.request_evidence(ctx, ref, scope["agency"], "imr", on=on)
            except InvalidInput:  # already asked: answer the open request
                request_id = next(
                    r["id"]
                    for r in evidence.list_requests(ctx, ref)
                    if r["kind"] == "imr" and r["open"] and r["agency"] == scope["agency"]
                )
            evidence.receive(ctx, ref, request_id, nil_return=True, on=on)


def close_accuracy_round(ctx: AppContext, ref: str, on: date) -> None:
    """If no factual-accuracy round has settled on the case, circulate the current draft overview report to the
    in-scope agencies on `on` and record that none had comments."""
    from dhr_workflow.accuracy import rounds, views
    from dhr_workflow.agencies import directory
    from dhr_workflow.documents.versions import generate

    day = min(on, ctx.today())  # the services refuse dates in the future
    latest = views.rounds_of(ctx, ref)
    if latest and not latest[0]["awaited"]:
        return
    if not latest:
        doc, _ = generate(ctx, ref, "overview_report")
        names = [s["agency"] for s in directory.case_scope(ctx, ref) if s["in_scope"]]
        rounds.circulate(
            ctx, ref, doc.version, agencies=names, recipients=[] if names else ["SIO <sio@example.org>"], on=day
        )
        latest = views.rounds_of(ctx, ref)
    for recipient in latest[0]["recipients"]:
        if recipient["awaited"]:
            rounds.answer(ctx, ref, recipient["id"], no_comments=True, on=day)

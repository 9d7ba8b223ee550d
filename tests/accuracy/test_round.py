"""The factual-accuracy round (issue 12): the draft goes out to the agencies in scope and named recipients with a
working-day deadline, each answers with comments or none, the chair responds to each comment, and the round closes
when every answer is in or after the deadline. Agencies answer through evidence requests of kind factual_accuracy,
whose reminders stop when they answer."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from dhr_workflow.accuracy import rounds, views
from dhr_workflow.accuracy.tables import AccuracyComment, AccuracyRecipient, AccuracyRound
from dhr_workflow.agencies import evidence
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import AuditEvent
from notifications.ledger.tables import Reminder
from tests.accuracy.builders import CHAIR, HEALTH, POLICE, draft_case
from tests.agencies.builders import HEALTH_CONTACT, POLICE_CONTACT
from tests.factories import COORDINATOR

SENT = date(2026, 11, 2)  # a Monday; ten working days on is 16 November


def _round(ctx):
    ref, version = draft_case(ctx)
    rounds.circulate(
        ctx, ref, version, agencies=[POLICE, HEALTH], recipients=["DI Jo Bloggs <jo@police.example>"], on=SENT,
        by=COORDINATOR,
    )  # fmt: skip
    people = {r["name"]: r for r in views.rounds_of(ctx, ref)[0]["recipients"]}
    return ref, people


def _counts(ctx):
    with ctx.db.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(t))
            for t in (AccuracyRound, AccuracyRecipient, AccuracyComment, AuditEvent)
        )


def test_circulating_sends_the_stored_version_with_the_workflows_working_day_deadline_and_chasers(ctx):
    ref, people = _round(ctx)
    [latest] = views.rounds_of(ctx, ref)
    assert latest["due_on"] == date(2026, 11, 16) and latest["circulated_on"] == SENT and latest["version"] == 1
    assert set(people) == {POLICE, HEALTH, "DI Jo Bloggs"} and latest["awaited"] == 3
    assert people["DI Jo Bloggs"]["agency"] is False and people["DI Jo Bloggs"]["evidence_request_id"] is None
    requests = {r["id"]: r for r in evidence.list_requests(ctx, ref) if r["kind"] == "factual_accuracy"}
    police = requests[people[POLICE]["evidence_request_id"]]
    assert police["due"] == date(2026, 11, 16) and police["status"] == "requested"
    with ctx.db.read() as session:
        subject = f"evidence:{police['id']}"
        rules = set(session.scalars(select(Reminder.rule).where(Reminder.subject == subject)))
    assert "overdue:1" in rules and "escalation" in rules  # the ledger chases it like any evidence request


def test_answers_settle_the_agencys_request_and_the_chair_responds_to_each_comment(ctx):
    ref, people = _round(ctx)
    comment = rounds.answer(
        ctx, ref, people[POLICE]["id"], comments="Para 4.2: 21:40, not 22:40", on=date(2026, 11, 10), by=POLICE_CONTACT
    )
    rounds.answer(ctx, ref, people[HEALTH]["id"], no_comments=True, by=HEALTH_CONTACT)
    upload = rounds.Upload("sio-comments.pdf", b"%PDF sio")
    file_comment = rounds.answer(ctx, ref, people["DI Jo Bloggs"]["id"], upload=upload, by=COORDINATOR)
    rounds.respond(ctx, ref, comment or 0, response="Corrected in version 2", by=CHAIR)
    [latest] = views.rounds_of(ctx, ref)
    by_name = {r["name"]: r for r in latest["recipients"]}
    assert by_name[POLICE]["status"] == "comments" and by_name[POLICE]["answered_on"] == date(2026, 11, 10)
    assert by_name[POLICE]["comments"][0]["response"] == "Corrected in version 2"
    assert by_name[HEALTH]["status_label"] == "No comments" and latest["awaited"] == 0
    assert by_name["DI Jo Bloggs"]["comments"][0]["filename"] == "sio-comments.pdf"
    statuses = {r["agency"]: r["status"] for r in evidence.list_requests(ctx, ref) if r["kind"] == "factual_accuracy"}
    assert statuses == {POLICE: "received", HEALTH: "nil_return"}
    with ctx.db.read() as session:
        pending = session.scalars(
            select(Reminder).where(
                Reminder.subject == f"evidence:{people[POLICE]['evidence_request_id']}", Reminder.status == "pending"
            )
        ).all()
    assert pending == []  # the chasers stop once the agency answered
    stored = views.open_comment_file(ctx, ref, file_comment or 0, None)
    assert stored.content == b"%PDF sio"
    with ctx.db.read() as session:
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("accuracy_%"))))
    assert actions.count("accuracy_answered") == 3 and "accuracy_file_opened" in actions
    assert "accuracy_responded" in actions


def test_a_round_closes_before_the_deadline_only_when_every_answer_is_in(ctx):
    ref, people = _round(ctx)
    before = _counts(ctx)
    with pytest.raises(InvalidInput, match="3 answer.*still awaited.*2026-11-16"):
        rounds.close(ctx, ref, on=date(2026, 11, 16), by=COORDINATOR)
    assert _counts(ctx) == before  # a failed request stores nothing
    assert rounds.close(ctx, ref, on=date(2026, 11, 17), by=COORDINATOR) == 3
    [latest] = views.rounds_of(ctx, ref)
    assert latest["closed_on"] == date(2026, 11, 17)
    assert {r["status"] for r in latest["recipients"]} == {"not_answered"}
    statuses = {r["status"] for r in evidence.list_requests(ctx, ref) if r["kind"] == "factual_accuracy"}
    assert statuses == {"withdrawn"}  # no more chasers
    with pytest.raises(InvalidInput, match="closed"):
        rounds.answer(ctx, ref, people[POLICE]["id"], no_comments=True, by=COORDINATOR)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 9}, "no stored version 9"),
        ({"agencies": ["Housing Services"]}, "not in scope"),
        ({"agencies": []}, "choose at least one"),
        ({"recipients": ["Just a name"]}, "not a recipient"),
        ({"due": date(2026, 11, 1)}, "must be after"),
    ],
)
def test_a_refused_circulation_stores_nothing(ctx, change, message):
    ref, version = draft_case(ctx)
    before = _counts(ctx)
    requests = len(evidence.list_requests(ctx, ref))
    args = {"version": version, "agencies": [POLICE], "recipients": [], "due": None} | change
    with pytest.raises((InvalidInput, NotFound), match=message):
        rounds.circulate(
            ctx, ref, args["version"], agencies=args["agencies"], recipients=args["recipients"], due=args["due"],
            on=SENT, by=COORDINATOR,
        )  # fmt: skip
    assert _counts(ctx) == before and len(evidence.list_requests(ctx, ref)) == requests


def test_a_refused_answer_stores_nothing(ctx):
    ref, people = _round(ctx)
    before = _counts(ctx)
    police = people[POLICE]["id"]
    with pytest.raises(InvalidInput, match="not both"):
        rounds.answer(ctx, ref, police, comments="x", no_comments=True, by=POLICE_CONTACT)
    with pytest.raises(InvalidInput, match="not both"):
        rounds.answer(ctx, ref, police, by=POLICE_CONTACT)
    with pytest.raises(InvalidInput, match="upload a document"):
        rounds.answer(ctx, ref, police, upload=rounds.Upload("x.exe", b"MZ"), by=POLICE_CONTACT)
    with pytest.raises(InvalidInput, match="control characters"):
        rounds.answer(ctx, ref, police, comments="bad\x00text", by=POLICE_CONTACT)
    with pytest.raises(InvalidInput, match="before the draft went out"):
        rounds.answer(ctx, ref, police, no_comments=True, on=date(2026, 10, 1), by=POLICE_CONTACT)
    assert _counts(ctx) == before
    rounds.answer(ctx, ref, police, no_comments=True, by=POLICE_CONTACT)
    with pytest.raises(InvalidInput, match="already recorded"):
        rounds.answer(ctx, ref, police, comments="late thought", by=POLICE_CONTACT)


def test_an_agency_contact_sees_and_answers_only_their_own_agencys_request(ctx):
    from dhr_workflow.people.users import user_by_email

    ref, people = _round(ctx)
    comment = rounds.answer(ctx, ref, people[HEALTH]["id"], comments="Date of the GP visit", by=HEALTH_CONTACT)
    with pytest.raises(NotFound):
        rounds.answer(ctx, ref, people[HEALTH]["id"], no_comments=True, by=POLICE_CONTACT)
    with pytest.raises(NotFound):
        rounds.answer(ctx, ref, people["DI Jo Bloggs"]["id"], no_comments=True, by=POLICE_CONTACT)
    with ctx.db.read() as session:
        police_contact = user_by_email(session, POLICE_CONTACT)
        session.expunge(police_contact)
    [seen] = views.rounds_of(ctx, ref, police_contact)
    assert [r["name"] for r in seen["recipients"]] == [POLICE]
    mine = views.for_my_agency(ctx, police_contact)
    assert [(r["case_ref"], r["name"]) for r in mine] == [(ref, POLICE)]
    with pytest.raises(NotFound):
        views.open_comment_file(ctx, ref, comment or 0, police_contact)
    with pytest.raises(NotPermitted):
        rounds.respond(ctx, ref, comment or 0, response="No", by=POLICE_CONTACT)
    with pytest.raises(NotPermitted):
        rounds.close(ctx, ref, by=POLICE_CONTACT)


def test_the_evidence_forms_refuse_a_rounds_request_so_the_two_never_disagree(ctx):
    ref, people = _round(ctx)
    request_id = people[POLICE]["evidence_request_id"]
    with pytest.raises(InvalidInput, match="factual-accuracy round"):
        evidence.receive(ctx, ref, request_id, nil_return=True, by=POLICE_CONTACT)
    with pytest.raises(InvalidInput, match="factual-accuracy round"):
        evidence.extend(ctx, ref, request_id, to=date(2027, 1, 4), agreed_by="DI", reason="Leave", by=COORDINATOR)


def test_a_second_round_waits_for_the_first_to_close(ctx):
    ref, people = _round(ctx)
    with pytest.raises(InvalidInput, match="still open"):
        rounds.circulate(ctx, ref, 1, agencies=[POLICE], on=SENT, by=COORDINATOR)


def test_an_id_beyond_the_columns_range_is_not_found_and_changes_nothing(ctx):
    """PostgreSQL's integer columns end at 2,147,483,647: a bigger typed id names nothing, it must not crash."""
    ref, _people = _round(ctx)
    before = _counts(ctx)
    with pytest.raises(NotFound):
        rounds.answer(ctx, ref, 2_147_483_648, no_comments=True, by=COORDINATOR)
    with pytest.raises(NotFound):
        rounds.respond(ctx, ref, 2_147_483_648, response="Changed", by=COORDINATOR)
    assert _counts(ctx) == before

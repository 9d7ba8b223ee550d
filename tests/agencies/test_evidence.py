"""Evidence requests: working-day due dates from the workflow file, statuses, extensions, files, need to know, and
the start_drafting guard from real data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from dhr_workflow.agencies import directory, evidence
from dhr_workflow.agencies.evidence import Upload
from dhr_workflow.agencies.tables import EvidenceFile, EvidenceRequest
from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.errors import GuardFailed, InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.people.tables import User
from notifications.ledger.tables import Reminder
from tests.agencies.builders import HEALTH_CONTACT, POLICE_CONTACT, agencies, case_at
from tests.factories import COORDINATOR

START = date(2026, 9, 1)


@pytest.fixture
def ref(ctx):
    agencies(ctx)
    ref = case_at(ctx, START)
    directory.change_scope(ctx, ref, add=["Metropolitan Police", "oxleas-nhs-trust"], by=COORDINATOR)
    return ref


def _counts(ctx):
    with ctx.db.read() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t)) or 0
            for t in (EvidenceRequest, EvidenceFile, AuditEvent, Reminder)
        )


def _user(ctx, email):
    with ctx.db.read() as s:
        user = s.scalars(select(User).where(User.email == email)).one()
        s.expunge(user)
        return user


def test_an_agency_has_a_kind_from_the_list_and_a_named_contact(ctx):
    agencies(ctx)
    rows = {r["slug"]: r for r in directory.list_agencies(ctx)}
    assert rows["metropolitan-police"]["kind"] == "police"
    assert rows["metropolitan-police"]["contacts"] == [POLICE_CONTACT]
    assert rows["housing-services"]["contacts"] == []
    with pytest.raises(InvalidInput, match="not a kind of agency; choose one of: police"):
        directory.add_agency(ctx, "Fire Service", "fire")
    with pytest.raises(InvalidInput, match="already an agency"):
        directory.add_agency(ctx, "Housing services", "housing")


def test_the_due_date_is_the_workflow_files_working_days_for_the_kind_across_christmas(ctx, ref):
    on = date(2026, 12, 18)  # a Friday: Christmas Day, the Boxing Day substitute and New Year's Day are not counted
    ctx.clock = lambda: date(2026, 12, 18)
    scoping = evidence.request_evidence(ctx, ref, "Metropolitan Police", "scoping_return", on=on, by=COORDINATOR)
    imr = evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", on=on, by=COORDINATOR)
    due = {r["id"]: r["due"] for r in evidence.list_requests(ctx, ref)}
    assert due[scoping] == date(2027, 1, 6)  # 10 working days
    assert due[imr] == date(2027, 1, 20)  # 20 working days


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(offset=st.integers(min_value=0, max_value=60), kind=st.sampled_from(["scoping_return", "imr", "chronology"]))
def test_a_due_date_is_always_a_working_day_exactly_n_working_days_after_the_request(ctx, ref, offset, kind):
    on = START + timedelta(days=10 + offset)
    with ctx.db.write() as s:  # each example starts with no open request
        for row in s.scalars(select(EvidenceRequest)):
            row.status = "withdrawn"
    request_id = evidence.request_evidence(ctx, ref, "Metropolitan Police", kind, on=on, by=COORDINATOR)
    row = next(r for r in evidence.list_requests(ctx, ref) if r["id"] == request_id)
    with ctx.db.read() as s:
        cal = load_calendar(s)
    days = ctx.workflows.latest("dhr").evidence[kind].working_days
    counted = sum(cal.is_working_day(on + timedelta(days=i)) for i in range(1, (row["due"] - on).days + 1))
    assert cal.is_working_day(row["due"]) and counted == days


def test_an_agency_must_be_in_scope_and_a_request_open_only_once(ctx, ref):
    before = _counts(ctx)
    with pytest.raises(InvalidInput, match="Housing Services is not in scope"):
        evidence.request_evidence(ctx, ref, "Housing Services", "imr", by=COORDINATOR)
    with pytest.raises(InvalidInput, match="not a kind of evidence"):
        evidence.request_evidence(ctx, ref, "Metropolitan Police", "report", by=COORDINATOR)
    with pytest.raises(InvalidInput, match="in the future"):
        evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", on=date(2026, 12, 1), by=COORDINATOR)
    with pytest.raises(InvalidInput, match="must be after the request"):
        evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", due=date(2026, 11, 1), by=COORDINATOR)
    with pytest.raises(NotPermitted):
        evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", by=POLICE_CONTACT)
    assert _counts(ctx) == before
    evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", by=COORDINATOR)
    with pytest.raises(InvalidInput, match="already has an open"):
        evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", by=COORDINATOR)


def test_receive_nil_return_extend_and_not_required_each_record_who_when_and_why(ctx, ref):
    imr = evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", on=date(2026, 11, 2), by=COORDINATOR)
    chron = evidence.request_evidence(ctx, ref, "Metropolitan Police", "chronology", by=COORDINATOR)
    scoping = evidence.request_evidence(ctx, ref, "Oxleas NHS Trust", "scoping_return", by=COORDINATOR)
    evidence.extend(
        ctx, ref, chron, to=date(2027, 1, 29), agreed_by="Panel chair", reason="Records archived", by=COORDINATOR
    )
    evidence.receive(
        ctx, ref, imr, upload=Upload("imr.pdf", b"%PDF-1.7 report"), on=date(2026, 11, 19), by=POLICE_CONTACT
    )
    evidence.receive(ctx, ref, scoping, nil_return=True, note="No contact with either party", by=COORDINATOR)
    rows = {r["id"]: r for r in evidence.list_requests(ctx, ref)}
    assert rows[imr]["status"] == "received" and rows[imr]["status_on"] == date(2026, 11, 19)
    assert rows[imr]["recorded_by"] == POLICE_CONTACT and rows[imr]["files"][0]["filename"] == "imr.pdf"
    assert rows[chron]["status"] == "extended" and rows[chron]["due"] == date(2027, 1, 29)
    assert rows[chron]["extensions"][0]["agreed_by"] == "Panel chair"
    assert rows[scoping]["status"] == "nil_return"
    with pytest.raises(InvalidInput, match="already received"):
        evidence.receive(ctx, ref, imr, nil_return=True, by=COORDINATOR)
    with pytest.raises(InvalidInput, match="reason is required"):
        evidence.settle_without_evidence(ctx, ref, chron, "not_required", reason=" ", by=COORDINATOR)
    evidence.settle_without_evidence(ctx, ref, chron, "not_required", reason="IMR covers it", by=COORDINATOR)
    assert {r["id"]: r for r in evidence.list_requests(ctx, ref)}[chron]["reason"] == "IMR covers it"


def test_bad_receipts_change_nothing(ctx, ref):
    imr = evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", by=COORDINATOR)
    before = _counts(ctx)
    for kwargs, message in (
        ({}, "either the file received or a nil return"),
        ({"nil_return": True, "upload": Upload("a.pdf", b"x")}, "either the file"),
        ({"upload": Upload("virus.exe", b"MZ")}, "upload a document"),
        ({"upload": Upload("empty.pdf", b"")}, "the file is empty"),
        ({"nil_return": True, "on": date(2026, 12, 25)}, "in the future"),
    ):
        with pytest.raises(InvalidInput, match=message):
            evidence.receive(ctx, ref, imr, by=COORDINATOR, **kwargs)
    with pytest.raises(InvalidInput, match="after the current due date"):
        evidence.extend(ctx, ref, imr, to=date(2026, 11, 21), agreed_by="X", reason="Y", by=COORDINATOR)
    with pytest.raises(NotFound):
        evidence.receive(ctx, ref, 9999, nil_return=True, by=COORDINATOR)
    assert _counts(ctx) == before


def test_an_agency_contact_sees_and_answers_only_their_own_agencys_requests(ctx, ref):
    police = evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", by=COORDINATOR)
    health = evidence.request_evidence(ctx, ref, "Oxleas NHS Trust", "imr", by=COORDINATOR)
    evidence.receive(ctx, ref, health, upload=Upload("nhs.pdf", b"%PDF nhs"), by=HEALTH_CONTACT)
    police_user = _user(ctx, POLICE_CONTACT)
    assert [r["id"] for r in evidence.list_requests(ctx, ref, police_user)] == [police]
    assert [r["id"] for r in evidence.requests_for_my_agency(ctx, police_user)] == [police]
    with pytest.raises(NotFound):
        evidence.receive(ctx, ref, health, nil_return=True, by=POLICE_CONTACT)
    file_id = evidence.list_requests(ctx, ref)[-1]["files"][0]["id"]
    with pytest.raises(NotFound):
        evidence.open_file(ctx, ref, health, file_id, police_user)
    with pytest.raises(NotPermitted):
        evidence.extend(ctx, ref, police, to=date(2027, 3, 1), agreed_by="me", reason="busy", by=POLICE_CONTACT)
    opened = evidence.open_file(ctx, ref, health, file_id, _user(ctx, HEALTH_CONTACT))
    assert opened.content == b"%PDF nhs"
    with ctx.db.read() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert last.action == "evidence_file_opened" and last.actor == HEALTH_CONTACT


def test_a_contact_not_on_the_case_sees_nothing_of_it(ctx, ref):
    other = case_at(ctx, START)  # the contacts are not on this case
    directory.change_scope(ctx, other, add=["Housing Services"], by=COORDINATOR)
    evidence.request_evidence(ctx, other, "Housing Services", "imr", by=COORDINATOR)
    directory.add_contact(ctx, "housing-services", POLICE_CONTACT)
    police_user = _user(ctx, POLICE_CONTACT)
    with pytest.raises(NotFound):
        evidence.list_requests(ctx, other, police_user)
    assert all(r["case_ref"] == ref for r in evidence.requests_for_my_agency(ctx, police_user))


def test_taking_an_agency_out_of_scope_needs_a_reason_and_withdraws_its_open_requests(ctx, ref):
    imr = evidence.request_evidence(ctx, ref, "Oxleas NHS Trust", "imr", by=COORDINATOR)
    with pytest.raises(InvalidInput, match="say why"):
        directory.change_scope(ctx, ref, remove=["Oxleas NHS Trust"], by=COORDINATOR)
    scope = directory.change_scope(ctx, ref, remove=["Oxleas NHS Trust"], reason="No contact found", by=COORDINATOR)
    assert {r["agency"]: r["in_scope"] for r in scope} == {"Metropolitan Police": True, "Oxleas NHS Trust": False}
    row = {r["id"]: r for r in evidence.list_requests(ctx, ref)}[imr]
    assert row["status"] == "withdrawn" and "No contact found" in row["reason"]
    with ctx.db.read() as s:
        pending = s.scalars(select(Reminder).where(Reminder.subject == f"evidence:{imr}", Reminder.status == "pending"))
        assert list(pending) == []


def test_drafting_needs_every_in_scope_agencys_imr_settled(ctx):
    agencies(ctx)
    ref = case_at(ctx, START)
    with pytest.raises(GuardFailed, match="no agency is in scope"):
        cases.fire(ctx, ref, "start_drafting")
    directory.change_scope(ctx, ref, add=["Metropolitan Police", "Oxleas NHS Trust", "Housing Services"])
    police = evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr")
    health = evidence.request_evidence(ctx, ref, "Oxleas NHS Trust", "imr")
    with pytest.raises(GuardFailed, match="3 agency report"):
        cases.fire(ctx, ref, "start_drafting")
    evidence.receive(ctx, ref, police, upload=Upload("imr.docx", b"PK report"))
    evidence.receive(ctx, ref, health, nil_return=True)
    with pytest.raises(GuardFailed, match="1 agency report.*Housing Services"):
        cases.fire(ctx, ref, "start_drafting")
    housing = evidence.request_evidence(ctx, ref, "Housing Services", "imr")
    evidence.settle_without_evidence(ctx, ref, housing, "not_required", reason="Tenancy ended before the period")
    assert cases.fire(ctx, ref, "start_drafting").dest == "drafting"


def test_an_agency_taken_out_of_scope_does_not_hold_up_drafting(ctx, ref):
    police = evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr")
    evidence.receive(ctx, ref, police, nil_return=True)
    with pytest.raises(GuardFailed, match="Oxleas"):
        cases.fire(ctx, ref, "start_drafting")
    directory.change_scope(ctx, ref, remove=["Oxleas NHS Trust"], reason="Never involved")
    cases.fire(ctx, ref, "start_drafting")

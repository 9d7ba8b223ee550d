"""Every page with every role (and signed out): the status each gets, the security headers on all of them, and
the case page's forms doing what they say."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dhr_workflow.cases.tables import Case
from dhr_workflow.people.roles import ROLES, may_change_cases, sees_only_own_cases
from tests.web.conftest import csrf_of, form_post

LOGS_NOTIFICATIONS = {role for role in ROLES if may_change_cases(role) and not sees_only_own_cases(role)}


def test_every_page_for_every_role(demo, client_for):
    shared = demo.ref("gathering evidence")  # every role is on it or sees every case
    for role in ROLES:
        client = client_for(role)
        expected = {
            "/": 200,
            "/cases": 200,
            "/cases?overdue=true&state=scoping": 200,  # a real state: unknown ones are refused (issue 16)
            "/tasks": 200,
            "/cases/new": 200 if role in LOGS_NOTIFICATIONS else 403,
            f"/cases/{shared}": 200,
            f"/cases/{shared}/diagram.svg": 200,
            "/accessible-formats/request": 200,
            "/healthz": 200,
            "/admin/users": 200 if role in ("admin", "coordinator") else 403,
            "/admin/holidays": 200 if role in ("admin", "coordinator") else 403,
            "/login": 303,  # already signed in: straight on
            "/no-such-page": 404,
        }
        for path, status in expected.items():
            response = client.get(path)
            assert response.status_code == status, (role, path, response.status_code)


def test_signed_out_people_are_sent_to_sign_in_and_the_public_pages_still_work(demo, client_for):
    client = client_for(None)
    ref = demo.ref("gathering evidence")
    for path in ("/", "/cases", "/tasks", "/cases/new", f"/cases/{ref}", f"/cases/{ref}/diagram.svg"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    for path in ("/login", "/accessible-formats/request", "/healthz", "/openapi.json"):
        assert client.get(path).status_code == 200
    assert client.get("/api/v1/cases").status_code == 401


def test_every_response_carries_the_security_headers(demo, client_for):
    client = client_for("coordinator")
    for path in ("/", f"/cases/{demo.ref('gathering evidence')}", "/login", "/no-such-page", "/api/v1/cases"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "'unsafe-inline'" not in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/govuk/govuk-frontend.min.css").headers.get("cache-control", "")


def test_the_officer_logs_a_notification(demo, client_for):
    client = client_for("coordinator")
    response = form_post(
        client,
        "/cases/new",
        "/cases/new",
        {
            "death-date-day": "1",
            "death-date-month": "11",
            "death-date-year": "2026",
            "notified-date-day": "3",
            "notified-date-month": "11",
            "notified-date-year": "2026",
            "police_ref": "MET/2026/7777",
            "victim_name": "Harriet Example",
            "pseudonym": "Juniper",
            "victim_age": "51",
        },
    )
    assert response.status_code == 303
    ref = response.headers["location"].split("/")[2].split("?")[0]
    page = client.get(f"/cases/{ref}?done=notified")
    assert "The notification was logged" in page.text
    assert "Juniper" in page.text


def test_a_bad_notification_shows_every_problem_and_writes_nothing(demo, client_for):
    client = client_for("coordinator")
    with demo.ctx.db.read() as session:
        before = len(session.scalars(select(Case)).all())
    response = form_post(
        client,
        "/cases/new",
        "/cases/new",
        {"death-date-day": "31", "death-date-month": "2", "death-date-year": "2026", "victim_age": "abc"},
    )
    assert response.status_code == 422
    text = response.text
    assert "govuk-error-summary" in text
    for anchor in ("#death-date-day", "#notified-date-day", "#police_ref", "#victim_name", "#pseudonym", "#victim_age"):
        assert f'href="{anchor}"' in text, anchor
    assert "Error: Log a police notification" in text
    # a service-level refusal (a pseudonym sharing the real name) is shown against its field
    response = form_post(
        client,
        "/cases/new",
        "/cases/new",
        {
            "death-date-day": "1",
            "death-date-month": "11",
            "death-date-year": "2026",
            "notified-date-day": "3",
            "notified-date-month": "11",
            "notified-date-year": "2026",
            "police_ref": "X",
            "victim_name": "Harriet Example",
            "pseudonym": "Harriet",
        },
    )
    assert response.status_code == 422 and 'href="#pseudonym"' in response.text
    with demo.ctx.db.read() as session:
        assert len(session.scalars(select(Case)).all()) == before


def test_the_decision_is_recorded_from_the_case_page_and_a_stale_page_is_refused(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("just notified")
    page = client.get(f"/cases/{ref}")
    token = csrf_of(page.text)
    version = int(page.text.split('name="version" value="')[1].split('"')[0])
    scoping = {"csrf_token": token, "trigger": "start_scoping", "version": str(version)}
    assert client.post(f"/cases/{ref}/actions", data=scoping).status_code == 303
    # the same (now stale) page posted again: someone else's change wins, this one is refused
    stale = client.post(f"/cases/{ref}/actions", data={**scoping, "trigger": "decide_review"})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.text
    client = client_for("csp_chair")  # the decision is the CSP chair's (workflows/dhr.yaml `roles`)
    fresh = client.get(f"/cases/{ref}")
    token = csrf_of(fresh.text)
    version = fresh.text.split('name="version" value="')[1].split('"')[0]
    missing = client.post(
        f"/cases/{ref}/actions", data={"csrf_token": token, "trigger": "decide_review", "version": version}
    )
    assert missing.status_code == 422 and "govuk-error-summary" in missing.text
    decided = client.post(
        f"/cases/{ref}/actions",
        data={"csrf_token": token, "trigger": "decide_review", "version": version, "field_rationale": "Criteria met"},
    )
    assert decided.status_code == 303
    assert "The case moved on." in client.get(decided.headers["location"]).text


def test_clock_pause_and_resume_task_and_member_forms(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("gathering evidence")
    page = f"/cases/{ref}"
    assert form_post(client, page, f"{page}/clocks/completion/pause", {"reason": "inquest"}).status_code == 303
    assert "Paused since" in client.get(page).text
    assert form_post(client, page, f"{page}/clocks/completion/resume", {}).status_code == 303
    bad = form_post(client, page, f"{page}/tasks", {"title": "Chronology", "assignee": "x@demo.example", "due": "soon"})
    assert bad.status_code == 422 and 'href="#task-due"' in bad.text
    ok = form_post(
        client,
        page,
        f"{page}/tasks",
        {"title": "Chronology from police", "assignee": "agency.contact@demo.example", "due": "2026-12-01"},
    )
    assert ok.status_code == 303 and "Chronology from police" in client.get(page).text
    added = form_post(client, page, f"{page}/members", {"email": "viewer@demo.example", "role": "viewer"})
    assert added.status_code == 303
    again = form_post(client, page, f"{page}/members", {"email": "viewer@demo.example", "role": "viewer"})
    assert again.status_code == 422 and "already on" in again.text


@pytest.mark.parametrize("role", ["panel_member", "agency_contact", "viewer"])
def test_read_only_roles_cannot_change_a_case_they_can_see(role, demo, client_for):
    client = client_for(role)
    ref = demo.ref("gathering evidence")
    page = client.get(f"/cases/{ref}")
    assert 'action="/cases/' + ref + '/actions"' not in page.text
    response = client.post(
        f"/cases/{ref}/actions", data={"csrf_token": csrf_of(page.text), "trigger": "start_drafting"}
    )
    assert response.status_code == 403


def test_a_panel_member_sees_only_their_own_tasks_and_completes_one(demo, client_for):
    client = client_for("panel_member")
    tasks_page = client.get("/tasks").text
    assert "Comment on the draft chronology" in tasks_page
    assert "Agency report (IMR)" not in tasks_page  # the agency contact's task on the same case
    case_page = client.get(f"/cases/{demo.ref('gathering evidence')}").text
    # the agency contact's task (the evidence requests' "Agency report (IMR)" rows are the panel's to see)
    assert "Agency report (IMR) from Adult Social Care" not in case_page
    task_id = tasks_page.split("/tasks/")[1].split("/done")[0]
    done = client.post(
        f"/cases/{demo.ref('gathering evidence')}/tasks/{task_id}/done",
        data={"csrf_token": csrf_of(tasks_page), "back": "tasks"},
    )
    assert done.status_code == 303
    after = client.get(done.headers["location"]).text
    assert "The task is marked as done." in after and "You have no open tasks." in after


def test_forms_without_a_valid_token_are_refused(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("just notified")
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post(f"/cases/{ref}/actions", data={**data, "trigger": "start_scoping"})
        assert response.status_code == 400
    anonymous = client_for(None)
    assert anonymous.post("/login", data={"email": "a@b.cd", "password": "x"}).status_code == 400


def test_a_coordinator_adds_a_person_who_can_then_sign_in(demo, client_for):
    from tests.web.conftest import sign_in

    client = client_for("coordinator")
    bad = form_post(client, "/admin/users", "/admin/users", {"name": "", "email": "not-an-email", "role": "viewer"})
    assert bad.status_code == 422 and "govuk-error-summary" in bad.text
    admin = form_post(client, "/admin/users", "/admin/users", {"name": "A", "email": "a@x.org", "role": "admin"})
    assert admin.status_code == 422 and 'href="#role"' in admin.text
    ok = form_post(
        client,
        "/admin/users",
        "/admin/users",
        {
            "name": "Nia Agency",
            "email": "nia@agency.example",
            "role": "agency_contact",
            "password": "a-long-password-1",
        },
    )
    assert ok.status_code == 303
    newcomer = client_for(None)
    sign_in(newcomer, "nia@agency.example", "a-long-password-1")
    assert "You have no open tasks." in newcomer.get("/").text
    assert "DHR-" not in newcomer.get("/cases").text.split("<main")[1]  # on no case yet: sees none


def test_a_one_off_bank_holiday_moves_open_clocks_and_can_be_removed(demo, client_for):
    client = client_for("coordinator")
    bad = form_post(client, "/admin/holidays", "/admin/holidays", {"day": "next tuesday", "name": "x"})
    assert bad.status_code == 422 and 'href="#day"' in bad.text and 'href="#kind-holiday"' in bad.text
    ok = form_post(
        client, "/admin/holidays", "/admin/holidays", {"day": "2026-12-01", "name": "State funeral", "kind": "holiday"}
    )
    assert ok.status_code == 303 and ok.headers["location"].startswith("/admin/holidays?moved=")
    page = client.get(ok.headers["location"]).text
    assert "State funeral" in page and "open clock(s) moved" in page
    removed = form_post(client, "/admin/holidays", "/admin/holidays/2026-12-01/remove", {})
    assert removed.status_code == 303
    assert "No overrides." in client.get("/admin/holidays").text


def test_a_reviewer_changes_the_cases_they_are_on_but_cannot_log_notifications(demo, client_for):
    client = client_for("reviewer")
    ref = demo.ref("paused for a trial")  # agency reports are in: drafting can start
    page = client.get(f"/cases/{ref}").text
    version = page.split('name="version" value="')[1].split('"')[0]
    moved = client.post(
        f"/cases/{ref}/actions",
        data={"csrf_token": csrf_of(page), "trigger": "start_drafting", "version": version},
    )
    assert moved.status_code == 303, moved.text[:400]
    assert client.get("/cases/new").status_code == 403


def test_an_agency_contact_uploads_their_report_with_the_task_and_only_the_right_people_can_open_it(demo, client_for):
    agency = client_for("agency_contact")
    page = agency.get("/tasks").text
    action = page.split('action="')[2].split('"')[0]  # the first form after sign-out is the task's
    assert action.endswith("/done")
    refused = agency.post(
        action, data={"csrf_token": csrf_of(page)}, files={"file": ("report.exe", b"MZ...", "application/octet-stream")}
    )
    assert refused.status_code == 422 and "upload a document" in refused.text
    done = agency.post(
        action,
        data={"csrf_token": csrf_of(page), "back": "tasks"},
        files={"file": ("IMR Adult Social Care.pdf", b"%PDF-1.7 report", "application/pdf")},
    )
    assert done.status_code == 303
    ref = demo.ref("gathering evidence")
    case_page = client_for("coordinator").get(f"/cases/{ref}").text
    link = case_page.split(f'href="/cases/{ref}/tasks/')[1].split('"')[0]
    coordinator = client_for("coordinator")
    download = coordinator.get(f"/cases/{ref}/tasks/{link}")
    assert download.status_code == 200 and download.content == b"%PDF-1.7 report"
    assert "attachment" in download.headers["content-disposition"]
    assert client_for("panel_member").get(f"/cases/{ref}/tasks/{link}").status_code == 404  # not their task
    assert client_for("agency_contact").get(f"/cases/{ref}/tasks/{link}").status_code == 200

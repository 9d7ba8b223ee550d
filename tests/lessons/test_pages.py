"""The Delivery Plan pages on the demo, for every role: who sees what, updates through the form, downloads."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

pytest.importorskip("dhr_workflow.web.app", reason="the web app (issue 4) is not merged into this branch yet")

from dhr_workflow.lessons import queries
from dhr_workflow.people.roles import ROLES
from tests.web.conftest import form_post

TEAM = {"admin", "coordinator", "csp_chair"}


def _action_ids(ctx, **filters):
    return {a["id"]: a for a in queries.list_actions(ctx, **filters)}


def test_every_role_gets_the_pages_it_may_see(demo, client_for):
    every = _action_ids(demo.ctx)
    for role in ROLES:
        client = client_for(role)
        expected = {
            "/plan": 200,
            "/plan/board-report": 200,
            "/plan/export.xlsx": 200,
            "/plan/actions": 403 if role == "viewer" else 200,
            "/plan/commentary": 200 if role in TEAM else 403,
            "/plan/meetings": 200 if role in TEAM | {"viewer"} else 403,
            "/plan/meetings.ics": 200 if role in TEAM | {"viewer"} else 403,
            "/plan/collated.pdf": 200 if role in TEAM | {"viewer"} else 403,
        }
        for path, status in expected.items():
            assert client.get(path).status_code == status, (role, path)
        listed = client.get("/plan/actions").text if role != "viewer" else ""
        visible = (
            set() if role == "viewer" else set(_action_ids(demo.ctx, viewer=f"{role.replace('_', '.')}@demo.example"))
        )
        for action_id in every:
            assert (f'href="/plan/actions/{action_id}"' in listed) == (action_id in visible), (role, action_id)
            assert client.get(f"/plan/actions/{action_id}").status_code == (200 if action_id in visible else 404)


def test_an_agency_contact_updates_their_action_through_the_form(demo, client_for):
    client = client_for("agency_contact")
    mine = next(iter(_action_ids(demo.ctx, viewer="agency.contact@demo.example")))
    page = f"/plan/actions/{mine}"
    response = form_post(client, page, f"{page}/update", {"status": "at_risk", "note": "Trainer off sick"})
    assert response.status_code == 303 and response.headers["location"] == f"{page}?done=updated"
    assert queries.show_action(demo.ctx, mine)["status"] == "at_risk"
    bad = form_post(client, page, f"{page}/update", {"status": "finished"})
    assert bad.status_code == 422 and "not an action status" in bad.text
    others = set(_action_ids(demo.ctx)) - {mine}
    other = min(others)
    refused = form_post(client, page, f"/plan/actions/{other}/update", {"status": "on_track"})
    assert refused.status_code == 404


def test_downloads_are_real_files(demo, client_for):
    client = client_for("coordinator")
    workbook = load_workbook(BytesIO(client.get("/plan/export.xlsx").content))
    assert "Priority response" in workbook.sheetnames
    meeting = demo.ctx and client.get("/plan/meetings").text
    assert "/plan/meetings/1/agenda.pdf" in meeting
    assert client.get("/plan/meetings/1/agenda.pdf").content.startswith(b"%PDF")
    assert b"BEGIN:VCALENDAR" in client.get("/plan/meetings.ics").content
    briefing = client.get(f"/cases/{demo.ref('published')}/learning-briefing.html")
    assert briefing.status_code == 200 and "Learning briefing" in briefing.text
    assert client.get("/plan/board-report.docx").status_code == 200


def _with_open_milestone(ctx, viewer):
    for action_id in _action_ids(ctx, viewer=viewer):
        detail = queries.show_action(ctx, action_id)
        pending = [m for m in detail["milestones"] if not m["done_on"]]
        if pending and detail["status"] != "closed":
            return action_id, pending[0]["position"]
    raise AssertionError("the demo has no open milestone")


def test_an_owner_records_a_milestone_and_attaches_evidence_from_the_action_page(demo, client_for):
    from datetime import timedelta

    client = client_for("coordinator")
    action_id, position = _with_open_milestone(demo.ctx, "coordinator@demo.example")
    page = f"/plan/actions/{action_id}"
    shown = client.get(page).text
    assert f"/plan/actions/{action_id}/milestones/{position}/done" in shown and 'name="on-day"' in shown
    future = demo.ctx.today() + timedelta(days=5)
    late = form_post(
        client,
        page,
        f"{page}/milestones/{position}/done",
        {"on-day": str(future.day), "on-month": str(future.month), "on-year": str(future.year)},
    )
    assert late.status_code == 422 and f'href="#milestone-{position}-on"' in late.text
    assert "The date it was achieved must be today or in the past" in late.text
    done = form_post(client, page, f"{page}/milestones/{position}/done", {})
    assert done.status_code == 303 and done.headers["location"] == f"{page}?done=milestone"
    milestone = next(m for m in queries.show_action(demo.ctx, action_id)["milestones"] if m["position"] == position)
    assert milestone["done_on"] == demo.ctx.today()
    missing = form_post(client, page, f"{page}/evidence", {"description": "Register"})
    assert missing.status_code == 422 and 'href="#evidence-file"' in missing.text
    token = client.get(page).text.split('name="csrf_token" value="')[1].split('"')[0]
    attached = client.post(
        f"{page}/evidence",
        data={"csrf_token": token, "description": "Training register"},
        files={"file": ("register.csv", b"name,date\nA,2026-11-01\n", "text/csv")},
    )
    assert attached.status_code == 303 and attached.headers["location"] == f"{page}?done=evidence"
    assert "register.csv" in client.get(page).text


def test_people_who_cannot_update_an_action_cannot_record_its_milestones(demo, client_for):
    action_id, position = _with_open_milestone(demo.ctx, "coordinator@demo.example")
    viewer = client_for("viewer")
    refused = form_post(viewer, "/", f"/plan/actions/{action_id}/milestones/{position}/done", {})
    assert refused.status_code in (403, 404)
    milestone = next(m for m in queries.show_action(demo.ctx, action_id)["milestones"] if m["position"] == position)
    assert milestone["done_on"] is None


def test_the_team_adds_an_action_from_the_browser(demo, client_for):
    client = client_for("coordinator")
    assert 'href="/plan/actions/new"' in client.get("/plan/actions").text
    page = "/plan/actions/new"
    form = client.get(page).text
    assert "govuk-character-count" in form and 'name="target-day"' in form and "govuk-radios" in form
    empty = form_post(client, page, page, {})
    assert empty.status_code == 422
    for field in ("action-description", "action-agency", "action-target", "action-theme"):
        assert f'href="#{field}"' in empty.text, field
    typed = {
        "description": "Train every housing officer in coercive control by March 2027",
        "agency": "housing-services",
        "target-day": "31",
        "target-month": "3",
        "target-year": "2027",
        "theme": "priority_response",
        "lead": "Jo Bloggs",
        "milestone-1": "Book the trainer",
        "milestone-2": "First cohort trained",
        "tags": "coercive control",
    }
    made = form_post(client, page, page, typed)
    assert made.status_code == 303, made.text[:2000]
    action_id = int(made.headers["location"].split("/plan/actions/")[1].split("?")[0])
    detail = queries.show_action(demo.ctx, action_id)
    assert detail["description"] == typed["description"] and detail["agency"]["slug"] == "housing-services"
    assert str(detail["target_on"]) == "2027-03-31" and [m["text"] for m in detail["milestones"]] == [
        "Book the trainer",
        "First cohort trained",
    ]
    bad_agency = form_post(client, page, page, {**typed, "agency": "nobody"})
    assert bad_agency.status_code == 422 and 'href="#action-agency"' in bad_agency.text
    assert "Train every housing officer" in bad_agency.text  # what was typed comes back


@pytest.mark.parametrize("role", ["agency_contact", "reviewer", "viewer"])
def test_only_the_team_adds_actions(demo, client_for, role):
    client = client_for(role)
    assert client.get("/plan/actions/new").status_code == 403
    refused = form_post(client, "/", "/plan/actions/new", {"description": "x", "agency": "housing-services"})
    assert refused.status_code == 403

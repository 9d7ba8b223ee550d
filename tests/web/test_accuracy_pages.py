"""The case page's "Factual accuracy" section and the agency contact's answers from "Requests for my agency", over the
same services as `dhr accuracy`: errors in the summary and inline, need to know kept, no command line on the page."""

from __future__ import annotations

from dhr_workflow.accuracy import views
from dhr_workflow.demo.seed import email_for
from dhr_workflow.documents.versions import generate
from tests.web.conftest import csrf_of, form_post

CASE = "gathering evidence"


def _section(html: str) -> str:
    return html.split('id="accuracy"')[1].split('id="tasks"')[0]


def test_a_coordinator_circulates_a_stored_draft_and_a_refused_form_says_what_is_wrong(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref(CASE)
    page = f"/cases/{ref}"
    before = _section(client.get(page).text)
    assert "Factual accuracy" in client.get(page).text and "no stored version of the overview report" in before
    doc, _ = generate(demo.ctx, ref, "overview_report")
    refused = form_post(client, page, f"{page}/accuracy", {"due-day": "31", "due-month": "2", "due-year": "2027"})
    assert refused.status_code == 422
    assert 'href="#accuracy-version"' in refused.text and "Select the version of the draft to send" in refused.text
    assert views.rounds_of(demo.ctx, ref) == []
    sent = form_post(
        client,
        page,
        f"{page}/accuracy",
        {
            "version": str(doc.version),
            "agency": "adult-social-care",
            "due-day": "4",
            "due-month": "1",
            "due-year": "2027",
        },
    )
    assert sent.status_code == 303, sent.text
    html = _section(client.get(page).text)
    assert "Adult Social Care" in html and "Awaited" in html and "4 January 2027" in html
    assert "dhr accuracy" not in html and "--version" not in html and "--agency" not in html  # no command line


def test_an_agency_contact_answers_for_their_agency_and_the_chair_responds(demo, client_for):
    ctx, ref = demo.ctx, demo.ref(CASE)
    coordinator = client_for("coordinator")
    doc, _ = generate(ctx, ref, "overview_report")
    page = f"/cases/{ref}"
    form_post(
        coordinator, page, f"{page}/accuracy",
        {"version": str(doc.version), "agency": "adult-social-care", "recipients": "DI Jo Bloggs <jo@police.example>"},
    )  # fmt: skip
    contact = client_for("agency_contact")
    mine = contact.get("/agency-requests").text
    assert "Draft reports to check for factual accuracy" in mine and "DI Jo Bloggs" not in mine
    people = {r["name"]: r["id"] for r in views.rounds_of(ctx, ref)[0]["recipients"]}
    action = f"{page}/accuracy/answers/{people['Adult Social Care']}"
    empty = contact.post(action, data={"csrf_token": csrf_of(mine), "back": "agency"})
    assert empty.status_code == 422 and "Select whether they sent comments or had none" in empty.text
    sent = contact.post(
        action,
        data={"csrf_token": csrf_of(mine), "back": "agency", "answer": "comments", "comments": "Para 3: wrong date"},
        files={"file": ("asc-comments.pdf", b"%PDF asc", "application/pdf")},
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/agency-requests?done=answered"
    other = contact.post(
        f"{page}/accuracy/answers/{people['DI Jo Bloggs']}",
        data={"csrf_token": csrf_of(mine), "answer": "no_comments"},
    )
    assert other.status_code == 404  # not their agency's
    [comment] = views.rounds_of(ctx, ref)[0]["recipients"][0]["comments"]
    file_path = f"{page}/accuracy/comments/{comment['id']}/file"
    assert contact.get(file_path).content == b"%PDF asc"
    assert client_for("panel_member").get(file_path).status_code == 200  # the panel reads every answer
    responded = form_post(coordinator, page, f"{page}/accuracy/comments/{comment['id']}/response", {"response": ""})
    assert responded.status_code == 422 and 'href="#response-' in responded.text
    ok = form_post(
        coordinator, page, f"{page}/accuracy/comments/{comment['id']}/response", {"response": "Corrected in v2"}
    )
    assert ok.status_code == 303
    early = form_post(coordinator, page, f"{page}/accuracy/close", {})
    assert early.status_code == 422 and "still awaited" in early.text and 'href="#accuracy-close"' in early.text
    html = _section(coordinator.get(page).text)
    assert "Para 3: wrong date" in html and "Corrected in v2" in html and "Comments received" in html
    assert contact.post(f"{page}/accuracy/close", data={"csrf_token": csrf_of(mine)}).status_code == 403
    assert email_for("agency_contact") == views.rounds_of(ctx, ref)[0]["recipients"][0]["answered_by"]


def test_a_blocked_panel_agree_links_to_the_factual_accuracy_section(demo, client_for):
    from datetime import date

    from tests.factories import new_case, walk
    from tests.integration.paths import dated_steps, path_to

    definition = demo.ctx.workflows.latest("dhr")
    ref = new_case(demo.ctx, date(2026, 1, 5), police_ref="KENT/2026/9")
    walk(demo.ctx, ref, dated_steps(date(2026, 1, 5), path_to(definition, "panel_agreeing"), definition))
    client = client_for("coordinator")
    page = f"/cases/{ref}"
    refused = form_post(client, page, f"{page}/actions", {"trigger": "panel_agree"})
    assert refused.status_code == 422, refused.status_code
    assert "has not been circulated to the agencies for factual accuracy" in refused.text
    assert 'href="#accuracy"' in refused.text and "dhr accuracy" not in refused.text

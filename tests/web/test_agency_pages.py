"""The "Agencies and evidence" section, the agency directory and "Requests for my agency", over the same services as
the command line: a coordinator asks, extends and closes; an agency contact answers only their own agency's."""

from __future__ import annotations

from dhr_workflow.agencies import evidence
from dhr_workflow.demo.seed import email_for
from tests.web.conftest import csrf_of, form_post


def test_the_case_page_shows_each_request_as_its_own_deadline_overdue_first(demo, client_for):
    client = client_for("coordinator")
    html = client.get(f"/cases/{demo.ref('gathering evidence')}").text
    assert 'id="agencies"' in html and "Agencies and evidence" in html
    table = html.split('id="agencies"')[1].split("</table>")[0]
    rows = table.split('id="request-')[1:]
    late = [i for i, r in enumerate(rows) if "Overdue by" in r]
    assert late and late == list(range(len(late)))  # overdue first
    assert (
        "Housing Services: Agency report (IMR)" in rows[late[0]] or "Housing Services: Agency report" in rows[late[-1]]
    )
    assert any("Metropolitan Police: Agency report (IMR)" in r and "Received" in r for r in rows)
    assert "dhr " not in html.split('id="agencies"')[1].split('id="tasks"')[0]  # no command line on the page


def test_a_coordinator_scopes_asks_extends_and_closes_from_the_case_page(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("just notified")
    page = f"/cases/{ref}"
    added = form_post(client, page, f"{page}/agencies", {"change": "add", "agency": "housing-services"})
    assert added.status_code == 303
    asked = form_post(client, page, f"{page}/evidence", {"agency": "housing-services", "kind": "scoping_return"})
    assert asked.status_code == 303
    [row] = evidence.list_requests(demo.ctx, ref)
    bad = form_post(
        client, page, f"{page}/evidence/{row['id']}/extend", {"to": "2020-01-01", "agreed_by": "X", "reason": "Y"}
    )
    assert bad.status_code == 422 and "after the current due date" in bad.text
    ok = form_post(
        client,
        page,
        f"{page}/evidence/{row['id']}/extend",
        {"to": "2027-06-01", "agreed_by": "Chair", "reason": "Archive"},
    )
    assert ok.status_code == 303
    no_reason = form_post(client, page, f"{page}/evidence/{row['id']}/not-required", {"reason": ""})
    assert no_reason.status_code == 422 and "reason is required" in no_reason.text
    closed = form_post(client, page, f"{page}/evidence/{row['id']}/not-required", {"reason": "Scoped by the police"})
    assert closed.status_code == 303
    assert evidence.list_requests(demo.ctx, ref)[0]["status"] == "not_required"
    removed = form_post(
        client, page, f"{page}/agencies", {"change": "remove", "agency": "housing-services", "reason": ""}
    )
    assert removed.status_code == 422 and "say why" in removed.text.lower()


def test_the_directory_is_kept_in_the_browser_too(demo, client_for):
    client = client_for("coordinator")
    made = form_post(client, "/agencies", "/agencies", {"name": "Probation Service", "kind": "probation"})
    assert made.status_code == 303
    assert "Probation Service" in client.get("/agencies").text
    again = form_post(client, "/agencies", "/agencies", {"name": "Probation Service", "kind": "probation"})
    assert again.status_code == 422 and "already an agency" in again.text
    assert client_for("agency_contact").get("/agencies").status_code == 403


def test_an_agency_contact_answers_from_requests_for_my_agency_and_sees_no_other_agencys(demo, client_for):
    client = client_for("agency_contact")
    page = client.get("/agency-requests").text
    assert "Requests for my agency" in page and "Adult Social Care" in page
    assert "Metropolitan Police" not in page and "Housing Services" not in page
    case_html = (
        client.get(f"/cases/{demo.ref('gathering evidence')}").text.split('id="agencies"')[1].split('id="tasks"')[0]
    )
    assert "Adult Social Care" in case_html and "Housing Services" not in case_html and "Metropolitan" not in case_html
    mine = [
        r
        for r in evidence.list_requests(demo.ctx, demo.ref("gathering evidence"))
        if r["agency"] == "Adult Social Care"
    ]
    imr = next(r for r in mine if r["kind"] == "imr")
    action = f"/cases/{demo.ref('gathering evidence')}/evidence/{imr['id']}/receive"
    refused = client.post(
        action,
        data={"csrf_token": csrf_of(page), "back": "agency"},
        files={"file": ("x.exe", b"MZ", "application/octet-stream")},
    )
    assert refused.status_code == 422 and "Upload a document" in refused.text
    sent = client.post(
        action,
        data={"csrf_token": csrf_of(page), "back": "agency"},
        files={"file": ("asc-imr.pdf", b"%PDF asc", "application/pdf")},
    )
    assert sent.status_code == 303 and sent.headers["location"].startswith("/agency-requests")
    row = next(r for r in evidence.list_requests(demo.ctx, demo.ref("gathering evidence")) if r["id"] == imr["id"])
    assert row["status"] == "received" and row["recorded_by"] == email_for("agency_contact")
    police = next(
        r
        for r in evidence.list_requests(demo.ctx, demo.ref("gathering evidence"))
        if r["agency"] == "Metropolitan Police" and r["files"]
    )
    file_path = f"/cases/{demo.ref('gathering evidence')}/evidence/{police['id']}/files/{police['files'][0]['id']}"
    assert client.get(file_path).status_code == 404  # another agency's file
    assert client_for("coordinator").get(file_path).status_code == 200
    other = client.post(
        f"/cases/{demo.ref('gathering evidence')}/evidence/{police['id']}/extend",
        data={"csrf_token": csrf_of(page), "to": "2027-01-01", "agreed_by": "me", "reason": "x"},
    )
    assert other.status_code == 403


def test_a_chronology_upload_lists_every_bad_row_and_the_merged_view_flags_duplicates(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("paused for a trial")  # the demo imported two agencies' chronologies, one entry alike
    page = f"/cases/{ref}/chronology"
    html = client.get(page).text
    assert "Merged chronology" in html and "Likely duplicate" in html
    bad = b"Date,Time,Agency,Event,Source\n2024-13-01,,,x,\n2024-01-02,9am,,y,\n"
    token = csrf_of(html)
    response = client.post(
        page, data={"csrf_token": token, "agency": "metropolitan-police"}, files={"file": ("c.csv", bad, "text/csv")}
    )
    assert response.status_code == 422
    assert "Row 2: the date &#39;2024-13-01&#39; is not a date" in response.text
    assert "Row 3: the time &#39;9am&#39; is not a time" in response.text
    assert "Nothing was imported: 2 problem(s)" in response.text
    template = client.get(f"{page}/template.xlsx?agency=metropolitan-police")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    good = b"Date,Time,Agency,Event,Source\n2021-01-02,09:00,,Front desk visit,Log 1\n"
    ok = client.post(
        page, data={"csrf_token": token, "agency": "metropolitan-police"}, files={"file": ("c.csv", good, "text/csv")}
    )
    assert ok.status_code == 303
    assert "Front desk visit" in client.get(page).text
    entry = client.get(page).text.split('id="entry-')[1].split('"')[0]
    excluded = client.post(f"{page}/{entry}/exclude", data={"csrf_token": token, "reason": "Outside the period"})
    assert excluded.status_code == 303 and "Outside the period" in client.get(page).text


def test_a_panel_member_cannot_read_agencies_chronologies(demo, client_for):
    client = client_for("panel_member")
    assert client.get(f"/cases/{demo.ref('paused for a trial')}/chronology").status_code == 403

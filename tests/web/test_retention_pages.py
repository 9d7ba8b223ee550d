"""The retention pages: what is due, legal holds set and released through forms, applying the schedule after a
confirmation step, and the subject-access export, over the same services as the command line."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from dhr_workflow.cases.tables import TaskFile
from dhr_workflow.core import audit
from dhr_workflow.core.tables import AuditEvent, AuditHead
from dhr_workflow.retention import holds
from tests.retention.builders import close_with_records
from tests.web.conftest import csrf_of

LATER = date(2032, 11, 21)


def _head(ctx):
    with ctx.db.read() as session:
        return session.execute(select(AuditHead.seq, AuditHead.hash)).one()


def _post(client, page: str, action: str, data: dict[str, str]):
    return client.post(action, data={**data, "csrf_token": csrf_of(client.get(page).text)})


def test_a_coordinator_sets_and_releases_a_hold_through_the_page(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("published")
    done = _post(client, "/admin/retention", "/admin/retention/holds", {"ref": ref.lower(), "reason": "Inquest open"})
    assert done.status_code == 303 and done.headers["location"] == "/admin/retention?done=held"
    page = client.get("/admin/retention?done=held").text
    assert "Inquest open" in page and ref in page and "under a legal hold" in page
    hold = holds.list_holds(demo.ctx)[0]
    released = _post(
        client, "/admin/retention", f"/admin/retention/holds/{hold.id}/release", {"reason": "Inquest concluded"}
    )
    assert released.status_code == 303
    assert holds.list_holds(demo.ctx) == []
    assert "dhr " not in client.get("/admin/retention").text  # no command line on the page


def test_bad_hold_forms_show_linked_errors_and_change_nothing(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("published")
    before = _head(demo.ctx)
    for data, field in (
        ({"ref": "", "reason": "Inquest open"}, "#ref"),
        ({"ref": "DHR-1999-999", "reason": "Inquest open"}, "#ref"),
        ({"ref": ref, "reason": ""}, "#reason"),
        ({"ref": ref, "reason": "Two\nlines"}, "#reason"),
        ({"ref": ref, "reason": "Hidden \u202e direction"}, "#reason"),
    ):
        response = _post(client, "/admin/retention", "/admin/retention/holds", data)
        assert response.status_code == 422, data
        assert f'href="{field}"' in response.text and "There is a problem" in response.text
    bad_day = client.get("/admin/retention?on-day=31&on-month=2&on-year=2030")
    assert bad_day.status_code == 422 and 'href="#on"' in bad_day.text
    far = client.get("/admin/retention?on-day=1&on-month=1&on-year=9999")
    assert far.status_code == 422
    assert _head(demo.ctx) == before


def test_an_administrator_applies_the_schedule_after_confirming(demo, client_for):
    closed = close_with_records(demo)
    demo.ctx.clock = lambda: LATER  # six years after the case closed
    client = client_for("admin")
    page = client.get("/admin/retention").text
    assert closed.ref in page and "Files uploaded to tasks" in page and "21 November 2032" in page
    confirm = client.get("/admin/retention/apply")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    before = _head(demo.ctx)
    unconfirmed = client.post("/admin/retention/apply", data={"csrf_token": csrf_of(confirm.text)})
    assert unconfirmed.status_code == 422 and 'href="#confirm"' in unconfirmed.text
    assert _head(demo.ctx) == before
    done = client.post("/admin/retention/apply", data={"csrf_token": csrf_of(confirm.text), "confirm": "yes"})
    assert done.status_code == 303 and done.headers["location"].startswith("/admin/retention?applied=")
    with demo.ctx.db.read() as session:
        assert session.get(TaskFile, closed.task_file_id) is None
        assert audit.verify(session).ok
    assert "Nothing is due" in client.get("/admin/retention/apply").text


def test_a_coordinator_sees_due_records_but_may_not_apply_or_export(demo, client_for):
    client = client_for("coordinator")
    assert client.get("/admin/retention").status_code == 200
    assert "Review and apply" not in client.get("/admin/retention").text
    assert client.get("/admin/retention/apply").status_code == 403
    assert client.get("/admin/subject-access").status_code == 403


def test_subject_access_from_the_page_as_a_download_or_to_read(demo, client_for):
    from dhr_workflow.demo.seed import email_for

    client = client_for("admin")
    form = {"who": "user", "email": email_for("coordinator"), "format": "json"}
    download = _post(client, "/admin/subject-access", "/admin/subject-access", form)
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    assert json.loads(download.text)["account"]["email"] == email_for("coordinator")
    readable = _post(client, "/admin/subject-access", "/admin/subject-access", {**form, "format": "html"})
    assert readable.status_code == 200 and "[withheld: security data]" in readable.text
    with demo.ctx.db.read() as session:
        exports = session.scalars(select(AuditEvent).where(AuditEvent.action == "subject_access_exported")).all()
    assert len(exports) == 2
    for data, field in (
        ({"format": "html"}, "#who-user"),
        ({"who": "user", "email": ""}, "#email"),
        ({"who": "user", "email": "nobody@example.org"}, "#email"),
        ({"who": "party", "party": "nonsense"}, "#party"),
        ({"who": "party", "party": "DHR-1999-999:1"}, "#party"),
    ):
        refused = _post(client, "/admin/subject-access", "/admin/subject-access", data)
        assert refused.status_code == 422, data
        assert f'href="{field}"' in refused.text

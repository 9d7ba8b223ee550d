"""Clean errors on every form (issue 16): hostile field values get a 4xx page with an error, never a 500, and the
database is unchanged (row counts of every table and the audit head). A failed request stores nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from dhr_workflow.cases.tables import Task
from dhr_workflow.demo.seed import email_for
from tests.integration.test_clean_errors import BAD_DATES, BAD_LINE, snapshot
from tests.web.conftest import csrf_of

BAD_YEARS = st.one_of(st.integers(min_value=1, max_value=1899), st.integers(min_value=2101, max_value=9999)).map(str)
BAD_EMAILS = st.sampled_from(["", "not-an-email", "a@b", "x" * 400 + "@example.org", "nobody@example.org"])
BAD_NEW_EMAILS = st.sampled_from(["", "not-an-email", "a@b", "x" * 400 + "@example.org", email_for("coordinator")])
BAD_NUMBERS = st.sampled_from(["-1", "99999999999999999999", "1e3", "\u0661\u0662", "12.5", "abc"])


def _notification(bad: dict[str, str]) -> dict[str, str]:
    good = {
        "death-date-day": "1", "death-date-month": "10", "death-date-year": "2026",
        "notified-date-day": "3", "notified-date-month": "10", "notified-date-year": "2026",
        "police_ref": "MET/26/1", "victim_name": "Ann Smith", "pseudonym": "Olive", "victim_age": "40",
    }  # fmt: skip
    return {**good, **bad}


@st.composite
def hostile_form(draw: st.DrawFn, ref: str) -> tuple[str, str, dict[str, str]]:
    """(page with the form, action, fields) with at least one field the form must refuse."""
    forms = [
        ("/cases/new", "/cases/new", lambda: _notification({"death-date-year": draw(BAD_YEARS)})),
        ("/cases/new", "/cases/new", lambda: _notification({"notified-date-year": draw(BAD_YEARS)})),
        ("/cases/new", "/cases/new", lambda: _notification({"pseudonym": draw(BAD_LINE)})),
        ("/cases/new", "/cases/new", lambda: _notification({"police_ref": draw(BAD_LINE)})),
        ("/cases/new", "/cases/new", lambda: _notification({"victim_name": draw(BAD_LINE)})),
        ("/cases/new", "/cases/new", lambda: _notification({"victim_age": draw(BAD_NUMBERS)})),
        (
            f"/cases/{ref}",
            f"/cases/{ref}/tasks",
            lambda: {"title": "Chronology", "assignee": email_for("coordinator"), "due": draw(BAD_DATES)},
        ),
        (
            f"/cases/{ref}",
            f"/cases/{ref}/tasks",
            lambda: {"title": draw(BAD_LINE), "assignee": email_for("coordinator"), "due": "2026-12-20"},
        ),
        (
            f"/cases/{ref}",
            f"/cases/{ref}/tasks",
            lambda: {"title": "Chronology", "assignee": draw(BAD_EMAILS), "due": "2026-12-20"},
        ),
        (
            f"/cases/{ref}",
            f"/cases/{ref}/panel-meetings",
            lambda: {"date": draw(BAD_DATES), "time": "10:00", "minutes": "120"},
        ),
        (
            f"/cases/{ref}",
            f"/cases/{ref}/panel-meetings",
            lambda: {"date": "2026-12-08", "time": "10:00", "minutes": draw(BAD_NUMBERS)},
        ),
        ("/admin/holidays", "/admin/holidays", lambda: {"day": draw(BAD_DATES), "name": "A day", "kind": "holiday"}),
        (
            "/admin/holidays",
            "/admin/holidays",
            lambda: {"day": "2027-05-10", "name": draw(BAD_LINE), "kind": "holiday"},
        ),
        (
            "/admin/users",
            "/admin/users",
            lambda: {"name": draw(BAD_LINE), "email": "new@example.org", "role": "viewer"},
        ),
        (
            "/admin/users",
            "/admin/users",
            lambda: {"name": "New Person", "email": draw(BAD_NEW_EMAILS), "role": "viewer"},
        ),
        ("/admin/retention", "/admin/retention/holds", lambda: {"ref": ref, "reason": draw(BAD_LINE)}),
    ]
    page, action, fields = draw(st.sampled_from(forms))
    return page, action, fields()


def test_fuzz_hostile_form_fields_get_a_4xx_and_change_nothing(demo, client_for) -> None:
    client = client_for("coordinator")  # one signed-in client for every example

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def post_hostile(data: st.DataObject) -> None:
        page, action, fields = data.draw(hostile_form(demo.ref("just notified")))
        token = csrf_of(client.get(page).text)
        before = snapshot(demo.ctx)
        response = client.post(action, data={**fields, "csrf_token": token})
        assert 400 <= response.status_code < 500, (action, fields, response.status_code)
        assert "govuk-error-summary" in response.text or "govuk-heading-l" in response.text
        assert snapshot(demo.ctx) == before, (action, fields)

    post_hostile()


def test_an_unknown_state_filter_is_refused_listing_the_valid_ones(demo, client_for) -> None:
    response = client_for("coordinator").get("/cases", params={"state": "nonsense"})
    assert response.status_code == 422
    assert "notified" in response.text and "is not a state" in response.text


def test_marking_a_done_task_done_again_with_a_file_stores_nothing(demo, client_for) -> None:
    client = client_for("coordinator")
    ref = demo.ref("just notified")
    with demo.ctx.db.read() as s:
        from dhr_workflow.cases.tables import Case

        case_id = s.scalars(select(Case.id).where(Case.ref == ref)).one()
    from dhr_workflow.cases import tasks

    task = tasks.add_task(demo.ctx, ref, "Chronology", email_for("coordinator"), demo.ctx.today())
    tasks.complete_task(demo.ctx, ref, task.id or 0)
    token = csrf_of(client.get(f"/cases/{ref}").text)
    before = snapshot(demo.ctx)
    response = client.post(
        f"/cases/{ref}/tasks/{task.id}/done",
        data={"csrf_token": token},
        files={"file": ("report.pdf", b"%PDF-1.7 a report", "application/pdf")},
    )
    assert 400 <= response.status_code < 500 and "already done" in response.text
    assert snapshot(demo.ctx) == before
    with demo.ctx.db.read() as s:
        assert s.scalars(select(Task.done_on).where(Task.case_id == case_id, Task.id == task.id)).one() is not None

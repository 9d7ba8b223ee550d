"""The case page: dates the GOV.UK way, the timeline in true order without the reads, the access log for
coordinators and admins only, email addresses only for those who need them, the stage filter, and a 409 that keeps
what was typed and says what changed."""

from __future__ import annotations

import re
from datetime import timedelta

from dhr_workflow.cases import lifecycle
from dhr_workflow.demo.seed import email_for
from dhr_workflow.web.templating import long_date, short_date
from tests.web.conftest import csrf_of


def _version(html: str) -> str:
    return html.split('name="version" value="')[1].split('"')[0]


def test_dates_are_shown_the_gov_uk_way():
    assert long_date("2026-12-01") == "1 December 2026"
    assert short_date("2026-12-01") == "1 Dec 2026"
    assert long_date("2026-11-20T10:04:00+00:00") == "20 November 2026"
    assert long_date(None) == "" and long_date("not a date") == "not a date"


def test_the_timeline_is_in_true_order_and_reads_go_to_the_access_log(demo, client_for, today):
    ref = demo.ref("just notified")
    by = email_for("coordinator")
    lifecycle.set_fields(demo.ctx, ref, {"police_force": "Kent Police"}, by=by)  # recorded first, happened today
    earlier = today - timedelta(days=1)
    lifecycle.fire(demo.ctx, ref, "start_scoping", on=earlier, by=by)  # recorded second, happened yesterday
    viewer = client_for("coordinator")
    viewer.get(f"/cases/{ref}")  # a read
    page = viewer.get(f"/cases/{ref}").text
    timeline = page.split('id="timeline"')[1].split('id="access-log"')[0]
    assert "Viewed" not in timeline and "viewed" not in timeline
    assert timeline.index("Case notified") < timeline.index("Start scoping") < timeline.index("Fields set")
    assert f"<strong>{long_date(earlier)}</strong>: Start scoping" in timeline
    # both dates when they differ (recorded_at is the real clock, not the tests' fixed today)
    assert re.search(r"Start scoping\s*<span[^>]*>by Casey Coordinator, recorded \d{1,2} [A-Z][a-z]+ \d{4}<", timeline)
    assert "by Casey Coordinator" in timeline and by not in timeline  # names, not email addresses
    log = page.split('id="access-log"')[1]
    assert "Viewed real names" in log and "Casey Coordinator" in log


def test_only_coordinators_and_admins_see_the_access_log(demo, client_for):
    ref = demo.ref("gathering evidence")
    for role, sees in (("admin", True), ("coordinator", True), ("csp_chair", False), ("reviewer", False),
                       ("panel_member", False), ("agency_contact", False), ("viewer", False)):  # fmt: skip
        page = client_for(role).get(f"/cases/{ref}").text
        assert ('id="access-log"' in page) is sees, role


def test_panel_members_do_not_see_other_peoples_email_addresses(demo, client_for):
    ref = demo.ref("gathering evidence")
    panel = client_for("panel_member").get(f"/cases/{ref}").text
    assert email_for("reviewer") not in panel and email_for("coordinator") not in panel
    coordinator = client_for("coordinator").get(f"/cases/{ref}").text
    assert email_for("reviewer") in coordinator.split('id="people"')[1]


def test_the_case_list_filters_by_a_select_of_the_real_stages(demo, client_for):
    client = client_for("coordinator")
    page = client.get("/cases").text
    assert '<select class="govuk-select" id="state" name="state"' in page
    assert (
        '<option value="evidence_gathering">Evidence: Agency reports, chronologies and family involvement</option>'
        in page
    )
    assert "decision_pending" not in page
    filtered = client.get("/cases?state=evidence_gathering").text
    assert demo.ref("gathering evidence") in filtered and demo.ref("just notified") not in filtered
    assert '<option value="evidence_gathering" selected>' in filtered


def test_a_conflict_shows_the_form_again_with_what_was_typed_and_what_changed(demo, client_for):
    client = client_for("csp_chair")  # the decision is the CSP chair's (issue 13)
    ref = demo.ref("just notified")
    page = client.get(f"/cases/{ref}").text
    seen = page.split('name="seen" value="')[1].split('"')[0]
    lifecycle.fire(demo.ctx, ref, "start_scoping", by=email_for("coordinator"))  # someone else, meanwhile
    response = client.post(
        f"/cases/{ref}/actions",
        data={"csrf_token": csrf_of(page), "trigger": "decide_review", "version": _version(page), "seen": seen,
              "field_rationale": "Intimate partner; criteria met"},
    )  # fmt: skip
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    changed = response.text.split("What changed meanwhile")[1].split("</ul>")[0]
    assert "Start scoping" in changed and "by Casey" in changed
    assert "Intimate partner; criteria met</textarea>" in response.text  # what was typed is still there
    fresh = _version(response.text)
    assert fresh != _version(page)  # sending it again now goes through
    again = client.post(
        f"/cases/{ref}/actions",
        data={"csrf_token": csrf_of(response.text), "trigger": "decide_review", "version": fresh,
              "field_rationale": "Intimate partner; criteria met"},
    )  # fmt: skip
    assert again.status_code == 303


def test_my_tasks_link_to_the_task_on_its_case_with_the_due_date_in_words(demo, client_for):
    page = client_for("panel_member").get("/tasks").text
    ref = demo.ref("gathering evidence")
    assert f'<a class="govuk-link" href="/cases/{ref}#task-' in page and "&lt;a" not in page
    assert "24 November 2026" in page  # due four days after the demo's today, 20 November 2026

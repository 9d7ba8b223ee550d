"""No dead ends: what a step needs can be given where it is needed, refusals say which field or button supplies
it (the command line names the command instead), and no rendered page shows a command line."""

from __future__ import annotations

import re

from dhr_workflow.demo.seed import email_for
from dhr_workflow.people.roles import ROLES
from tests.web.conftest import csrf_of, form_post

COMMAND_LINE = re.compile(r"\bdhr\s+[a-z][a-z-]*|--set\b|--[a-z]+-?[a-z]*=")


def _pages_for(demo, role: str) -> list[str]:
    paths = [
        "/",
        "/cases",
        "/tasks",
        "/plan",
        "/plan/actions",
        "/plan/actions/new",
        "/plan/commentary",
        "/plan/meetings",
    ]
    paths += ["/accessible-formats/request", "/accessibility", "/privacy"]
    if role in ("admin", "coordinator"):
        paths += ["/admin/users", "/admin/holidays", "/admin/access-requests?show=all", "/admin/retention"]
    if role == "admin":
        paths += ["/admin/retention/apply", "/admin/subject-access"]
        paths += ["/admin/site-pages", "/admin/site-pages/accessibility", "/admin/site-pages/privacy"]
    paths += [f"/cases/{ref}" for ref in demo.result.cases.values()]
    return paths


def test_no_rendered_page_shows_a_command_line(demo, client_for):
    for role in ROLES:
        client = client_for(role)
        for path in _pages_for(demo, role):
            response = client.get(path)
            if response.status_code != 200:
                continue  # 404s for cases they are not on, 403s for the Board-only plan pages: checked elsewhere
            found = COMMAND_LINE.search(response.text)
            assert found is None, (role, path, found.group(0) if found else "")
    refused = client_for("coordinator")
    page = f"/cases/{demo.ref('gathering evidence')}"
    response = form_post(refused, page, f"{page}/actions", {"trigger": "start_drafting", "version": "999"})
    assert COMMAND_LINE.search(response.text) is None


def test_the_command_line_pattern_catches_what_it_must():
    assert COMMAND_LINE.search("run `dhr publish check DHR-2026-001` and fix what it finds")
    assert COMMAND_LINE.search("hand them over with --set handover_reason=...")
    assert not COMMAND_LINE.search('<div class="dhr-table-region">DHR-2026-001</div>')


def test_a_blocked_step_links_to_the_field_that_supplies_it_and_the_field_can_be_given_there(demo, client_for):
    from dhr_workflow.cases import lifecycle

    ref = demo.ref("just notified")
    coordinator = email_for("coordinator")
    lifecycle.fire(demo.ctx, ref, "decide_review", by=email_for("csp_chair"), values={"rationale": "Criteria met"})
    lifecycle.fire(demo.ctx, ref, "inform_home_office", by=coordinator)
    client = client_for("coordinator")
    page = client.get(f"/cases/{ref}").text
    blocked = page.split('id="blocked"')[1].split("</ul>\n")[0]
    assert "The chair&#39;s independence statement has not been received" in blocked
    assert 'href="#details-chair_independence_statement_received"' in blocked
    # the link lands on a real field: the first radio of the generated "Case details" form
    assert 'id="details-chair_independence_statement_received"' in page
    assert 'type="radio"' in page.split('id="details-chair_independence_statement_received"')[1][:400] or (
        'type="radio"' in page.split('id="details-chair_independence_statement_received"')[0][-400:]
    )
    saved = form_post(
        client,
        f"/cases/{ref}",
        f"/cases/{ref}/details",
        {"form": "details", "version": _version(page), "field_chair_independence_statement_received": "yes"},
    )
    assert saved.status_code == 303
    after = client.get(f"/cases/{ref}").text
    assert 'id="action-appoint_chair"' in after  # the step is now offered, asking for the chair's name
    assert 'id="action-appoint_chair-chair_name"' in after


def test_the_command_line_names_the_command_for_the_same_refusal(demo, cli):
    from dhr_workflow.cases import lifecycle

    ref = demo.ref("just notified")
    lifecycle.fire(demo.ctx, ref, "decide_review", by=email_for("csp_chair"), values={"rationale": "Criteria met"})
    lifecycle.fire(demo.ctx, ref, "inform_home_office", by=email_for("coordinator"))
    result = cli("case", "fire", ref, "appoint_chair", "--set", "chair_name=Dr A Chair")
    assert result.exit_code == 5
    assert f"dhr case set {ref} chair_independence_statement_received=yes" in result.output


def _version(html: str) -> str:
    return html.split('name="version" value="')[1].split('"')[0]


def test_a_required_field_left_empty_is_named_by_its_label_inline_and_in_the_summary(demo, client_for):
    client = client_for("csp_chair")
    ref = demo.ref("just notified")
    page = client.get(f"/cases/{ref}").text
    response = client.post(
        f"/cases/{ref}/actions",
        data={
            "csrf_token": csrf_of(page),
            "trigger": "decide_review",
            "version": _version(page),
            "field_rationale": "",
        },
    )
    assert response.status_code == 422
    assert '<a href="#action-decide_review-rationale">Enter reasons for the decision</a>' in response.text
    assert 'id="action-decide_review-rationale-error"' in response.text  # inline, by the field
    assert 'autofocus="autofocus"' in response.text.split('class="govuk-error-summary')[1][:300]


def test_a_date_is_entered_in_a_date_input_and_its_errors_use_the_label(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("just notified")
    page = client.get(f"/cases/{ref}").text
    assert 'name="on-day"' in page and 'name="on-month"' in page and 'name="on-year"' in page
    data = {"csrf_token": csrf_of(page), "trigger": "start_scoping", "version": _version(page)}
    wrong = client.post(f"/cases/{ref}/actions", data={**data, "on-day": "31", "on-month": "2", "on-year": "2026"})
    assert wrong.status_code == 422
    assert "The date it happened must be a real date" in wrong.text
    assert 'href="#action-start_scoping-on"' in wrong.text
    assert 'value="31"' in wrong.text  # what was typed is kept
    future = client.post(f"/cases/{ref}/actions", data={**data, "on-day": "1", "on-month": "1", "on-year": "2030"})
    assert "The date it happened must be today or in the past" in future.text
    done = client.post(f"/cases/{ref}/actions", data={**data, "on-day": "16", "on-month": "11", "on-year": "2026"})
    assert done.status_code == 303
    assert "<strong>16 November 2026</strong>: Start scoping" in client.get(f"/cases/{ref}").text


def test_the_publication_check_button_lists_what_it_found_and_where(demo, client_for):
    from dhr_workflow.findings import sections

    client = client_for("coordinator")
    ref = demo.ref("published")
    page = client.get(f"/cases/{ref}").text
    assert "Run the publication check" in page
    clean = client.post(f"/cases/{ref}/publication-check", data={"csrf_token": csrf_of(page)})
    assert clean.status_code == 200 and "The publication check passed" in clean.text
    real_name = page.split("(real name: ")[1].split(")")[0]
    # The decision's rationale stays out of public documents (issue 13): a chair's section is where a name can leak.
    sections.write_section(demo.ctx, ref, "analysis", f"{real_name} told her GP she was afraid")
    page = client.get(f"/cases/{ref}").text
    found = client.post(f"/cases/{ref}/publication-check", data={"csrf_token": csrf_of(page)})
    assert "The publication check found" in found.text
    findings = found.text.split('id="publication-check-result"')[1]
    assert real_name.split()[0] in findings and "(PDF)" in findings and "(DOCX)" in findings


def test_people_who_cannot_see_real_names_have_no_publication_check(demo, client_for):
    client = client_for("panel_member")
    ref = demo.ref("gathering evidence")
    page = client.get(f"/cases/{ref}").text
    assert "Run the publication check" not in page
    response = client.post(f"/cases/{ref}/publication-check", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 403


def test_case_details_left_empty_are_not_changes_and_a_bad_date_is_named_by_its_label(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("gathering evidence")
    page = client.get(f"/cases/{ref}").text
    data = {"form": "details", "version": _version(page), "field_police_force": "", "field_chair_name": "Dr B Chair"}
    saved = form_post(client, f"/cases/{ref}", f"/cases/{ref}/details", data)
    assert saved.status_code == 303
    page = client.get(f"/cases/{ref}").text
    assert 'value="Dr B Chair"' in page
    bad = form_post(
        client,
        f"/cases/{ref}",
        f"/cases/{ref}/details",
        {"form": "details", "version": _version(page), "field_review_period_end-day": "40",
         "field_review_period_end-month": "1", "field_review_period_end-year": "2025"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert '<a href="#details-review_period_end">End of the period under review must be a real date' in bad.text


def test_service_advice_for_the_command_line_never_reaches_a_page():
    from dhr_workflow.web.forms import without_commands

    assert without_commands("the document needs rationale. Fill them with `dhr case set DHR-1 rationale=...`.") == (
        "the document needs rationale."
    )
    assert without_commands("closing an action needs approval: use `dhr action close ID --by EMAIL`") == (
        "closing an action needs approval"
    )
    assert "--set" not in without_commands("rationale is required (give it with --set rationale=...)")
    plain = "The date it happened must be a real date, for example 27 3 2026"
    assert without_commands(plain) == plain

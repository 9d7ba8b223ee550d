"""One case from police notification to closed, in real Chromium, by the keyboard alone: each role does its own part
(coordinator, CSP chair, independent chair, panel member, agency contact) and nothing needs a terminal. Every page
visited passes axe (WCAG 2.2 AA) at 1,280 and at 320 CSS px, and nothing scrolls sideways at 320 px."""

from __future__ import annotations

import pytest

from dhr_workflow.demo.seed import email_for
from dhr_workflow.web.limits import RateLimiter
from dhr_workflow.web.pages_auth import ATTEMPTS_PER_MINUTE
from tests.browser import axe_violations
from tests.web.conftest import PASSWORD
from tests.web.test_browser import (  # noqa: F401 - fixtures and helpers
    module_chromium,
    page,
    press_on,
    server,
    tab_to,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.single_db, pytest.mark.timeout(1200)]

WIDE, NARROW = 1280, 320


@pytest.fixture(autouse=True)
def each_person_at_their_own_address(app) -> None:
    """The five roles sign in 12 times from one browser on 127.0.0.1; in life each has an address of their own. The
    per-address limit (10 a minute; tests/web/test_abuse_limits.py holds it) refused the eleventh sign-in whenever
    eleven fell within one minute, as they do once the journey runs in about a minute. The per-account limit stays."""
    app.state.sign_in_limiter = RateLimiter(ATTEMPTS_PER_MINUTE * 2)


def checked(pg) -> None:
    """axe at both widths, and no sideways scrolling at 320 px (data tables scroll inside their own region)."""
    for width in (WIDE, NARROW):
        pg.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(pg)
        assert violations == [], f"{pg.url} at {width}px: {violations}"
    overflow = pg.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{pg.url} scrolls sideways by {overflow}px at 320px"
    pg.set_viewport_size({"width": WIDE, "height": 900})


def go(pg, selector: str, key: str = "Enter") -> None:
    press_on(pg, selector, key)
    checked(pg)


def sign_in(pg, role: str) -> None:
    pg.goto("/login")
    checked(pg)
    type_into(pg, "#email", email_for(role))
    type_into(pg, "#password", PASSWORD)
    go(pg, "form[action='/login'] button[type=submit]")


def sign_out(pg) -> None:
    go(pg, "form[action='/logout'] button")


def open_case(pg, ref: str) -> None:
    go(pg, "a[href='/cases']")
    go(pg, f"a[href='/cases/{ref}']")


def step(pg, trigger: str, fields: dict[str, str] | None = None) -> None:
    """Record a step of the workflow from its form on the case page."""
    for selector, value in (fields or {}).items():
        type_into(pg, selector, value)
    go(pg, f"#action-{trigger} button")
    assert "The case moved on." in pg.content(), pg.content()[:3000]


def open_details(pg, form_action: str) -> None:
    tab_to(pg, f"details:has(form[action$='{form_action}']) > summary")
    pg.keyboard.press("Enter")


def choose(pg, selector: str, typed: str, value: str) -> None:
    """A select, by the keyboard: focus it and type the start of the option's text."""
    tab_to(pg, selector)
    pg.keyboard.type(typed)
    assert pg.evaluate("(s) => document.querySelector(s).value", selector) == value


def add_person(pg, role: str, typed: str) -> None:
    open_details(pg, "/members")
    type_into(pg, "#member-email", email_for(role))
    choose(pg, "#member-role", typed, role)
    go(pg, "form[action$='/members'] button")
    assert "The person was added to the case." in pg.content()


def add_task(pg, title: str, role: str, kind: str, typed_kind: str, document: str = "") -> None:
    open_details(pg, "/tasks")
    type_into(pg, "#task-title", title)
    choose(pg, "#task-kind", typed_kind, kind)
    type_into(pg, "#task-assignee", email_for(role))
    for selector, value in (("#task-due", "4"), ("#task-due-month", "12"), ("#task-due-year", "2026")):
        type_into(pg, selector, value)
    if document:
        choose(pg, "#task-document", document, "terms_of_reference")
    go(pg, "form[action$='/tasks'] button")
    assert "The task was added." in pg.content()


def test_one_case_from_police_notification_to_closed_by_each_role_with_the_keyboard(page):  # noqa: F811
    pg = page
    # The coordinator logs the police notification and puts the people on the case.
    sign_in(pg, "coordinator")
    go(pg, "a[href='/cases/new']")
    for selector, value in (
        ("#death-date-day", "1"), ("#death-date-month", "11"), ("#death-date-year", "2026"),
        ("#notified-date-day", "4"), ("#notified-date-month", "11"), ("#notified-date-year", "2026"),
        ("#police_ref", "KENT/2026/77"), ("#victim_name", "Harriet Example"), ("#pseudonym", "Juniper"),
    ):  # fmt: skip
        type_into(pg, selector, value)
    go(pg, "form[action='/cases/new'] button")
    assert "The notification was logged" in pg.content()
    ref = pg.url.rsplit("/cases/", 1)[1].split("?")[0]
    for role, typed in (("csp_chair", "csp"), ("reviewer", "rev"), ("panel_member", "pan"), ("agency_contact", "age")):
        add_person(pg, role, typed)
    step(pg, "start_scoping")
    sign_out(pg)

    # The CSP chair records the decision to hold a review.
    sign_in(pg, "csp_chair")
    open_case(pg, ref)
    step(pg, "decide_review", {"#action-decide_review-rationale": "Intimate partner; the criteria are met"})
    sign_out(pg)

    # The coordinator tells the Home Office and appoints the chair once the independence statement is in.
    sign_in(pg, "coordinator")
    open_case(pg, ref)
    step(pg, "inform_home_office")
    assert 'href="#details-chair_independence_statement_received"' in pg.content()  # the refusal links to the field
    go(pg, "a[href='#details-chair_independence_statement_received']")
    tab_to(pg, "input[name=field_chair_independence_statement_received][value=yes]")
    pg.keyboard.press("Space")
    go(pg, "form[action$='/details'] button")
    assert "The case details are saved." in pg.content()
    step(pg, "appoint_chair", {"#action-appoint_chair-chair_name": "Dr A Independent"})
    sign_out(pg)

    # The independent chair convenes the panel, agrees the terms of reference and asks the agencies.
    sign_in(pg, "reviewer")
    open_case(pg, ref)
    step(pg, "convene_panel")
    step(pg, "agree_terms_of_reference", {
        "#action-agree_terms_of_reference-review_period_start": "1",
        "#action-agree_terms_of_reference-review_period_start-month": "1",
        "#action-agree_terms_of_reference-review_period_start-year": "2021",
    })  # fmt: skip
    step(pg, "request_agency_reports")
    sign_out(pg)

    # The coordinator gives the agency contact their report and the panel member the terms of reference to read.
    sign_in(pg, "coordinator")
    open_case(pg, ref)
    add_task(pg, "Agency report from the police", "agency_contact", "agency_report", "age")
    add_task(pg, "Comment on the terms of reference", "panel_member", "general", "gen", document="Terms")
    # Drafting waits for every in-scope agency's report (issue 12): the coordinator puts Adult Social Care in scope
    # and asks it for its agency report.
    open_details(pg, "/agencies")
    choose(pg, "#scope-agency", "Adu", "adult-social-care")
    go(pg, "form:has(input[name='change'][value='add']) button")
    assert "The agencies in scope have changed." in pg.content()
    open_details(pg, "/evidence")
    assert pg.evaluate("() => document.querySelector('#evidence-kind').value") == "imr"
    go(pg, "form[action$='/evidence'] button")
    assert "The request was recorded" in pg.content()
    sign_out(pg)

    # The agency contact sends their report.
    sign_in(pg, "agency_contact")
    go(pg, "a[href='/tasks']")
    go(pg, f"form[action^='/cases/{ref}/tasks/'] button")  # their task on this case, not another
    assert "The task is marked as done." in pg.content()
    # ...and records their agency's answer to the request on the case: it holds nothing more (a nil return).
    open_case(pg, ref)
    open_details(pg, "/receive")
    tab_to(pg, "input[name='nil_return']")
    pg.keyboard.press("Space")
    go(pg, "form[action$='/receive'] button")
    assert "What the agency sent is recorded." in pg.content()
    sign_out(pg)

    # The panel member opens exactly the document shared with their task, then marks it done.
    sign_in(pg, "panel_member")
    go(pg, "a[href='/tasks']")
    tab_to(pg, "a[href*='/documents/'][href$='.pdf']")
    with pg.expect_download() as download:
        pg.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith(f"{ref}-terms_of_reference-v")
    go(pg, f"form[action^='/cases/{ref}/tasks/'] button")  # their task on this case, not another
    assert "The task is marked as done." in pg.content()
    sign_out(pg)

    # The independent chair drafts the report with the family and the panel.
    sign_in(pg, "reviewer")
    open_case(pg, ref)
    for trigger in ("start_drafting", "share_draft_with_family", "record_family_comments"):
        step(pg, trigger)
    # The panel agrees the draft once the agencies have checked it for factual accuracy (issue 12): the chair makes
    # the draft, circulates that stored version to the agency in scope, and the agency contact answers.
    tab_to(pg, f"a[href='/cases/{ref}/documents/overview_report.pdf']")
    with pg.expect_download():
        pg.keyboard.press("Enter")
    open_case(pg, ref)
    open_details(pg, "/accuracy")
    tab_to(pg, "input[name='version']")
    pg.keyboard.press("Space")
    tab_to(pg, "input[name='agency'][value='adult-social-care']")
    pg.keyboard.press("Space")
    go(pg, "form[action$='/accuracy'] button")
    assert "Recorded." in pg.content() and "Awaited" in pg.content()
    sign_out(pg)
    sign_in(pg, "agency_contact")
    go(pg, "a[href='/agency-requests']")
    tab_to(pg, "input[name='answer'][value='comments']")  # Tab enters a radio group; the arrow keys choose in it
    pg.keyboard.press("ArrowDown")
    assert pg.evaluate("() => document.querySelector(\"input[value='no_comments']\").checked")
    go(pg, "form[action*='/accuracy/answers/'] button")
    assert "factual-accuracy answer is recorded" in pg.content()
    sign_out(pg)
    sign_in(pg, "reviewer")
    open_case(pg, ref)
    step(pg, "panel_agree")
    sign_out(pg)

    # The CSP chair signs it off.
    sign_in(pg, "csp_chair")
    open_case(pg, ref)
    step(pg, "csp_sign_off")
    sign_out(pg)

    # The coordinator submits it, records the outcome, checks the publication documents, publishes and closes.
    sign_in(pg, "coordinator")
    open_case(pg, ref)
    step(pg, "submit_to_home_office")
    step(pg, "qa_publish")
    go(pg, "#run-publication-check")
    assert "The publication check passed" in pg.content()
    step(pg, "publish", {"#action-publish-publication_url": "https://csp.example.org/dhr/juniper"})
    step(pg, "close")
    assert "Closed" in pg.locator("h1").inner_text()
    assert "Nothing can happen next: the case is closed." in pg.content()


def test_every_other_page_passes_axe_and_reflows_at_320_px(page, demo):  # noqa: F811
    sign_in(page, "coordinator")
    for path in (
        "/cases?overdue=true",
        f"/cases/{demo.ref('paused for a trial')}",
        f"/cases/{demo.ref('published')}",
        "/admin/users",
        "/admin/holidays",
        "/admin/access-requests?show=all",
        "/plan",
        "/plan/actions",
        "/plan/commentary",
        "/plan/meetings",
        "/accessibility",
        "/privacy",
        "/accessible-formats/request",
        "/no-such-page",
    ):
        page.goto(path)
        checked(page)


def test_after_a_failed_submit_the_error_summary_has_focus_and_links_to_the_field(page):  # noqa: F811
    sign_in(page, "coordinator")
    go(page, "a[href='/cases/new']")
    go(page, "form[action='/cases/new'] button")
    assert page.evaluate("() => document.activeElement.classList.contains('govuk-error-summary')")
    page.keyboard.press("Tab")  # the first link in the summary
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "death-date-day"

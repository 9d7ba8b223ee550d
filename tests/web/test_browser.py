"""Real Chromium against a real uvicorn server: the three journeys of the issue, driven by the keyboard alone
(Tab to reach things, typing, Enter/Space to act), with axe-core (WCAG 2.2 AA) run on every page visited."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from dhr_workflow.demo.seed import email_for
from tests.browser import axe_violations, chromium
from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.single_db]
MAX_TABS = 400


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(app, demo) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, for the length of one test."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def module_chromium() -> Iterator[object]:
    """One Chromium for the browser tests of a module that run one after another: launching one (and Playwright's
    driver) cost about a second a test. Not kept for the session: while Playwright's sync API is open it marks its
    event loop as running in this thread, which later tests (asyncio.run) must not find; pytest closes a module's
    fixtures as soon as the next test is from another module."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(server, module_chromium) -> Iterator[object]:
    """A page in a browser context of the test's own: no cookies, storage or cache from an earlier test."""
    # bypass_csp lets axe-core be injected; the CSP itself is checked by test_pages
    context = module_chromium.new_context(base_url=server, bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def tab_to(page, selector: str) -> None:
    """Press Tab until `selector` has focus: proves it can be reached with the keyboard, in page order."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab on {page.url}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")  # replace whatever a failed attempt kept
    page.keyboard.type(text)


def press_on(page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press(key)


def keyboard_sign_in(page, email: str) -> None:
    page.goto("/login")
    accessible(page)
    type_into(page, "#email", email)
    type_into(page, "#password", PASSWORD)
    press_on(page, "form[action='/login'] button[type=submit]")


def test_the_officer_logs_a_notification_and_records_the_decision(page):
    keyboard_sign_in(page, email_for("csp_chair"))  # the decision is the CSP chair's (workflows/dhr.yaml `roles`)
    assert page.locator("h1").inner_text() == "Dashboard"
    accessible(page)
    press_on(page, "a[href='/cases/new']")
    accessible(page)
    press_on(page, "form[action='/cases/new'] button")  # nothing filled in: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    accessible(page)
    for field, value in (
        ("#death-date-day", "1"),
        ("#death-date-month", "11"),
        ("#death-date-year", "2026"),
        ("#notified-date-day", "4"),
        ("#notified-date-month", "11"),
        ("#notified-date-year", "2026"),
        ("#police_ref", "MET/2026/4242"),
        ("#victim_name", "Harriet Example"),
        ("#pseudonym", "Juniper"),
        ("#victim_age", "47"),
    ):
        type_into(page, field, value)
    press_on(page, "form[action='/cases/new'] button")
    assert "The notification was logged" in page.content()
    assert "Police notification received" in page.locator("h1").inner_text()
    accessible(page)
    type_into(page, "#action-decide_review-rationale", "Intimate partner; criteria met")
    press_on(page, "#action-decide_review button")
    assert "Decided to hold a review" in page.locator("h1").inner_text()
    assert "The case moved on." in page.content()
    accessible(page)


def test_a_panel_member_sees_only_their_task_and_completes_it(page, demo):
    keyboard_sign_in(page, email_for("panel_member"))
    accessible(page)
    press_on(page, "a[href='/tasks']")
    accessible(page)
    tasks = page.locator(".govuk-summary-card")  # one card a task: nothing to scroll sideways at 320 px
    assert tasks.count() == 1
    assert "Comment on the draft chronology" in tasks.first.inner_text()
    assert "Agency report" not in page.content()
    press_on(page, ".govuk-summary-card form button", key="Space")
    assert "The task is marked as done." in page.content()
    assert "You have no open tasks." in page.content()
    accessible(page)
    page.goto(f"/cases/{demo.ref('gathering evidence')}")
    accessible(page)
    page.goto(f"/cases/{demo.ref('just notified')}")  # not on this case: it does not exist for them
    assert "Page not found" in page.locator("h1").inner_text()
    accessible(page)


def test_the_coordinator_arranges_a_panel_meeting_with_the_keyboard(page, demo):
    keyboard_sign_in(page, email_for("coordinator"))
    page.goto(f"/cases/{demo.ref('gathering evidence')}")
    tab_to(page, "details:has(form[action$='/panel-meetings']) > summary")
    page.keyboard.press("Enter")  # opens the details
    press_on(page, "form[action$='/panel-meetings'] button")  # nothing filled in: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    accessible(page)
    for field, value in (("#meeting-date", "8"), ("#meeting-date-month", "12"), ("#meeting-date-year", "2026")):
        type_into(page, field, value)  # a GOV.UK date input: its day box carries the field's id
    type_into(page, "#meeting-time", "10:00")
    press_on(page, "form[action$='/panel-meetings'] button")
    assert "invitations are on their way" in page.content()
    meetings = page.locator("#panel-meetings + .dhr-table-region table").inner_text()
    assert "Tuesday 8 December 2026, 10:00 to 12:00 (UK time)" in meetings
    accessible(page)  # with the meeting's move and cancel forms on the page


def test_every_other_page_passes_axe(page, demo):
    keyboard_sign_in(page, email_for("coordinator"))
    for path in (
        "/cases",
        "/cases?overdue=true",
        f"/cases/{demo.ref('paused for a trial')}",
        f"/cases/{demo.ref('published')}",
        "/tasks",
        "/admin/users",
        "/admin/holidays",
        "/admin/retention",
        "/accessible-formats/request",
        "/no-such-page",
    ):
        page.goto(path)
        accessible(page)


def test_the_administrators_retention_pages_pass_axe(page, demo):
    from dhr_workflow.retention import holds

    holds.set_hold(demo.ctx, demo.ref("published"), "Inquest open", by=email_for("coordinator"))
    keyboard_sign_in(page, email_for("admin"))
    for path in ("/admin/retention", "/admin/retention/apply", "/admin/subject-access"):
        page.goto(path)
        accessible(page)
    press_on(page, "form[action='/admin/subject-access'] button")  # nothing chosen: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    accessible(page)


def choose_radio(page, name: str, value: str) -> None:
    """Tab into a radio group, then arrow keys to the option: how keyboard users choose a radio."""
    tab_to(page, f"input[name={name}]")
    for _ in range(20):
        if page.evaluate("(v) => document.activeElement.value === v", value):
            page.keyboard.press("Space")
            assert page.evaluate("() => document.activeElement.checked")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no {name} option {value}")


def test_a_member_of_the_public_requests_an_accessible_format(page):
    page.goto("/accessible-formats/request")
    accessible(page)
    press_on(page, "form[action='/accessible-formats/request'] button")  # nothing filled in: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    accessible(page)
    type_into(page, "#document", "The overview report published in 2025")
    choose_radio(page, "format", "large_print")
    type_into(page, "#name", "Sam Public")
    type_into(page, "#email", "sam@example.org")
    press_on(page, "form[action='/accessible-formats/request'] button")
    assert "Request received" in page.content()
    accessible(page)


def test_each_test_gets_a_signed_out_context_of_its_own_in_the_shared_browser(page, module_chromium):
    assert module_chromium.contexts == [page.context]  # the contexts of earlier tests in this module are closed
    assert page.context.cookies() == []
    page.goto("/tasks")
    assert page.url.split("?")[0].endswith("/login")

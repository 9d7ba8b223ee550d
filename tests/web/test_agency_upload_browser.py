"""An agency contact sends their agency report (IMR) from "Requests for my agency" in real Chromium, by the keyboard
alone (Tab, Enter, Space; the operating system's file dialog cannot be driven from the page, so the file is given to
the focused file input), at 1,280 and at 320 CSS px. Every page visited passes axe (WCAG 2.2 AA) at both widths, the
file is stored, and the request then shows as received."""

from __future__ import annotations

import pytest

from dhr_workflow.agencies import evidence
from dhr_workflow.demo.seed import email_for
from tests.web.test_browser import module_chromium, page, server, tab_to  # noqa: F401 - fixtures and helpers
from tests.web.test_journey_browser import NARROW, WIDE, checked, go, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.single_db, pytest.mark.timeout(600)]
CASE = "gathering evidence"
REPORT = b"%PDF-1.4 Adult Social Care agency report (IMR), keyboard test\n"


def _their_imr(demo) -> dict:
    return next(
        r
        for r in evidence.list_requests(demo.ctx, demo.ref(CASE))
        if r["agency"] == "Adult Social Care" and r["kind"] == "imr"
    )


def _open_requests_page(pg, width: int) -> None:
    pg.set_viewport_size({"width": width, "height": 900})
    if pg.locator(".govuk-service-navigation__toggle").is_visible():  # the navigation folded into a menu button
        tab_to(pg, ".govuk-service-navigation__toggle")
        pg.keyboard.press("Enter")
    tab_to(pg, "a[href='/agency-requests']")
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    checked(pg)
    pg.set_viewport_size({"width": width, "height": 900})


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_an_agency_contact_sends_their_imr_by_the_keyboard_alone(page, demo, width):  # noqa: F811
    pg = page
    imr = _their_imr(demo)
    assert imr["open"] and not imr["files"]
    sign_in(pg, "agency_contact")
    _open_requests_page(pg, width)
    card = f"#request-{imr['id']}"
    assert "Agency report (IMR)" in pg.inner_text(card)
    tab_to(pg, f"#receive-{imr['id']}-file")
    pg.locator(":focus").set_input_files(
        files=[{"name": "asc-imr.pdf", "mimeType": "application/pdf", "buffer": REPORT}]
    )
    go(pg, f"{card} form[action$='/receive'] button")
    assert "What your agency sent is recorded." in pg.content()
    assert "Received" in pg.inner_text(card)
    row = _their_imr(demo)
    assert row["status"] == "received" and row["recorded_by"] == email_for("agency_contact")
    [stored] = row["files"]
    assert stored["filename"] == "asc-imr.pdf" and stored["size"] == len(REPORT)
    sent = evidence.open_file(demo.ctx, demo.ref(CASE), row["id"], stored["id"], None)
    assert sent.content == REPORT

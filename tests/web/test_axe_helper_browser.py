"""tests/browser.py's axe_violations, on which every accessibility check of the browser tests rests: axe-core is
injected once per document and reused by later checks of that document (at another width, or after the content was
replaced), so each of those later checks must still find what is wrong."""

from __future__ import annotations

import pytest

from tests.browser import axe_violations, chromium

pytestmark = [pytest.mark.browser, pytest.mark.single_db]

PAGE = '<!doctype html><html lang="en"><head><title>Form</title></head><body><main><h1>Form</h1>{}</main></body></html>'
UNLABELLED = PAGE.format('<input id="name" type="text">')
LABELLED = PAGE.format('<label for="name">Name</label><input id="name" type="text">')


def ids(violations: list[dict]) -> set[str]:
    return {v["id"] for v in violations}


def test_axe_finds_an_unlabelled_field_on_every_check_of_a_document_and_after_its_content_changes() -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.set_content(UNLABELLED)
        first = axe_violations(page)
        assert "label" in ids(first)
        assert any('id="name"' in html for v in first for html in v["nodes"])
        page.set_viewport_size({"width": 320, "height": 900})
        assert ids(axe_violations(page)) == ids(first)  # the same document: axe was not injected again
        page.set_content(LABELLED)
        assert axe_violations(page) == []
        page.set_content(UNLABELLED)
        assert "label" in ids(axe_violations(page))
        page.goto("about:blank")  # a new document: axe is injected again
        page.set_content(UNLABELLED)
        assert "label" in ids(axe_violations(page))
        page.close()

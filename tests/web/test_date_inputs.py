"""Every date a person types into a page is a GOV.UK date input (day, month and year boxes), never a text box asking
for YYYY-MM-DD: the pages are scanned as rendered for every role, and the templates as written, so a form added
later that takes a date as text fails here."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dhr_workflow.agencies import evidence
from tests.web.conftest import form_post

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"
# Names a date is posted under (`on`, `due`, `to`, `day`, `letter_date`, `target_on`...), and hints that ask for one.
DATE_NAME = re.compile(r"^(on|due|to|day|date|when|[a-z_]*_(date|on|day))$")
ISO_HINT = re.compile(r"YYYY-MM-DD|For example,? \d{4}-\d{2}-\d{2}")


class _Fields(HTMLParser):
    """The text inputs of a page's forms that look like dates but are not inside a govuk-date-input."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # for each open div: is it (inside) a date input?
        self.in_form = False
        self.bad: list[str] = []
        self.form_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.in_form = True
        if tag == "div":
            inside = bool(self.stack and self.stack[-1])
            self.stack.append(inside or "govuk-date-input" in (a.get("class") or "").split())
        if tag == "input" and self.in_form and a.get("type", "text") in ("text", "date", None):
            name = a.get("name") or ""
            in_date_input = bool(self.stack and self.stack[-1])
            if a.get("type") == "date" or (DATE_NAME.match(name) and not in_date_input):
                self.bad.append(f"{name} (id {a.get('id')})")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        if tag == "div" and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.in_form:
            self.form_text.append(data)


def text_dates(html: str) -> list[str]:
    fields = _Fields()
    fields.feed(html)
    hints = [m.group(0) for m in ISO_HINT.finditer(" ".join(fields.form_text))]
    return fields.bad + hints


def test_the_scan_catches_a_date_taken_as_text() -> None:
    page = (
        '<form><input class="govuk-input" name="letter_date" type="text">'
        '<div class="govuk-hint">For example, 2026-12-07</div></form>'
    )
    assert text_dates(page) == ["letter_date (id None)", "For example, 2026-12-07"]
    boxes = '<form><div class="govuk-date-input"><div><input name="on-day"><input name="on"></div></div></form>'
    assert text_dates(boxes) == []


GOVUK_CALL = re.compile(r"govuk(Input|Textarea)\(\{(?:[^{}]|\{[^{}]*\})*\}\)", re.S)


def template_text_dates(source: str) -> list[str]:
    """govukInput calls and raw inputs in a template whose name is a date's."""
    found = []
    for call in GOVUK_CALL.finditer(source):
        name = re.search(r'"name":\s*"([^"]+)"', call.group(0))
        if name and DATE_NAME.match(name.group(1)):
            found.append(name.group(1))
    for raw in re.finditer(r"<input\b[^>]*>", source):
        tag = raw.group(0)
        name = re.search(r'name="([^"{]+)"', tag)
        if 'type="hidden"' not in tag and name and DATE_NAME.match(name.group(1)):
            found.append(name.group(1))
    return found


def test_no_template_takes_a_date_as_text() -> None:
    offenders = {
        path.name: template_text_dates(path.read_text(encoding="utf-8"))
        for path in sorted(TEMPLATES.glob("*.html"))
        if template_text_dates(path.read_text(encoding="utf-8"))
    }
    assert offenders == {}
    old = '{{ govukInput({"id": "qa-letter-date", "name": "letter_date", "label": {"text": "Date"}}) }}'
    assert template_text_dates(old) == ["letter_date"]  # the scan is not blind


PAGES = {
    "coordinator": ["/cases/new", "/agencies", "/plan", "/plan/commentary", "/plan/meetings", "/tasks"],
    "admin": ["/holidays", "/admin/holidays", "/admin/access-requests", "/admin/site-pages"],
    "agency_contact": ["/agency-requests"],
}


@pytest.mark.parametrize("role", ["coordinator", "csp_chair", "admin", "agency_contact"])
def test_no_rendered_form_takes_a_date_as_text(demo, client_for, role) -> None:
    client = client_for(role)
    paths = [f"/cases/{ref}" for ref in demo.result.cases.values()]
    paths += [f"/cases/{ref}/chronology" for ref in demo.result.cases.values()]
    paths += PAGES.get(role, [])
    checked = 0
    for path in paths:
        page = client.get(path)
        if page.status_code != 200:
            continue
        checked += 1
        assert text_dates(page.text) == [], path
    assert checked


def test_a_wrong_date_is_worded_with_its_label_and_what_was_typed_comes_back(demo, client_for) -> None:
    client = client_for("coordinator")
    ref = demo.ref("gathering evidence")
    page = f"/cases/{ref}"
    [row, *_] = [r for r in evidence.list_requests(demo.ctx, ref) if r["open"]]
    typed = {"form": f"extend-{row['id']}", "to-day": "31", "to-month": "2", "to-year": "2027", "agreed_by": "Chair"}
    bad = form_post(client, page, f"{page}/evidence/{row['id']}/extend", {**typed, "reason": "Archive"})
    assert bad.status_code == 422
    anchor = f"extend-{row['id']}-to"
    assert f'href="#{anchor}"' in bad.text  # the error summary links to the day box
    assert "The new due date must be a real date" in bad.text
    day_box = re.search(rf'<input[^>]*id="{anchor}"[^>]*>', bad.text)
    assert day_box and 'value="31"' in day_box.group(0) and "govuk-input--error" in day_box.group(0)
    assert re.search(rf'<input[^>]*id="{anchor}-year"[^>]*value="2027"', bad.text)
    missing = form_post(client, page, f"{page}/evidence/{row['id']}/extend", {"agreed_by": "Chair", "reason": "X"})
    assert missing.status_code == 422 and "Enter the new due date" in missing.text


def test_dates_typed_in_boxes_reach_the_services(demo, client_for) -> None:
    from datetime import timedelta

    client = client_for("coordinator")
    ref = demo.ref("just notified")
    page = f"/cases/{ref}"
    assert (
        form_post(client, page, f"{page}/agencies", {"change": "add", "agency": "housing-services"}).status_code == 303
    )
    due = demo.ctx.today() + timedelta(days=40)
    asked = form_post(
        client,
        page,
        f"{page}/evidence",
        {
            "agency": "housing-services",
            "kind": "scoping_return",
            "due-day": str(due.day),
            "due-month": str(due.month),
            "due-year": str(due.year),
        },
    )
    assert asked.status_code == 303
    [row] = evidence.list_requests(demo.ctx, ref)
    assert row["due"] == due
    future = demo.ctx.today() + timedelta(days=3)
    late = form_post(
        client,
        page,
        f"{page}/qa/rounds",
        {
            "form": "qa-round",
            "letter_date-day": str(future.day),
            "letter_date-month": str(future.month),
            "letter_date-year": str(future.year),
        },
    )
    assert late.status_code == 422 and "The date of the feedback letter must be today or in the past" in late.text
    assert 'href="#qa-letter-date"' in late.text

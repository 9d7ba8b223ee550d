"""A family member's page: every field changeable with GOV.UK components, what they asked the review to consider
and drafts shared with them, their letter in their format; refusals against the field; need to know."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.documents.versions import generate
from dhr_workflow.family import involvement
from tests.web.conftest import csrf_of, form_post
from tests.web.test_no_dead_ends import COMMAND_LINE

EDIT = {
    "relationship": "Sister",
    "contact": "Phone after 6pm",
    "language": "Polish",
    "needs": "Short sentences",
    "document_format": "large-print",
    "wants_involvement": "yes",
    "advocate": "other",
    "advocate_name": "Safe Haven",
    "pseudonym_consent": "chair_chose",
    "pseudonym_reason": "The family asked the chair to choose",
    "thanked_by_name": "no",
}


@pytest.fixture
def setting(demo):
    ref = demo.ref("gathering evidence")
    party = involvement.add_member(demo.ctx, ref, name="Susan Realsister", relationship="Friend").party_id
    return ref, party, f"/cases/{ref}/family/{party}"


def _member(demo, ref):
    (m,) = involvement.members_of(demo.ctx, ref)
    return m


def test_the_page_uses_govuk_components_and_saves_every_field(demo, client_for, setting) -> None:
    ref, party, page = setting
    client = client_for("coordinator")
    html = client.get(page).text
    for component in ("govuk-radios", "govuk-character-count", "govuk-date-input", "govuk-summary-list"):
        assert component in html, component
    assert not COMMAND_LINE.search(html)
    saved = form_post(client, page, f"{page}/edit", EDIT)
    assert saved.status_code == 303, saved.text
    m = _member(demo, ref)
    assert (m["relationship"], m["contact_preference"], m["language"], m["accessibility_needs"]) == (
        "Sister", "Phone after 6pm", "Polish", "Short sentences")  # fmt: skip
    assert (m["document_format"], m["wants_involvement"], m["advocate_name"], m["thanked_by_name"]) == (
        "large-print", "yes", "Safe Haven", False)  # fmt: skip
    assert m["pseudonym_reason"] == "The family asked the chair to choose"
    assert "Large print" in client.get(page).text
    with demo.ctx.db.read() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (last.action, last.payload) == ("viewed_family_member", {"party_id": party})  # need to know: audited


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"language": "Pol\u202eish"}, "member-language"),
        ({"contact": "Phone\x07"}, "member-contact"),
        ({"document_format": "braille"}, "member-format"),
        ({"pseudonym_reason": ""}, "member-consent-reason"),
        ({"advocate_name": ""}, "member-advocate-name"),
    ],
)
def test_a_refused_change_is_shown_against_its_field_and_changes_nothing(demo, client_for, setting, changes, field):
    ref, party, page = setting
    before = _member(demo, ref)
    refused = form_post(client_for("coordinator"), page, f"{page}/edit", {**EDIT, **changes})
    assert refused.status_code == 422
    assert f'href="#{field}"' in refused.text and "govuk-error-summary" in refused.text
    assert _member(demo, ref) == before


def test_what_they_asked_is_recorded_with_a_date_input_and_bad_dates_are_refused(demo, client_for, setting) -> None:
    ref, party, page = setting
    client = client_for("coordinator")
    today = demo.ctx.today()
    asked = {"text": "Why no one asked about the bruises", "on-day": str(today.day), "on-month": str(today.month),
             "on-year": str(today.year)}  # fmt: skip
    for bad, field in (({"on-year": "1850"}, "tor-on"), ({"on-day": "31", "on-month": "2"}, "tor-on"),
                       ({"text": "Why\x00"}, "tor-text"), ({"text": ""}, "tor-text")):  # fmt: skip
        refused = form_post(client, page, f"{page}/tor-input", {**asked, **bad})
        assert refused.status_code == 422 and f'href="#{field}"' in refused.text, bad
    assert _member(demo, ref)["tor_input"] == []
    done = form_post(client, page, f"{page}/tor-input", asked)
    assert done.status_code == 303, done.text
    (entry,) = _member(demo, ref)["tor_input"]
    assert entry["text"] == asked["text"] and entry["on"] == today.isoformat()
    assert "Why no one asked about the bruises" in client.get(f"/cases/{ref}").text


def test_a_shared_draft_is_a_stored_version_of_this_case(demo, client_for, setting) -> None:
    ref, party, page = setting
    client = client_for("coordinator")
    other = demo.ref("published")
    theirs, _ = generate(demo.ctx, other, "executive_summary")
    refused = form_post(client, page, f"{page}/drafts", {"version": str(theirs.id), "how": "post"})
    assert refused.status_code == 422 and 'href="#share-version"' in refused.text
    assert not COMMAND_LINE.search(refused.text)  # the service's advice names a command; the page does not
    assert _member(demo, ref)["drafts_shared"] == []
    draft = _draft_of(demo, ref)
    shared = form_post(client, page, f"{page}/drafts", {"version": str(draft.id), "how": "meeting",
                                                        "response": "Wants the GP covered"})  # fmt: skip
    assert shared.status_code == 303, shared.text
    (d,) = _member(demo, ref)["drafts_shared"]
    assert (d["document_id"], d["how"], d["response"]) == (draft.id, "meeting", "Wants the GP covered")
    case_page = client.get(f"/cases/{ref}").text
    assert f"version {draft.version}: shared with Susan Realsister" in case_page


def _draft_of(demo, ref):
    from dhr_workflow.cases import lifecycle as cases

    cases.set_fields(demo.ctx, ref, {"chair_name": "Dr A Chair", "review_period_start": "2021-01-01",
                                     "rationale": "Criteria met"})  # fmt: skip
    draft, _ = generate(demo.ctx, ref, "executive_summary")
    return draft


def test_the_letter_link_gives_the_letter_in_their_format(demo, client_for, setting) -> None:
    ref, party, page = setting
    client = client_for("coordinator")
    form_post(client, page, f"{page}/edit", EDIT)
    assert "Letter for this person" in client.get(f"/cases/{ref}").text
    letter = client.get(f"{page}/letter")
    assert letter.status_code == 200
    assert letter.headers["content-disposition"].endswith('-large-print.pdf"')
    text = client.get(f"{page}/letter?format=txt").text
    assert "Dear Susan Realsister," in text and "interpreter in Polish" in text


def test_the_family_s_records_are_need_to_know(demo, client_for, setting) -> None:
    ref, party, page = setting
    panel = client_for("panel_member")
    assert panel.get(page).status_code == 404
    assert panel.get(f"{page}/letter").status_code == 404
    token = csrf_of(panel.get(f"/cases/{ref}").text)
    for action in ("edit", "tor-input", "drafts"):
        assert panel.post(f"{page}/{action}", data={"csrf_token": token, **EDIT}).status_code in (403, 404)
    assert _member(demo, ref)["language"] is None
    viewer = client_for("viewer")
    assert viewer.get(page).status_code == 404
    assert client_for("coordinator").get(f"/cases/{ref}/family/999999").status_code == 404

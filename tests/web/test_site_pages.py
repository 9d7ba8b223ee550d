"""The accessibility statement and privacy notice, edited by an admin in the browser (or with `dhr site page set`):
each save is a stored version with who and when and an audit event; the public page shows the latest; the file
named by settings is the page until the first save. The text is plain text: HTML typed into it is shown escaped."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from dhr_workflow.core.audit import AuditEvent
from dhr_workflow.core.errors import NotPermitted
from dhr_workflow.demo.seed import email_for
from dhr_workflow.documents import site_pages
from tests.web.conftest import form_post

NEW_TEXT = (
    "# Accessibility statement for {partnership}\n\n"
    "We audited this service in November 2026 against WCAG 2.2 AA.\n\n"
    "## What we know is not accessible\n\n- Older PDFs\n- The workflow diagram"
)


def test_an_admin_edits_the_statement_and_the_public_page_shows_the_new_version(demo, client_for, tmp_path) -> None:
    own = tmp_path / "accessibility.txt"
    own.write_text("# Our statement\n\nOur own default file for the statement.\n")
    demo.ctx.settings.accessibility_statement_file = own
    anonymous = client_for(None)
    assert "Our own default file for the statement." in anonymous.get("/accessibility").text  # the file until a save
    admin = client_for("admin")
    form = admin.get("/admin/site-pages/accessibility")
    assert form.status_code == 200 and "govuk-character-count" in form.text
    assert "Our own default file for the statement." in form.text  # the current text, ready to edit
    saved = form_post(admin, "/admin/site-pages/accessibility", "/admin/site-pages/accessibility", {"text": NEW_TEXT})
    assert saved.status_code == 303 and saved.headers["location"] == "/admin/site-pages?done=accessibility"
    public = anonymous.get("/accessibility").text
    assert "We audited this service in November 2026" in public and "default file" not in public
    assert "<li>Older PDFs</li>" in public
    page = site_pages.current(demo.ctx, "accessibility")
    assert (page["version"], page["saved_by"], page["source"]) == (1, email_for("admin"), "stored")
    again = form_post(
        admin, "/admin/site-pages/accessibility", "/admin/site-pages/accessibility", {"text": NEW_TEXT + "\n\nMore."}
    )
    assert again.status_code == 303
    assert [v["version"] for v in site_pages.versions(demo.ctx, "accessibility")] == [2, 1]
    listing = admin.get("/admin/site-pages/accessibility").text
    assert "Saved versions" in listing and email_for("admin") in listing
    with demo.ctx.db.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "site_page_saved")).all()
    assert [e.payload["version"] for e in events] == [1, 2] and all(e.actor == email_for("admin") for e in events)
    assert all("audited" not in json.dumps(e.payload) for e in events)  # the event names the page, not its text
    assert "More." in anonymous.get("/accessibility").text
    assert "Not edited yet" in admin.get("/admin/site-pages").text  # the privacy notice is still the file


def test_saving_the_same_text_again_is_not_a_new_version(demo) -> None:
    site_pages.save(demo.ctx, "privacy", NEW_TEXT, by=email_for("admin"))
    same = site_pages.save(demo.ctx, "privacy", NEW_TEXT + "\n", by=email_for("admin"))
    assert same["changed"] is False and len(site_pages.versions(demo.ctx, "privacy")) == 1


def test_html_in_the_text_is_shown_as_typed_never_run(demo, client_for) -> None:
    admin = client_for("admin")
    hostile = "# Privacy\n\nWe are <script>alert(1)</script> and <a href='javascript:x'>this</a> is text."
    saved = form_post(admin, "/admin/site-pages/privacy", "/admin/site-pages/privacy", {"text": hostile})
    assert saved.status_code == 303
    public = client_for(None).get("/privacy").text
    assert "<script>alert" not in public and "&lt;script&gt;alert(1)&lt;/script&gt;" in public
    assert "<a href='javascript" not in public and 'href="javascript' not in public


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("We are the partnership.\u202e Hidden", "hidden text-direction control"),
        ("Short", "too short"),
        ("   ", "required"),
        ("x" * (site_pages.MAX_CHARS + 1), "the limit is"),
    ],
)
def test_a_refused_text_is_shown_against_the_field_and_nothing_is_saved(demo, client_for, typed, says) -> None:
    admin = client_for("admin")
    refused = form_post(admin, "/admin/site-pages/privacy", "/admin/site-pages/privacy", {"text": typed})
    assert refused.status_code == 422 and says in refused.text.lower()
    assert 'href="#page-text"' in refused.text and "govuk-error-message" in refused.text
    if typed.strip():
        assert typed[:20] in refused.text  # what was typed comes back to correct
    assert site_pages.versions(demo.ctx, "privacy") == []


@pytest.mark.parametrize("role", ["coordinator", "csp_chair", "reviewer", "agency_contact", "viewer"])
def test_only_an_admin_edits_the_site_pages(demo, client_for, role) -> None:
    client = client_for(role)
    assert client.get("/admin/site-pages").status_code == 403
    assert client.get("/admin/site-pages/privacy").status_code == 403
    assert form_post(client, "/", "/admin/site-pages/privacy", {"text": NEW_TEXT}).status_code == 403
    with pytest.raises(NotPermitted):
        site_pages.save(demo.ctx, "privacy", NEW_TEXT, by=email_for(role))
    assert site_pages.versions(demo.ctx, "privacy") == []
    assert "/admin/site-pages" not in client.get("/").text  # not offered in the navigation either


def test_signed_out_people_are_sent_to_sign_in_and_unknown_pages_are_404(demo, client_for) -> None:
    assert client_for(None).get("/admin/site-pages/privacy").status_code in (302, 303)
    assert client_for("admin").get("/admin/site-pages/cookies").status_code == 404
    assert 'href="/admin/site-pages"' in client_for("admin").get("/").text


def test_the_command_line_shows_sets_and_lists_versions(demo, cli, tmp_path) -> None:
    source = tmp_path / "privacy.txt"
    source.write_text(NEW_TEXT, encoding="utf-8")
    assert "Not edited yet" in cli("site", "page", "show", "privacy").output
    made = cli("site", "page", "set", "privacy", "--file", str(source), "--by", email_for("admin"))
    assert made.exit_code == 0 and "Saved version 1" in made.output
    shown = json.loads(cli("site", "page", "show", "privacy", "--json").output)
    assert shown["version"] == 1 and shown["text"] == NEW_TEXT and shown["saved_by"] == email_for("admin")
    assert "Version 1" in cli("site", "page", "versions", "privacy").output
    refused = cli("site", "page", "set", "privacy", "--file", str(source), "--by", email_for("coordinator"))
    assert refused.exit_code == 8 and "only an administrator" in refused.output
    assert cli("site", "page", "show", "cookies").exit_code == 4

"""A partnership's service, not GOV.UK: no crown, GOV.UK logotype, Crown copyright or OGL on any page; the
partnership's name, logo (with its alt text) and footer links from settings; an accessibility statement and a
privacy notice the partnership edits as text files."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dhr_workflow.web.app import create_app
from dhr_workflow.web.branding import statement_blocks

GOV_UK_MARKS = ("govuk-logo", "govuk-header__logotype", "Crown copyright", "Open Government Licence", "crown-copyright")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_no_page_wears_the_crown_the_logotype_crown_copyright_or_the_ogl(demo, client_for):
    ref = demo.ref("gathering evidence")
    for role in (None, "coordinator", "panel_member"):
        client = client_for(role)
        paths = ["/accessible-formats/request", "/accessibility", "/privacy", "/no-such-page"]
        paths += ["/", "/cases", "/tasks", f"/cases/{ref}"] if role else ["/login"]
        for path in paths:
            html = client.get(path).text
            for mark in GOV_UK_MARKS:
                assert mark not in html, (role, path, mark)
            assert "Community Safety Partnership" in html
            assert 'href="/accessibility"' in html and 'href="/privacy"' in html


def test_the_partnerships_name_logo_and_contact_link_come_from_settings(ctx, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    ctx.settings.partnership_name = "Bexley Community Safety Partnership"
    ctx.settings.partnership_logo = logo
    ctx.settings.partnership_logo_alt = "Bexley CSP"
    ctx.settings.partnership_contact_url = "mailto:csp@example.org"
    with TestClient(create_app(ctx, hooks=())) as client:
        html = client.get("/login").text
        assert "Bexley Community Safety Partnership" in html
        assert '<img src="/branding/logo" alt="Bexley CSP"' in html
        assert 'href="mailto:csp@example.org">Contact us</a>' in html
        response = client.get("/branding/logo")
        assert response.status_code == 200 and response.content == PNG
        assert response.headers["content-type"] == "image/png"


def test_without_a_logo_there_is_no_image_and_the_logo_address_is_404(ctx):
    with TestClient(create_app(ctx, hooks=())) as client:
        assert "<img" not in client.get("/login").text
        assert client.get("/branding/logo").status_code == 404


def test_the_statements_start_from_honest_defaults_naming_the_partnership(ctx):
    ctx.settings.partnership_name = "Exampleshire CSP"
    with TestClient(create_app(ctx, hooks=())) as client:
        statement = client.get("/accessibility").text
        assert '<h1 class="govuk-heading-l">Accessibility statement</h1>' in statement
        assert "has not yet been audited" in statement and "Exampleshire CSP" in statement
        notice = client.get("/privacy").text
        assert "Privacy notice" in notice and "data controller" in notice


def test_the_partnership_edits_a_statement_as_text_and_nothing_in_it_becomes_markup(ctx, tmp_path):
    own = tmp_path / "privacy.txt"
    own.write_text("# Our privacy notice\n\nWe are {partnership}. <script>alert(1)</script>\n\n- one\n- two\n")
    ctx.settings.privacy_notice_file = own
    ctx.settings.partnership_name = "Exampleshire CSP"
    with TestClient(create_app(ctx, hooks=())) as client:
        html = client.get("/privacy").text
    assert "Our privacy notice" in html and "We are Exampleshire CSP." in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<li>one</li><li>two</li>" in html


def test_statement_text_becomes_headings_paragraphs_and_lists():
    blocks = statement_blocks("# T\n\n## Part\n\nline one\nline two\n\n- a\n- b", {})
    assert blocks == [
        {"kind": "h1", "text": "T"},
        {"kind": "h2", "text": "Part"},
        {"kind": "p", "text": "line one line two"},
        {"kind": "list", "items": ["a", "b"]},
    ]


def test_without_settings_of_its_own_the_site_wears_the_documents_letterhead(ctx, tmp_path):
    logo = tmp_path / "letterhead.png"
    logo.write_bytes(PNG)
    ctx.settings.letterhead_name = "Exampleshire Community Safety Partnership"
    ctx.settings.letterhead_logo = logo
    ctx.settings.letterhead_logo_alt = "Exampleshire Council"
    with TestClient(create_app(ctx, hooks=())) as client:
        html = client.get("/login").text
        assert "Exampleshire Community Safety Partnership" in html
        assert '<img src="/branding/logo" alt="Exampleshire Council"' in html
        assert client.get("/branding/logo").content == PNG

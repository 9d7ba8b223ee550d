"""The public accessible-format flow: the confirmation shows the reference without echoing anything from the web
address, and the staff queue shows how to reach the requester (the read audited) and links to the case."""

from __future__ import annotations

from sqlalchemy import select

from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.web.pages_public import reference_from, signed_reference
from tests.web.conftest import form_post

REQUEST = {
    "document": "The overview report of the review published in 2025",
    "format": "large_print",
    "name": "Sam Public",
    "email": "sam@example.org",
    "phone": "020 7946 0000",
}


def test_the_confirmation_shows_the_reference_as_text_and_never_echoes_the_address(demo, client_for):
    client = client_for(None)
    sent = form_post(client, "/accessible-formats/request", "/accessible-formats/request", REQUEST)
    page = client.get(sent.headers["location"]).text
    assert "Request received" in page
    assert "Your reference<br><strong>AFR-" in page and "&lt;br&gt;" not in page
    for forged in ("ANY TEXT", "AFR-1", "AFR-1.0000", "<script>x</script>"):
        response = client.get("/accessible-formats/request", params={"sent": forged})
        assert "Request received" not in response.text and "ANY TEXT" not in response.text
        assert "<script>x" not in response.text


def test_a_reference_is_only_read_back_from_a_token_this_service_signed():
    token = signed_reference("secret", "AFR-12")
    assert reference_from("secret", token) == "AFR-12"
    assert reference_from("other secret", token) == ""
    assert reference_from("secret", token.replace("AFR-12", "AFR-13")) == ""
    assert reference_from("secret", "AFR-12") == ""


def test_the_queue_shows_how_to_reach_the_requester_and_the_read_is_audited(demo, client_for):
    form_post(client_for(None), "/accessible-formats/request", "/accessible-formats/request", REQUEST)
    queue = client_for("coordinator").get("/admin/access-requests").text
    assert "Sam Public" in queue and 'href="mailto:sam@example.org"' in queue and "020 7946 0000" in queue
    assert "Case None" not in queue and "Not linked to a case" in queue
    with demo.ctx.db.read() as session:
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "access_request_contact_viewed")).all()
    assert len(reads) == 1 and reads[0].actor == "coordinator@demo.example"


def test_a_request_for_a_case_links_to_it(demo, client_for):
    from dhr_workflow.documents.access_formats import RequestInput
    from dhr_workflow.documents.access_requests import new_request

    ref = demo.ref("published")
    new_request(
        demo.ctx,
        RequestInput(requester_name="Pat Family", document="Overview report", format="large_print",
                     email="pat@example.org", case_ref=ref),
    )  # fmt: skip
    queue = client_for("coordinator").get("/admin/access-requests").text
    assert f'<a class="govuk-link" href="/cases/{ref}">{ref}</a>' in queue

"""What the web shows of the other features: in-app notifications, documents, and the accessible-format requests
(public form and the coordinators' queue)."""

from __future__ import annotations

from sqlalchemy import select

from dhr_workflow.people.roles import ROLES, sees_real_names
from tests.web.conftest import csrf_of, form_post

REQUEST = {
    "document": "The overview report of the review published in 2025",
    "format": "large_print",
    "name": "Sam Public",
    "email": "sam@example.org",
}


def test_a_member_of_the_public_requests_an_accessible_format_without_signing_in(demo, client_for):
    client = client_for(None)
    empty = form_post(client, "/accessible-formats/request", "/accessible-formats/request", {})
    assert empty.status_code == 422
    for anchor in ("#document", "#format", "#name"):
        assert f'href="{anchor}"' in empty.text
    unreachable = form_post(
        client, "/accessible-formats/request", "/accessible-formats/request", {**REQUEST, "email": ""}
    )
    assert unreachable.status_code == 422 and "reach" in unreachable.text
    sent = form_post(client, "/accessible-formats/request", "/accessible-formats/request", REQUEST)
    assert sent.status_code == 303
    page = client.get(sent.headers["location"])
    assert "Request received" in page.text and "AFR-" in page.text
    queue = client_for("coordinator").get("/admin/access-requests").text
    assert "The overview report of the review published in 2025" in queue


def test_the_coordinator_acknowledges_and_fulfils_a_request(demo, client_for):
    form_post(client_for(None), "/accessible-formats/request", "/accessible-formats/request", REQUEST)
    client = client_for("coordinator")
    page = client.get("/admin/access-requests").text
    action = page.split('action="/admin/access-requests/')[1].split('"')[0]
    assert action.endswith("/acknowledge")
    assert client.post(f"/admin/access-requests/{action}", data={"csrf_token": csrf_of(page)}).status_code == 303
    page = client.get("/admin/access-requests").text
    action = page.split('action="/admin/access-requests/')[1].split('"')[0]
    assert action.endswith("/fulfil")
    assert client.post(f"/admin/access-requests/{action}", data={"csrf_token": csrf_of(page)}).status_code == 303
    assert "No requests." in client.get("/admin/access-requests").text
    for role in ROLES:
        if role not in ("admin", "coordinator"):
            assert client_for(role).get("/admin/access-requests").status_code == 403


def test_documents_are_listed_and_downloaded_only_by_roles_that_see_real_names(demo, client_for):
    ref = demo.ref("gathering evidence")
    for role in ROLES:
        client = client_for(role)
        page = client.get(f"/cases/{ref}").text
        assert (f"/cases/{ref}/documents/" in page) == sees_real_names(role), role
    client = client_for("coordinator")
    page = client.get(f"/cases/{ref}").text
    link = page.split(f'href="/cases/{ref}/documents/')[1].split('"')[0]
    if not link.startswith("pack.zip"):
        response = client.get(f"/cases/{ref}/documents/{link}")
        assert response.status_code == 200, response.text[:300]
        assert "attachment" in response.headers["content-disposition"]
    assert client_for("panel_member").get(f"/cases/{ref}/documents/{link}").status_code == 403


def test_in_app_notifications_show_on_the_dashboard_and_can_be_marked_read(demo, client_for):
    from dhr_workflow.people.tables import User
    from notifications.tables import InAppNotification

    with demo.ctx.db.write() as session:
        user = session.scalars(select(User).where(User.email == "panel.member@demo.example")).one()
        session.add(
            InAppNotification(
                user_id=user.id,
                idem_key="test:1",
                kind="reminder",
                title="A task is due soon",
                body="Due in 2 working days",
                link=f"/cases/{demo.ref('gathering evidence')}",
            )
        )
    client = client_for("panel_member")
    page = client.get("/").text
    assert "A task is due soon" in page
    notification_id = page.split('action="/notifications/')[1].split("/read")[0]
    assert client.post(f"/notifications/{notification_id}/read", data={"csrf_token": csrf_of(page)}).status_code == 303
    assert "A task is due soon" not in client.get("/").text
    other = client_for("agency_contact")
    assert (
        other.post(
            f"/notifications/{notification_id}/read", data={"csrf_token": csrf_of(other.get("/").text)}
        ).status_code
        == 404
    )

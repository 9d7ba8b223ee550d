"""Need to know, proved over every case route and every role: people on only some cases (reviewer, panel member,
agency contact) get 404 for every other case, in pages and API alike, including guessed task ids; everyone sees
exactly the cases they should."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dhr_workflow.cases import tasks
from dhr_workflow.demo.seed import email_for
from dhr_workflow.people.roles import CASE_SCOPED_ROLES, ROLES
from tests.web.conftest import csrf_of

ALL_CASES = {
    "just notified",
    "decision overdue",
    "gathering evidence",
    "paused for a trial",
    "no review, with the Home Office",
    "published",
}
ON_CASES = {
    "reviewer": {"gathering evidence", "paused for a trial", "published"},
    "panel_member": {"gathering evidence", "paused for a trial", "published"},
    "agency_contact": {"gathering evidence"},
}


def visible(role: str) -> set[str]:
    return ON_CASES[role] if role in CASE_SCOPED_ROLES else ALL_CASES


def page_routes(ref: str, task_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", f"/cases/{ref}"),
        ("GET", f"/cases/{ref}/diagram.svg"),
        ("POST", f"/cases/{ref}/actions"),
        ("POST", f"/cases/{ref}/clocks/decision/pause"),
        ("POST", f"/cases/{ref}/clocks/completion/resume"),
        ("POST", f"/cases/{ref}/members"),
        ("POST", f"/cases/{ref}/tasks"),
        ("POST", f"/cases/{ref}/tasks/{task_id}/done"),
        ("GET", f"/cases/{ref}/tasks/{task_id}/files/1"),
        ("POST", f"/cases/{ref}/panel-meetings"),
        ("POST", f"/cases/{ref}/panel-meetings/1/move"),
        ("POST", f"/cases/{ref}/panel-meetings/1/cancel"),
        ("POST", f"/cases/{ref}/recommendations"),
        ("POST", f"/cases/{ref}/recommendations/1/agree"),
        ("POST", f"/cases/{ref}/recommendations/1/link"),
        ("POST", f"/cases/{ref}/recommendations/1/send"),
        ("POST", f"/cases/{ref}/recommendations/1/response"),
        ("POST", f"/cases/{ref}/qa/rounds"),
        ("POST", f"/cases/{ref}/qa/items"),
        ("POST", f"/cases/{ref}/qa/items/1/answer"),
        ("POST", f"/cases/{ref}/family"),
        ("POST", f"/cases/{ref}/family/contacts"),
        ("GET", f"/cases/{ref}/family/1"),
        ("POST", f"/cases/{ref}/family/1/edit"),
        ("POST", f"/cases/{ref}/family/1/tor-input"),
        ("POST", f"/cases/{ref}/family/1/drafts"),
        ("GET", f"/cases/{ref}/family/1/letter"),
        ("POST", f"/cases/{ref}/report-sections/analysis"),
        ("GET", f"/cases/{ref}/documents/pack.zip"),
        ("GET", f"/cases/{ref}/documents/notification.pdf"),
        ("POST", f"/cases/{ref}/agencies"),
        ("POST", f"/cases/{ref}/evidence"),
        ("POST", f"/cases/{ref}/evidence/1/receive"),
        ("POST", f"/cases/{ref}/evidence/1/extend"),
        ("POST", f"/cases/{ref}/evidence/1/not-required"),
        ("GET", f"/cases/{ref}/evidence/1/files/1"),
        ("GET", f"/cases/{ref}/chronology"),
        ("POST", f"/cases/{ref}/chronology"),
        ("GET", f"/cases/{ref}/chronology/template.xlsx"),
        ("POST", f"/cases/{ref}/chronology/1/exclude"),
        ("POST", f"/cases/{ref}/accuracy"),
        ("POST", f"/cases/{ref}/accuracy/answers/1"),
        ("POST", f"/cases/{ref}/accuracy/comments/1/response"),
        ("POST", f"/cases/{ref}/accuracy/close"),
        ("GET", f"/cases/{ref}/accuracy/comments/1/file"),
    ]


def api_routes(ref: str, task_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", f"/api/v1/cases/{ref}"),
        ("GET", f"/api/v1/cases/{ref}/history"),
        ("POST", f"/api/v1/cases/{ref}/fire"),
        ("POST", f"/api/v1/cases/{ref}/tasks/{task_id}/done"),
        *record_api_routes(ref),
    ]


# A valid body for each route of the records API, so that what answers is the need-to-know check, not validation.
RECORD_BODIES = {
    "agencies": {"agency": "metropolitan-police"},
    "remove": {"reason": "Not involved"},
    "evidence": {"agency": "metropolitan-police", "kind": "imr"},
    "nil-return": {},
    "extend": {"to": "2027-01-04", "agreed_by": "The police", "reason": "Records off site"},
    "not-required": {"reason": "No contact"},
    "recommendations": {"text": "Train staff", "addressee_type": "partnership"},
    "agree": {},
    "link": {"action_id": 1},
    "family": {"name": "Someone Else", "relationship": "Friend"},
    "contacts": {"party_id": 1, "on": "2026-01-05", "how": "phone", "note": "Spoke"},
    "rounds": {},
    "items": {"text": "A point"},
    "answer": {"response": "Done", "section": "Analysis"},
    "conclusions": {"text": "Conclusions."},
}
UPLOAD = {"file": ("a.csv", b"Date,Time,Agency,Event,Source\n2021-01-01,,Police,Visit,CAD 1\n", "text/csv")}


def record_api_routes(ref: str) -> list[tuple[str, str]]:
    base = f"/api/v1/cases/{ref}"
    return [
        ("GET", f"{base}/agencies"),
        ("POST", f"{base}/agencies"),
        ("POST", f"{base}/agencies/metropolitan-police/remove"),
        ("GET", f"{base}/evidence"),
        ("POST", f"{base}/evidence"),
        ("POST", f"{base}/evidence/1/nil-return"),
        ("UPLOAD", f"{base}/evidence/1/files"),
        ("POST", f"{base}/evidence/1/extend"),
        ("POST", f"{base}/evidence/1/not-required"),
        ("GET", f"{base}/chronology"),
        ("UPLOAD", f"{base}/chronology/metropolitan-police"),
        ("GET", f"{base}/recommendations"),
        ("POST", f"{base}/recommendations"),
        ("POST", f"{base}/recommendations/1/agree"),
        ("POST", f"{base}/recommendations/1/link"),
        ("GET", f"{base}/family"),
        ("POST", f"{base}/family"),
        ("GET", f"{base}/family/contacts"),
        ("POST", f"{base}/family/contacts"),
        ("GET", f"{base}/qa"),
        ("POST", f"{base}/qa/rounds"),
        ("POST", f"{base}/qa/items"),
        ("POST", f"{base}/qa/items/1/answer"),
        ("GET", f"{base}/report-sections"),
        ("PUT", f"{base}/report-sections/conclusions"),
        ("GET", f"{base}/report-sections/conclusions/history"),
    ]


def call_api(client, method: str, path: str, auth: dict[str, str]):
    if method == "GET":
        return client.get(path, headers=auth)
    if method == "UPLOAD":
        return client.post(path, headers=auth, files=UPLOAD)
    body = RECORD_BODIES.get(path.rsplit("/", 1)[-1], {"trigger": "start_scoping"})
    return client.request(method, path, headers=auth, json=body)


@pytest.fixture
def hidden_task(demo) -> int:
    """A task on a case no case-scoped person is on: its id is worth guessing."""
    task = tasks.add_task(
        demo.ctx,
        demo.ref("just notified"),
        "Secret task",
        email_for("coordinator"),
        demo.ctx.today() + timedelta(days=5),
        by=email_for("coordinator"),
    )
    return task.id or 0


def test_people_on_some_cases_get_404_for_every_route_of_every_other_case(demo, client_for, tokens, hidden_task):
    for role in sorted(CASE_SCOPED_ROLES):
        _all_routes_404(role, demo, client_for(role), tokens, hidden_task)


def _all_routes_404(role, demo, client, tokens, hidden_task):
    token = csrf_of(client.get("/tasks").text)
    hidden = ALL_CASES - visible(role)
    assert hidden
    for label in hidden:
        ref = demo.ref(label)
        for method, path in page_routes(ref, hidden_task):
            data = {"csrf_token": token, "trigger": "start_scoping", "email": email_for(role), "role": "viewer"}
            response = client.get(path) if method == "GET" else client.post(path, data=data)
            assert response.status_code == 404, (role, method, path, response.status_code)
            assert ref not in response.text  # the 404 page does not echo the guessed case back
        auth = {"Authorization": f"Bearer {tokens[role]}"}
        for method, path in api_routes(ref, hidden_task):
            response = call_api(client, method, path, auth)
            assert response.status_code == 404, (role, method, path, response.status_code)
            assert response.json() == {"detail": "No such page, or you do not have access to it."}


def test_a_guessed_task_id_from_another_case_is_404_through_a_case_they_can_see(demo, client_for, tokens, hidden_task):
    for role in sorted(CASE_SCOPED_ROLES):
        client = client_for(role)
        token = csrf_of(client.get("/tasks").text)
        seen = demo.ref("gathering evidence")
        response = client.post(f"/cases/{seen}/tasks/{hidden_task}/done", data={"csrf_token": token})
        assert response.status_code == 404
        response = client.post(
            f"/api/v1/cases/{seen}/tasks/{hidden_task}/done", headers={"Authorization": f"Bearer {tokens[role]}"}
        )
        assert response.status_code == 404


def test_a_panel_member_cannot_complete_someone_elses_task_on_their_own_case(demo, client_for, tokens):
    from dhr_workflow.cases.views import my_tasks
    from dhr_workflow.people.users import list_users

    agency = next(u for u in list_users(demo.ctx) if u.role == "agency_contact")
    theirs = my_tasks(demo.ctx, agency)[0]
    client = client_for("panel_member")
    token = csrf_of(client.get("/tasks").text)
    ref = demo.ref("gathering evidence")
    assert client.post(f"/cases/{ref}/tasks/{theirs['id']}/done", data={"csrf_token": token}).status_code == 404
    api = client.post(
        f"/api/v1/cases/{ref}/tasks/{theirs['id']}/done", headers={"Authorization": f"Bearer {tokens['panel_member']}"}
    )
    assert api.status_code == 404
    assert my_tasks(demo.ctx, agency)[0]["status"] != "done"


def test_each_role_lists_exactly_the_cases_it_may_see(demo, client_for, tokens):
    for role in ROLES:
        _lists_exactly(role, demo, client_for(role), tokens)


def _lists_exactly(role, demo, client, tokens):
    expected = {demo.ref(label) for label in visible(role)}
    html = client.get("/cases").text
    listed = {ref for ref in demo.result.cases.values() if f'/cases/{ref}"' in html}
    assert listed == expected
    api = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {tokens[role]}"}).json()
    assert {row["ref"] for row in api} == expected
    for label in visible(role):
        assert client.get(f"/cases/{demo.ref(label)}").status_code == 200
        auth = {"Authorization": f"Bearer {tokens[role]}"}
        assert client.get(f"/api/v1/cases/{demo.ref(label)}", headers=auth).status_code == 200


def test_real_names_only_for_roles_that_need_them_and_every_view_is_audited(demo, client_for):
    from sqlalchemy import select

    from dhr_workflow.core.tables import AuditEvent
    from dhr_workflow.people.roles import sees_real_names

    ref = demo.ref("gathering evidence")
    for role in ROLES:
        html = client_for(role).get(f"/cases/{ref}").text
        assert ("Demo Victim Carason" in html) == sees_real_names(role), role
        assert "Cara" in html  # the pseudonym, for everyone who may see the case
        with demo.ctx.db.read() as session:
            last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert last.actor == email_for(role)
        assert last.action == ("viewed_real_names" if sees_real_names(role) else "viewed_case")


def test_an_agency_contact_gets_404_for_another_agencys_requests_and_files_on_their_own_case(demo, client_for):
    """Need to know inside a case: the contact is on "gathering evidence", but the police's requests are not theirs."""
    from dhr_workflow.agencies import evidence

    ref = demo.ref("gathering evidence")
    rows = evidence.list_requests(demo.ctx, ref)
    theirs = [r for r in rows if r["agency"] != "Adult Social Care"]
    assert theirs and any(r["files"] for r in theirs)
    client = client_for("agency_contact")
    token = csrf_of(client.get("/agency-requests").text)
    for r in theirs:
        paths = [f"/cases/{ref}/evidence/{r['id']}/receive"] + [
            f"/cases/{ref}/evidence/{r['id']}/files/{f['id']}" for f in r["files"]
        ]
        for path in paths:
            response = (
                client.get(path)
                if "/files/" in path
                else client.post(path, data={"csrf_token": token, "nil_return": "yes"})
            )
            assert response.status_code == 404, path
    listed = client.get("/agency-requests").text
    assert all(f"request-{r['id']}" not in listed for r in theirs)
    after = {r["id"]: r["status"] for r in evidence.list_requests(demo.ctx, ref)}
    assert all(after[r["id"]] == r["status"] for r in theirs)  # nothing of theirs changed


def test_on_a_case_they_see_the_records_api_answers_every_role_without_leaking_the_family(demo, client_for, tokens):
    """Every role, every route of the records API, on a case everyone sees: never a server error; the family and
    its contact log read as a 404 for roles that do not see real names, as for a case they are not on."""
    from dhr_workflow.people.roles import sees_real_names

    ref = demo.ref("gathering evidence")
    client = client_for(None)
    for role in ROLES:
        auth = {"Authorization": f"Bearer {tokens[role]}"}
        for method, path in record_api_routes(ref):
            response = call_api(client, method, path, auth)
            assert response.status_code < 500, (role, method, path, response.text)
            if method == "GET" and "/family" in path and not sees_real_names(role):
                assert response.status_code == 404, (role, method, path, response.status_code)
            if response.status_code == 403:
                # a refusal by role names the others; an agency contact refused another agency's file is not one
                allowed = response.json().get("allowed_roles")
                assert (allowed and role not in allowed) or "own agency" in response.text, (role, path, response.text)


RETENTION_ROUTES = [
    # (method, path, who may: "holders" = coordinators and administrators, "admin" = administrators only)
    ("GET", "/admin/retention", "holders"),
    ("POST", "/admin/retention/holds", "holders"),
    ("POST", "/admin/retention/holds/1/release", "holders"),
    ("GET", "/admin/retention/apply", "admin"),
    ("POST", "/admin/retention/apply", "admin"),
    ("GET", "/admin/subject-access", "admin"),
    ("POST", "/admin/subject-access", "admin"),
]


def test_retention_and_subject_access_pages_by_role(demo, client_for):
    """Each role gets exactly the retention pages its role allows: everyone else a 403, nothing changed; signed-out
    visitors are sent to sign in."""
    from sqlalchemy import select

    from dhr_workflow.core.tables import AuditEvent

    allowed = {"holders": {"admin", "coordinator"}, "admin": {"admin"}}
    for role in ROLES:
        client = client_for(role)
        token = csrf_of(client.get("/tasks").text)
        for method, path, who in RETENTION_ROUTES:
            data = {"csrf_token": token, "ref": demo.ref("published"), "reason": "x"}
            response = client.get(path) if method == "GET" else client.post(path, data=data)
            if role in allowed[who]:
                assert response.status_code in (200, 303, 404, 422), (role, method, path, response.status_code)
            else:
                assert response.status_code == 403, (role, method, path, response.status_code)
    anonymous = client_for(None)
    for method, path, _ in RETENTION_ROUTES:
        response = anonymous.get(path) if method == "GET" else anonymous.post(path, data={})
        assert response.status_code in (303, 401, 403), (method, path, response.status_code)
    retention_actions = ("legal_hold_set", "legal_hold_released", "retention_applied", "subject_access_exported")
    with demo.ctx.db.read() as session:  # holds set and released by administrators and coordinators, nobody else
        done = session.execute(
            select(AuditEvent.actor, AuditEvent.action).where(AuditEvent.action.in_(retention_actions))
        ).all()
    assert done and {actor for actor, _ in done} <= {email_for("admin"), email_for("coordinator")}
    assert {action for _, action in done} == {"legal_hold_set", "legal_hold_released"}


# Routes outside any case, and the roles that may use them (everyone else signed in gets 403).
TEAM = {"admin", "coordinator", "csp_chair"}
PARTNERSHIP_ROUTES = [
    ("GET", "/plan/commentary", TEAM),
    ("POST", "/plan/commentary", TEAM),
    ("POST", "/plan/commentary/steps/present", TEAM),
    ("GET", "/plan/actions/new", TEAM),
    ("POST", "/plan/meetings", TEAM),
    ("POST", "/plan/meetings/1/move", TEAM),
    ("POST", "/plan/meetings/1/cancel", TEAM),
    ("POST", "/plan/meetings/1/present-round", TEAM),
    ("POST", "/plan/actions/new", TEAM),
    ("POST", "/plan/new", TEAM),
    ("GET", "/plan/meetings/1/invite.ics", TEAM | {"viewer"}),
    ("GET", "/admin/site-pages", {"admin"}),
    ("GET", "/admin/site-pages/accessibility", {"admin"}),
    ("POST", "/admin/site-pages/privacy", {"admin"}),
]


@pytest.mark.parametrize("role", ROLES)
def test_partnership_pages_refuse_every_role_but_theirs(demo, client_for, role):
    client = client_for(role)
    token = csrf_of(client.get("/").text)
    for method, path, allowed in PARTNERSHIP_ROUTES:
        if role in allowed:
            continue
        response = client.request(method, path, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, (role, method, path)

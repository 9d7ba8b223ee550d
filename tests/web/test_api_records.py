"""The JSON API for a review's records (issue 13): agencies, evidence, the merged chronology, recommendations, the
family, QA rounds and the chair's sections, over the same services as the CLI and the pages. Role refusals are 403s
naming the roles allowed, bad input is a 422 against the field, and a refused request changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from dhr_workflow.agencies import chronology, directory, evidence
from dhr_workflow.core.tables import AuditEvent


def _auth(tokens, role):
    return {"Authorization": f"Bearer {tokens[role]}"}


def _events(demo) -> int:
    with demo.ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_the_directory_lists_and_adds_agencies_and_refuses_other_roles_naming_who_may(demo, client_for, tokens):
    client = client_for(None)
    listed = client.get("/api/v1/agencies", headers=_auth(tokens, "coordinator")).json()
    assert "Metropolitan Police" in {a["name"] for a in listed}
    added = client.post(
        "/api/v1/agencies",
        headers=_auth(tokens, "coordinator"),
        json={"name": "Probation Service", "kind": "probation"},
    )
    assert added.status_code == 201, added.text
    assert added.json()["slug"] == "probation-service" and added.json()["kind"] == "probation"
    before = _events(demo)
    twice = client.post("/api/v1/agencies", headers=_auth(tokens, "coordinator"), json={"name": "Probation Service"})
    assert twice.status_code == 422
    assert twice.json()["detail"][0]["loc"] == ["body", "name"]
    wrong_kind = client.post(
        "/api/v1/agencies", headers=_auth(tokens, "coordinator"), json={"name": "Schools", "kind": "spaceship"}
    )
    assert wrong_kind.status_code == 422 and wrong_kind.json()["detail"][0]["loc"] == ["body", "kind"]
    nobody = client.post(
        "/api/v1/agencies", headers=_auth(tokens, "coordinator"), json={"name": "Schools", "contact_email": "x@y.org"}
    )
    assert nobody.status_code == 422 and nobody.json()["detail"][0]["loc"] == ["body", "contact_email"]
    assert "dhr user" not in nobody.text  # the service's advice for the command line is left out
    refused = client.post("/api/v1/agencies", headers=_auth(tokens, "reviewer"), json={"name": "Schools"})
    assert refused.status_code == 403
    assert refused.json()["allowed_roles"] == ["admin", "coordinator", "csp_chair"]
    assert "admin, coordinator, csp_chair" in refused.json()["detail"]
    assert _events(demo) == before  # nothing changed by the refusals
    assert "Schools" not in {a["name"] for a in directory.list_agencies(demo.ctx)}


def test_a_case_s_agencies_in_scope_are_added_and_removed_with_a_reason(demo, client_for, tokens):
    client, auth = client_for(None), _auth(tokens, "coordinator")
    ref = demo.ref("gathering evidence")
    scope = client.post(f"/api/v1/cases/{ref}/agencies", headers=auth, json={"agency": "Substance Misuse Service"})
    assert scope.status_code == 201, scope.text
    assert {s["agency"] for s in scope.json() if s["in_scope"]} >= {"Substance Misuse Service", "Housing Services"}
    unknown = client.post(f"/api/v1/cases/{ref}/agencies", headers=auth, json={"agency": "Nobody At All"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "agency"]
    no_reason = client.post(f"/api/v1/cases/{ref}/agencies/housing-services/remove", headers=auth, json={"reason": ""})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"][-1] == "reason"
    removed = client.post(
        f"/api/v1/cases/{ref}/agencies/housing-services/remove", headers=auth, json={"reason": "No contact in period"}
    )
    assert removed.status_code == 200, removed.text
    housing = next(
        s for s in client.get(f"/api/v1/cases/{ref}/agencies", headers=auth).json() if s["slug"] == "housing-services"
    )
    assert housing["in_scope"] is False and housing["removed_reason"] == "No contact in period"
    panel = client.post(f"/api/v1/cases/{ref}/agencies", headers=_auth(tokens, "panel_member"), json={"agency": "x"})
    assert panel.status_code == 403 and "panel_member" not in panel.json()["allowed_roles"]
    assert client.get(f"/api/v1/cases/{ref}/agencies", headers=_auth(tokens, "agency_contact")).status_code == 403


def test_evidence_is_requested_received_as_nil_return_or_file_and_extended(demo, client_for, tokens):
    client, auth = client_for(None), _auth(tokens, "coordinator")
    ref = demo.ref("gathering evidence")
    made = client.post(
        f"/api/v1/cases/{ref}/evidence", headers=auth, json={"agency": "Housing Services", "kind": "chronology"}
    )
    assert made.status_code == 201, made.text
    request_id = made.json()["id"]
    assert made.json()["status"] == "requested" and made.json()["kind"] == "chronology"
    extended = client.post(
        f"/api/v1/cases/{ref}/evidence/{request_id}/extend",
        headers=auth,
        json={"to": "2100-01-04", "agreed_by": "The coordinator", "reason": "Records held off site"},
    )
    assert extended.status_code == 200 and extended.json()["due"] == "2100-01-04"
    too_far = client.post(
        f"/api/v1/cases/{ref}/evidence/{request_id}/extend",
        headers=auth,
        json={"to": "2101-01-04", "agreed_by": "x", "reason": "y"},
    )
    assert too_far.status_code == 422 and too_far.json()["detail"][0]["loc"] == ["body", "to"]
    sent = client.post(
        f"/api/v1/cases/{ref}/evidence/{request_id}/files",
        headers=auth,
        files={"file": ("housing-chronology.csv", b"Date,Time,Agency,Event,Source\n", "text/csv")},
        data={"note": "By secure email"},
    )
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "received" and sent.json()["files"][0]["filename"] == "housing-chronology.csv"
    again = client.post(f"/api/v1/cases/{ref}/evidence/{request_id}/nil-return", headers=auth, json={})
    assert again.status_code == 422 and "already" in again.json()["detail"][0]["msg"]


def test_an_agency_contact_records_only_their_own_agency_s_evidence(demo, client_for, tokens):
    client, auth = client_for(None), _auth(tokens, "agency_contact")
    ref = demo.ref("gathering evidence")
    mine = client.get(f"/api/v1/cases/{ref}/evidence", headers=auth).json()
    assert mine and {r["agency"] for r in mine} == {"Adult Social Care"}
    theirs = [r for r in evidence.list_requests(demo.ctx, ref) if r["agency"] != "Adult Social Care" and r["open"]]
    assert theirs
    refused = client.post(f"/api/v1/cases/{ref}/evidence/{theirs[0]['id']}/nil-return", headers=auth, json={})
    assert refused.status_code == 404
    awaited = next(r for r in mine if r["open"])
    done = client.post(
        f"/api/v1/cases/{ref}/evidence/{awaited['id']}/nil-return", headers=auth, json={"note": "Nothing held"}
    )
    assert done.status_code == 200 and done.json()["status"] == "nil_return"
    asking = client.post(
        f"/api/v1/cases/{ref}/evidence", headers=auth, json={"agency": "Adult Social Care", "kind": "imr"}
    )
    assert asking.status_code == 403 and "agency_contact" not in asking.json()["allowed_roles"]


def test_a_chronology_imports_all_rows_or_none_and_the_merge_is_shown(demo, client_for, tokens):
    client, auth = client_for(None), _auth(tokens, "coordinator")
    ref = demo.ref("gathering evidence")
    bad = b"Date,Time,Agency,Event,Source\n2021-02-30,,Housing,Tenancy visit,File\n2021-03-01,,Housing,,File\n"
    refused = client.post(
        f"/api/v1/cases/{ref}/chronology/housing-services", headers=auth, files={"file": ("h.csv", bad, "text/csv")}
    )
    assert refused.status_code == 422
    assert [d["loc"] for d in refused.json()["detail"]] == [["body", "file", 2], ["body", "file", 3]]
    assert chronology.merged(demo.ctx, ref) == []
    good = (
        b"Date,Time,Agency,Event,Source\n"
        b"2021-02-03,,Housing,Tenancy visit,File 1\n2021-04-01,09:00,Housing,Repair,File 2\n"
    )
    imported = client.post(
        f"/api/v1/cases/{ref}/chronology/housing-services", headers=auth, files={"file": ("h.csv", good, "text/csv")}
    )
    assert imported.status_code == 200 and imported.json()["imported"] == 2
    shown = client.get(f"/api/v1/cases/{ref}/chronology", headers=auth).json()
    assert [(e["date"], e["event"]) for e in shown] == [("2021-02-03", "Tenancy visit"), ("2021-04-01", "Repair")]
    assert client.get(f"/api/v1/cases/{ref}/chronology", headers=_auth(tokens, "panel_member")).status_code == 403
    contact = client.post(
        f"/api/v1/cases/{ref}/chronology/housing-services",
        headers=_auth(tokens, "agency_contact"),
        files={"file": ("h.csv", good, "text/csv")},
    )
    assert contact.status_code == 403  # not their agency


def test_recommendations_are_added_agreed_and_linked_and_a_reviewer_is_refused(demo, client_for, tokens):
    from datetime import date

    from dhr_workflow.demo.seed import email_for
    from dhr_workflow.lessons.actions import NewAction, add_action

    client, auth = client_for(None), _auth(tokens, "coordinator")
    ref = demo.ref("gathering evidence")
    body = {"text": "Train call handlers on coercive control", "addressee_type": "partnership"}
    added = client.post(f"/api/v1/cases/{ref}/recommendations", headers=auth, json=body)
    assert added.status_code == 201, added.text
    number = added.json()["number"]
    assert added.json()["status"] == "proposed"
    early = client.post(f"/api/v1/cases/{ref}/recommendations/{number}/link", headers=auth, json={"action_id": 1})
    assert early.status_code == 422
    agreed = client.post(f"/api/v1/cases/{ref}/recommendations/{number}/agree", headers=auth, json={})
    assert agreed.status_code == 200 and agreed.json()["status"] == "agreed"
    new = NewAction("Train call handlers by March", "adult-social-care", date(2027, 3, 31), theme="priority_response")
    action_id = add_action(demo.ctx, new, by=email_for("coordinator")).id
    linked = client.post(
        f"/api/v1/cases/{ref}/recommendations/{number}/link", headers=auth, json={"action_id": action_id}
    )
    assert linked.status_code == 200 and [a["id"] for a in linked.json()["actions"]] == [action_id]
    missing = client.post(f"/api/v1/cases/{ref}/recommendations/99/agree", headers=auth, json={})
    assert missing.status_code == 404
    reviewer = client.post(f"/api/v1/cases/{ref}/recommendations", headers=_auth(tokens, "reviewer"), json=body)
    assert reviewer.status_code == 403 and reviewer.json()["allowed_roles"] == ["admin", "coordinator", "csp_chair"]
    listed = client.get(f"/api/v1/cases/{ref}/recommendations", headers=_auth(tokens, "panel_member")).json()
    assert number in [r["number"] for r in listed]


def test_the_family_and_contact_log_are_need_to_know(demo, client_for, tokens):
    client, auth = client_for(None), _auth(tokens, "coordinator")
    ref = demo.ref("gathering evidence")
    added = client.post(
        f"/api/v1/cases/{ref}/family",
        headers=auth,
        json={"name": "Dana Example", "relationship": "Sister", "advocate": "aafda", "wants_involvement": "yes"},
    )
    assert added.status_code == 201, added.text
    party = added.json()["id"]
    wrong = client.post(
        f"/api/v1/cases/{ref}/family", headers=auth, json={"name": "Eve", "relationship": "Friend", "advocate": "x"}
    )
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "advocate"]
    contact = client.post(
        f"/api/v1/cases/{ref}/family/contacts",
        headers=auth,
        json={"party_id": party, "on": "2026-01-05", "how": "phone", "note": "Explained the review"},
    )
    assert contact.status_code == 201, contact.text
    log = client.get(f"/api/v1/cases/{ref}/family/contacts", headers=auth).json()
    assert [(c["with"], c["how"]) for c in log] == [("Dana Example", "phone")]
    for role in ("panel_member", "agency_contact", "viewer"):
        for path in (f"/api/v1/cases/{ref}/family", f"/api/v1/cases/{ref}/family/contacts"):
            response = client.get(path, headers=_auth(tokens, role))
            assert response.status_code == 404, (role, path)
            assert "Dana" not in response.text


def test_qa_rounds_items_and_answers(demo, client_for, tokens):
    client, auth = client_for(None), _auth(tokens, "coordinator")
    ref = demo.ref("gathering evidence")
    no_round = client.post(f"/api/v1/cases/{ref}/qa/items", headers=auth, json={"text": "Expand the E&D section"})
    assert no_round.status_code == 422
    backwards = client.post(
        f"/api/v1/cases/{ref}/qa/rounds", headers=auth, json={"letter_date": "2026-01-05", "meeting_date": "2026-01-20"}
    )
    assert backwards.status_code == 422 and backwards.json()["detail"][0]["loc"] == ["body", "meeting_date"]
    assert "check meeting_date" in backwards.json()["detail"][0]["msg"]  # the field's name, not the CLI's --option
    opened = client.post(f"/api/v1/cases/{ref}/qa/rounds", headers=auth, json={"letter_date": "2026-01-05"})
    assert opened.status_code == 201 and opened.json()["number"] == 1
    item = client.post(f"/api/v1/cases/{ref}/qa/items", headers=auth, json={"text": "Expand the E&D section"})
    assert item.status_code == 201 and item.json()["number"] == 1
    answer = client.post(
        f"/api/v1/cases/{ref}/qa/items/1/answer", headers=auth, json={"response": "Expanded", "section": "Equality"}
    )
    assert answer.status_code == 200 and answer.json()["section"] == "Equality"
    assert (
        client.post(
            f"/api/v1/cases/{ref}/qa/items/7/answer", headers=auth, json={"response": "x", "section": "y"}
        ).status_code
        == 404
    )
    rounds = client.get(f"/api/v1/cases/{ref}/qa", headers=_auth(tokens, "panel_member")).json()
    assert [(i["number"], i["answered"]) for i in rounds[-1]["items"]] == [(1, True)]
    refused = client.post(f"/api/v1/cases/{ref}/qa/rounds", headers=_auth(tokens, "panel_member"), json={})
    assert refused.status_code == 403 and "coordinator" in refused.json()["allowed_roles"]


def test_the_chair_s_sections_keep_every_version(demo, client_for, tokens):
    client, auth = client_for(None), _auth(tokens, "csp_chair")
    ref = demo.ref("gathering evidence")
    for text in ("First draft of the conclusions.", "Second draft of the conclusions."):
        saved = client.put(f"/api/v1/cases/{ref}/report-sections/conclusions", headers=auth, json={"text": text})
        assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 2
    listed = {s["name"]: s for s in client.get(f"/api/v1/cases/{ref}/report-sections", headers=auth).json()}
    assert listed["conclusions"]["text"] == "Second draft of the conclusions."
    history = client.get(f"/api/v1/cases/{ref}/report-sections/conclusions/history", headers=auth).json()
    assert [h["version"] for h in history] == [1, 2]
    assert (
        client.put(f"/api/v1/cases/{ref}/report-sections/nonsense", headers=auth, json={"text": "x"}).status_code == 404
    )
    control = client.put(f"/api/v1/cases/{ref}/report-sections/conclusions", headers=auth, json={"text": "a\u202eb"})
    assert control.status_code == 422 and control.json()["detail"][0]["loc"] == ["body", "text"]
    refused = client.put(
        f"/api/v1/cases/{ref}/report-sections/conclusions", headers=_auth(tokens, "panel_member"), json={"text": "x"}
    )
    assert refused.status_code == 403
    assert len(client.get(f"/api/v1/cases/{ref}/report-sections/conclusions/history", headers=auth).json()) == 2

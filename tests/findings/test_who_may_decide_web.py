"""Role refusals for a step reach pages and the API alike, and pages offer only the steps a person may take."""

from __future__ import annotations

from tests.web.conftest import csrf_of


def _version(html: str) -> str:
    return html.split('name="version" value="')[1].split('"')[0]


def test_a_coordinator_is_refused_the_decision_on_the_page_and_a_csp_chair_records_it(demo, client_for):
    ref = demo.ref("just notified")
    coordinator = client_for("coordinator")
    page = coordinator.get(f"/cases/{ref}")
    assert 'id="action-decide_review"' not in page.text  # not offered
    assert "Only csp_chair, admin may record this" in page.text
    form = {"csrf_token": csrf_of(page.text), "version": _version(page.text), "field_rationale": "Criteria met"}
    refused = coordinator.post(f"/cases/{ref}/actions", data={**form, "trigger": "decide_review"})
    assert refused.status_code == 403 and "csp_chair, admin" in refused.text
    chair = client_for("csp_chair")
    page = chair.get(f"/cases/{ref}")
    assert 'id="action-decide_review"' in page.text
    form = {"csrf_token": csrf_of(page.text), "version": _version(page.text), "field_rationale": "Criteria met"}
    assert chair.post(f"/cases/{ref}/actions", data={**form, "trigger": "decide_review"}).status_code == 303


def test_the_api_refuses_a_coordinator_the_decision_with_403_naming_the_roles(demo, client_for, tokens):
    client = client_for(None)
    ref = demo.ref("just notified")
    auth = {"Authorization": f"Bearer {tokens['coordinator']}"}
    case = client.get(f"/api/v1/cases/{ref}", headers=auth).json()
    assert "decide_review" not in case["available_triggers"]
    refused = client.post(
        f"/api/v1/cases/{ref}/fire", headers=auth, json={"trigger": "decide_review", "values": {"rationale": "x"}}
    )
    assert refused.status_code == 403 and "csp_chair, admin" in refused.json()["detail"]
    chair = {"Authorization": f"Bearer {tokens['csp_chair']}"}
    assert "decide_review" in client.get(f"/api/v1/cases/{ref}", headers=chair).json()["available_triggers"]
    fired = client.post(
        f"/api/v1/cases/{ref}/fire", headers=chair, json={"trigger": "decide_review", "values": {"rationale": "x"}}
    )
    assert fired.status_code == 200, fired.text

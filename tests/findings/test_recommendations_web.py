"""The case page's recommendation forms, over the same service as `dhr recommendation`; need to know holds."""

from __future__ import annotations

from dhr_workflow.lessons import recommendations
from tests.web.conftest import form_post


def test_a_coordinator_adds_and_agrees_a_recommendation_on_the_case_page(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("published")
    page = f"/cases/{ref}"
    before = len(recommendations.list_for_case(demo.ctx, ref))
    added = form_post(
        client,
        page,
        f"{page}/recommendations",
        {"text": "Share risk assessments at the MARAC", "addressee_type": "partnership"},
    )
    assert added.status_code == 303, added.text
    rows = recommendations.list_for_case(demo.ctx, ref)
    assert len(rows) == before + 1 and rows[-1]["status"] == "proposed"
    number = rows[-1]["number"]
    shown = client.get(page).text
    assert "Share risk assessments at the MARAC" in shown and "Record what happened to recommendation" in shown
    agreed = form_post(client, page, f"{page}/recommendations/{number}/agree", {"on": ""})
    assert agreed.status_code == 303
    assert recommendations.list_for_case(demo.ctx, ref)[-1]["status"] == "agreed"


def test_a_bad_recommendation_is_shown_against_its_field_and_changes_nothing(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("published")
    before = recommendations.list_for_case(demo.ctx, ref)
    refused = form_post(
        client, f"/cases/{ref}", f"/cases/{ref}/recommendations", {"text": "x", "addressee_type": "local_agency"}
    )
    assert refused.status_code == 422 and 'href="#recommendation-text"' in refused.text
    assert recommendations.list_for_case(demo.ctx, ref) == before


def test_people_who_cannot_change_the_case_cannot_add_recommendations(demo, client_for):
    ref = demo.ref("gathering evidence")
    viewer = client_for("viewer")
    page = viewer.get(f"/cases/{ref}")
    assert page.status_code == 200 and "Add a recommendation" not in page.text
    from tests.web.conftest import csrf_of

    response = viewer.post(
        f"/cases/{ref}/recommendations",
        data={"csrf_token": csrf_of(page.text), "text": "x", "addressee_type": "partnership"},
    )
    assert response.status_code == 403

"""The commentary round from the browser, over the same service as `dhr commentary`: the round's steps as buttons
(collating with updates missing needs a reason), and opening the next round after seeing whom it will ask, on
which action and by when. Only the community safety team and the chairs run rounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from dhr_workflow.core.audit import AuditEvent
from dhr_workflow.core.errors import NotPermitted
from dhr_workflow.demo.seed import email_for
from dhr_workflow.lessons import commentary, round_owners
from tests.web.conftest import form_post

PAGE = "/plan/commentary"


def _finish_the_demo_round(client) -> None:
    collated = form_post(client, PAGE, f"{PAGE}/steps/collate", {"note": "Police update follows at the meeting"})
    assert collated.status_code == 303 and collated.headers["location"] == f"{PAGE}?done=collate"
    for trigger in ("present", "send_to_board"):
        assert form_post(client, PAGE, f"{PAGE}/steps/{trigger}", {}).status_code == 303


def test_collating_with_updates_missing_asks_why_in_the_page_words(demo, client_for) -> None:
    client = client_for("coordinator")
    page = client.get(PAGE)
    assert page.status_code == 200 and "Collate the updates into the plan" in page.text
    assert 'name="note"' in page.text and "govuk-character-count" in page.text
    refused = form_post(client, PAGE, f"{PAGE}/steps/collate", {})
    assert refused.status_code == 422
    assert 'href="#step-collate-note"' in refused.text and "This cannot happen yet" in refused.text
    summary = refused.text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert "dhr " not in summary and " --" not in summary and "`" not in summary
    assert commentary.status(demo.ctx)["state"] == "collecting"
    collated = form_post(client, PAGE, f"{PAGE}/steps/collate", {"note": "Police update follows at the meeting"})
    assert collated.status_code == 303
    assert commentary.status(demo.ctx)["state"] == "collated"
    assert "updates were collated" in client.get(collated.headers["location"]).text


def test_the_next_round_is_opened_after_seeing_who_is_asked_on_what_and_by_when(demo, client_for) -> None:
    client = client_for("csp_chair")
    _finish_the_demo_round(client)
    page = client.get(PAGE)
    preview = round_owners.preview(demo.ctx)
    assert "Open a commentary round" in page.text and preview["asked"]
    for row in preview["asked"]:
        assert f"Action {row['action_id']}" in page.text
        if row["owner"]:
            assert row["owner"] in page.text
    from dhr_workflow.web.templating import long_date

    assert f"updates are due on {long_date(preview['due_on'])}" in page.text
    opened_on = demo.ctx.today() - timedelta(days=1)
    made = form_post(
        client,
        PAGE,
        PAGE,
        {
            "title": "Spring commentary round",
            "on-day": str(opened_on.day),
            "on-month": str(opened_on.month),
            "on-year": str(opened_on.year),
        },
    )
    assert made.status_code == 303 and made.headers["location"] == f"{PAGE}?done=opened"
    status = commentary.status(demo.ctx)
    assert (status["title"], status["state"], status["opened_on"]) == (
        "Spring commentary round",
        "collecting",
        opened_on,
    )
    asked = {r["action_id"] for r in status["requests"]}
    assert asked == {r["action_id"] for r in preview["asked"] if r["owner"]}
    with demo.ctx.db.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "commentary:request_updates")).all()[-1]
    assert event.actor == email_for("csp_chair")


def test_a_bad_title_or_date_is_refused_against_its_field_and_nothing_opens(demo, client_for) -> None:
    client = client_for("coordinator")
    _finish_the_demo_round(client)
    before = commentary.status(demo.ctx)["id"]
    bad_title = form_post(client, PAGE, PAGE, {"title": "Spring\u202eround"})
    assert bad_title.status_code == 422 and 'href="#round-title"' in bad_title.text
    assert 'value="Spring' in bad_title.text  # what was typed is shown again
    future = demo.ctx.today() + timedelta(days=2)
    late = form_post(
        client, PAGE, PAGE, {"on-day": str(future.day), "on-month": str(future.month), "on-year": str(future.year)}
    )
    assert late.status_code == 422 and "The date the round opens must be today or in the past" in late.text
    assert 'href="#round-on"' in late.text
    assert commentary.status(demo.ctx)["id"] == before


@pytest.mark.parametrize("role", ["agency_contact", "viewer", "panel_member", "reviewer"])
def test_only_the_team_and_the_chairs_run_rounds(demo, client_for, role) -> None:
    client = client_for(role)
    assert client.get(PAGE).status_code == 403
    for action in (PAGE, f"{PAGE}/steps/collate"):
        assert form_post(client, "/", action, {"note": "x", "title": "Mine"}).status_code == 403
    assert commentary.status(demo.ctx)["state"] == "collecting"
    with pytest.raises(NotPermitted):
        commentary.advance(demo.ctx, "collate", note="x", by=email_for(role))
    with pytest.raises(NotPermitted):
        round_owners.preview(demo.ctx, by=email_for(role))


def test_an_unknown_step_is_not_found(demo, client_for) -> None:
    client = client_for("coordinator")
    assert form_post(client, PAGE, f"{PAGE}/steps/delete_everything", {}).status_code == 404

"""Home Office QA feedback as itemised rounds: the items gate `complete_amendments` and a resubmission, the
cover letter lists the last round's items with their responses, and the binding CLI records them."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dhr_workflow.cases import detail_model
from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.queries import show_case
from dhr_workflow.core.context import ReadContext
from dhr_workflow.core.errors import GuardFailed, InvalidInput, NotFound
from dhr_workflow.documents.versions import render_for_case
from dhr_workflow.qa import rounds
from dhr_workflow.workflow.registry import WorkflowRegistry
from tests.conftest import REPO
from tests.factories import COORDINATOR, add_people, new_case, walk
from tests.integration.paths import dated_steps, path_to

DHR = WorkflowRegistry.from_directory(REPO / "workflows").latest("dhr")
START = date(2025, 3, 3)


def _at(ctx, state: str) -> str:
    add_people(ctx)
    ref = new_case(ctx, START)
    cases.assign(ctx, ref, COORDINATOR, "coordinator")
    walk(ctx, ref, dated_steps(START, path_to(DHR, state), DHR))
    return ref


def test_amendments_cannot_be_completed_until_every_item_of_the_last_round_is_answered(ctx) -> None:
    ref = _at(ctx, "amending")
    rounds.open_round(ctx, ref, letter_date=date(2025, 6, 2), meeting_date=date(2025, 5, 20))
    rounds.add_item(ctx, ref, "Strengthen the analysis of coercive control")
    rounds.add_item(ctx, ref, "Add the equality and diversity section")
    rounds.answer_item(ctx, ref, 1, response="Analysis rewritten", section="Section 9")
    with pytest.raises(GuardFailed, match="1 item"):
        cases.fire(ctx, ref, "complete_amendments")
    assert show_case(ctx, ref)["state"] == "amending"
    rounds.answer_item(ctx, ref, 2, response="Section added", section="Section 10")
    cases.fire(ctx, ref, "complete_amendments")
    assert show_case(ctx, ref)["state"] == "approved_for_publication"


def test_case_show_reads_the_open_qa_items_with_core_as_show_case_does(ctx) -> None:
    ref = _at(ctx, "amending")
    seen = [detail_model.case_detail(ReadContext.of(ctx), ref)]  # no round yet: nothing open
    rounds.open_round(ctx, ref)
    rounds.add_item(ctx, ref, "Old point")
    rounds.answer_item(ctx, ref, 1, response="Done", section="Section 2")
    rounds.open_round(ctx, ref)
    rounds.add_item(ctx, ref, "New point")
    rounds.add_item(ctx, ref, "Another")
    seen.append(detail_model.case_detail(ReadContext.of(ctx), ref))  # only the last round counts
    assert seen[-1] == show_case(ctx, ref)
    assert [d["blocked_actions"] for d in seen][0] == []
    assert "2 item(s)" in " ".join(m for b in seen[-1]["blocked_actions"] for m in b["missing"])
    rounds.answer_item(ctx, ref, 1, response="Done", section="Section 3")
    rounds.answer_item(ctx, ref, 2, response="Done", section="Section 4")
    assert detail_model.case_detail(ReadContext.of(ctx), ref) == show_case(ctx, ref)
    assert "complete_amendments" in show_case(ctx, ref)["available_triggers"]


def test_a_resubmission_needs_the_last_round_answered_and_only_the_last(ctx) -> None:
    ref = _at(ctx, "signed_off")
    rounds.open_round(ctx, ref)
    rounds.add_item(ctx, ref, "Old point")
    rounds.answer_item(ctx, ref, 1, response="Done", section="Section 2")
    rounds.open_round(ctx, ref)
    rounds.add_item(ctx, ref, "New point")
    with pytest.raises(GuardFailed, match="no response yet"):
        cases.fire(ctx, ref, "submit_to_home_office")
    rounds.answer_item(ctx, ref, 1, response="Done too", section="Section 3")
    cases.fire(ctx, ref, "submit_to_home_office")
    assert show_case(ctx, ref)["state"] == "with_home_office_qa"


def test_items_need_a_round_and_bad_dates_are_refused(ctx) -> None:
    ref = _at(ctx, "amending")
    with pytest.raises(InvalidInput, match="no Home Office QA feedback"):
        rounds.add_item(ctx, ref, "A point")
    with pytest.raises(InvalidInput, match="meets before"):
        rounds.open_round(ctx, ref, letter_date=date(2025, 6, 2), meeting_date=date(2025, 6, 9))
    rounds.open_round(ctx, ref)
    with pytest.raises(NotFound, match="no item 3"):
        rounds.answer_item(ctx, ref, 3, response="x", section="y")
    with pytest.raises(InvalidInput):
        rounds.answer_item(ctx, ref, 1, response="", section="y")


def test_the_cover_letter_lists_the_last_round_s_items_with_their_responses(ctx) -> None:
    ref = _at(ctx, "amending")
    rounds.open_round(ctx, ref, letter_date=date(2025, 6, 2))
    rounds.add_item(ctx, ref, "Strengthen the analysis of coercive control")
    rounds.answer_item(ctx, ref, 1, response="Analysis rewritten with the agencies", section="Section 9")
    text = " ".join(render_for_case(ctx, ref, "qa_cover_letter", "txt").content.decode().split())
    assert "Strengthen the analysis of coercive control" in text
    assert "Analysis rewritten with the agencies" in text and "Section 9" in text
    assert "2 June 2025" in text


def test_the_binding_cli_records_rounds_items_and_answers(ctx, cli) -> None:
    ref = _at(ctx, "amending")
    assert cli("qa", "round", ref, "--letter-date", "2025-06-02", "--meeting-date", "2025-05-20").exit_code == 0
    assert cli("qa", "item", "add", ref, "--text", "Add a chronology summary").exit_code == 0
    answered = cli("qa", "item", "answer", ref, "1", "--response", "Added", "--section", "Section 5")
    assert answered.exit_code == 0, answered.output
    listed = json.loads(cli("qa", "items", ref, "--json").stdout)
    assert listed == [
        {
            "round": 1,
            "letter_date": "2025-06-02",
            "meeting_date": "2025-05-20",
            "items": [
                {
                    "number": 1,
                    "text": "Add a chronology summary",
                    "response": "Added",
                    "section": "Section 5",
                    "answered": True,
                    "answered_on": ctx.today().isoformat(),
                }
            ],
        }
    ]
    missing = cli("qa", "item", "answer", ref, "9", "--response", "x", "--section", "y")
    assert missing.exit_code == 4 and "no item 9" in missing.stderr
    future = cli("qa", "round", ref, "--letter-date", "2099-01-01")
    assert future.exit_code == 2


def test_the_case_page_shows_open_items_and_records_rounds_items_and_answers(demo, client_for) -> None:
    from tests.web.conftest import form_post

    client = client_for("coordinator")
    ref = demo.ref("published")
    page = f"/cases/{ref}"
    assert form_post(client, page, f"{page}/qa/rounds", {"letter_date": "", "meeting_date": ""}).status_code == 303
    assert form_post(client, page, f"{page}/qa/items", {"text": "Add the family's tribute"}).status_code == 303
    shown = client.get(page).text
    assert "1 item(s) of the Home Office&#39;s last feedback have no response yet" in shown
    assert "Add the family&#39;s tribute" in shown and "Answer item 1" in shown
    empty = form_post(client, page, f"{page}/qa/items/1/answer", {"response": "", "section": ""})
    assert empty.status_code == 422 and 'href="#qa-item-1-response"' in empty.text
    answered = form_post(client, page, f"{page}/qa/items/1/answer", {"response": "Added", "section": "Section 1"})
    assert answered.status_code == 303
    assert "have no response yet" not in client.get(page).text
    assert rounds.items_of(demo.ctx, ref)[-1]["items"][0]["response"] == "Added"

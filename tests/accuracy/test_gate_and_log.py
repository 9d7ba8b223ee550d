"""`panel_agree` waits for the factual-accuracy round (refused with a structured reason when there is none or it is
still open), and the comments log lists each comment with the chair's response in every format and variant."""

from __future__ import annotations

from datetime import date

import pytest

from dhr_workflow.accuracy import rounds, views
from dhr_workflow.cases import detail_model
from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.queries import show_case
from dhr_workflow.core.context import ReadContext
from dhr_workflow.core.errors import GuardFailed
from dhr_workflow.documents.extract import text_of
from dhr_workflow.documents.versions import render_for_case
from tests.accuracy.builders import CHAIR, HEALTH, POLICE, draft_case
from tests.agencies.builders import POLICE_CONTACT
from tests.factories import COORDINATOR


def _refusal(ctx, ref):
    with pytest.raises(GuardFailed) as refused:
        cases.fire(ctx, ref, "panel_agree", by=COORDINATOR)
    [missing] = refused.value.missing
    return missing


def test_panel_agree_is_refused_without_a_round_and_while_one_is_open_then_allowed_once_closed(ctx):
    ref, version = draft_case(ctx)
    none = _refusal(ctx, ref)
    assert none.action == "factual_accuracy" and "has not been circulated" in none.what
    assert "dhr accuracy circulate" in none.command and "dhr" not in none.what  # the page words it without a command
    rounds.circulate(ctx, ref, version, agencies=[POLICE, HEALTH], on=date(2026, 11, 2), by=COORDINATOR)
    open_round = _refusal(ctx, ref)
    assert "still open: 2 answer(s) awaited (due 2026-11-16)" in open_round.what
    police = next(r for r in views.rounds_of(ctx, ref)[0]["recipients"] if r["name"] == POLICE)
    rounds.answer(ctx, ref, police["id"], no_comments=True, by=POLICE_CONTACT)
    assert "1 answer(s) awaited" in _refusal(ctx, ref).what
    rounds.close(ctx, ref, on=date(2026, 11, 17), by=COORDINATOR)  # after the deadline: the rest not answered
    assert cases.fire(ctx, ref, "panel_agree", by=COORDINATOR).dest == "awaiting_csp_sign_off"


def test_case_show_reads_the_accuracy_problem_with_core_as_show_case_does(ctx):
    ref, version = draft_case(ctx)

    def shown() -> dict:
        core = detail_model.case_detail(ReadContext.of(ctx), ref)
        assert core == show_case(ctx, ref)
        return core

    said = [shown()]  # no round yet
    rounds.circulate(ctx, ref, version, agencies=[POLICE, HEALTH], on=date(2026, 11, 2), by=COORDINATOR)
    said.append(shown())  # two answers awaited
    police = next(r for r in views.rounds_of(ctx, ref)[0]["recipients"] if r["name"] == POLICE)
    rounds.answer(ctx, ref, police["id"], no_comments=True, by=POLICE_CONTACT)
    said.append(shown())  # one awaited
    rounds.close(ctx, ref, on=date(2026, 11, 17), by=COORDINATOR)
    said.append(shown())  # closed: the panel may agree
    blocked = [" ".join(m for b in d["blocked_actions"] for m in b["missing"]) for d in said]
    assert "has not been circulated" in blocked[0]
    assert "2 answer(s) awaited (due 2026-11-16)" in blocked[1] and "1 answer(s) awaited" in blocked[2]
    assert "panel_agree" in said[3]["available_triggers"]


def test_every_answer_in_lets_the_panel_agree_without_closing(ctx):
    ref, version = draft_case(ctx)
    rounds.circulate(ctx, ref, version, agencies=[POLICE], on=date(2026, 11, 2), by=COORDINATOR)
    [police] = views.rounds_of(ctx, ref)[0]["recipients"]
    rounds.answer(ctx, ref, police["id"], comments="Fine apart from para 2", by=POLICE_CONTACT)
    assert cases.fire(ctx, ref, "panel_agree", by=COORDINATOR).dest == "awaiting_csp_sign_off"


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "txt"])
@pytest.mark.parametrize("variant", ["standard", "large-print"])
def test_the_comments_log_lists_each_comment_with_the_chairs_response(ctx, fmt, variant):
    ref, version = draft_case(ctx)
    rounds.circulate(
        ctx, ref, version, agencies=[POLICE, HEALTH], recipients=["CPS Reviewing Lawyer <cps@cps.example>"],
        on=date(2026, 11, 2), by=COORDINATOR,
    )  # fmt: skip
    people = {r["name"]: r for r in views.rounds_of(ctx, ref)[0]["recipients"]}
    comment = rounds.answer(ctx, ref, people[POLICE]["id"], comments="Officers attended at 21:40", by=POLICE_CONTACT)
    rounds.answer(ctx, ref, people[HEALTH]["id"], no_comments=True, by=COORDINATOR)
    rounds.answer(
        ctx, ref, people["CPS Reviewing Lawyer"]["id"], upload=rounds.Upload("cps.pdf", b"%PDF"), by=COORDINATOR
    )
    rounds.respond(ctx, ref, comment or 0, response="Corrected in paragraph 4.2", by=CHAIR)
    rendered = render_for_case(ctx, ref, "comments_log", fmt, variant)
    text = " ".join((rendered.content.decode() if fmt in ("html", "txt") else text_of(fmt, rendered.content)).split())
    for expected in (
        "Factual-accuracy comments log",
        "Officers attended at 21:40",
        "Corrected in paragraph 4.2",
        "No comments",
        "Sent as a file: cps.pdf",
        "No response recorded yet",
        "16 November 2026",
    ):
        assert expected in text, expected


def test_the_comments_log_says_when_nothing_was_circulated(ctx):
    ref, _version = draft_case(ctx)
    html = render_for_case(ctx, ref, "comments_log", "html").content.decode()
    assert "has not been circulated for factual accuracy yet" in html

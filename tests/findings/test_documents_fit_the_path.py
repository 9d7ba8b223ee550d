"""Only the documents that fit the case's path are listed and packed, and the decision letters say when the person
died as a date ("died on 20 September 2026")."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.documents.versions import list_documents, pack, render_for_case
from tests.factories import COORDINATOR, DECISION, add_people, new_case

DEATH = "died on 1 October 2026"  # tests.factories.notification: the day before the notified date


def _case(ctx, trigger: str | None) -> str:
    add_people(ctx)
    ref = new_case(ctx, date(2026, 10, 2))
    cases.assign(ctx, ref, COORDINATOR, "coordinator")  # letters are signed by the case's coordinator
    if trigger:
        cases.fire(ctx, ref, trigger, on=date(2026, 10, 20), values=DECISION)
    return ref


def _listed(ctx, ref: str) -> set[str]:
    return {d["name"] for d in list_documents(ctx, ref)}


def _packed(ctx, ref: str) -> set[str]:
    content, _ = pack(ctx, ref, formats=("txt",))
    return {name.split("-v")[0].removeprefix(f"{ref}-") for name in zipfile.ZipFile(io.BytesIO(content)).namelist()}


def test_a_case_with_a_review_offers_and_packs_no_no_review_letter(ctx) -> None:
    ref = _case(ctx, "decide_review")
    assert "decision_letter_no_review" not in _listed(ctx, ref) and "decision_letter_review" in _listed(ctx, ref)
    packed = _packed(ctx, ref)
    assert "decision_letter_no_review" not in packed and "decision_letter_review" in packed


def test_a_case_with_no_review_offers_none_of_the_review_s_documents(ctx) -> None:
    ref = _case(ctx, "decide_no_review")
    listed = _listed(ctx, ref)
    assert "decision_letter_no_review" in listed
    assert not listed & {"decision_letter_review", "overview_report", "family_letter", "action_plan"}
    packed = _packed(ctx, ref)
    assert "decision_letter_no_review" in packed and "decision_letter_review" not in packed


def test_an_undecided_case_lists_both_paths(ctx) -> None:
    listed = _listed(ctx, _case(ctx, None))
    assert {"decision_letter_review", "decision_letter_no_review", "notification"} <= listed


def test_both_decision_letters_say_died_on_a_date(ctx) -> None:
    review = _case(ctx, "decide_review")
    no_review = new_case(ctx, date(2026, 10, 2), police_ref="MET/2026/0002")
    cases.fire(ctx, no_review, "decide_no_review", on=date(2026, 10, 20), values=DECISION)
    for ref, letter in ((review, "decision_letter_review"), (no_review, "decision_letter_no_review")):
        text = " ".join(render_for_case(ctx, ref, letter, "txt").content.decode().split())
        assert DEATH in text and "died in " not in text, letter

"""The resubmission cover letter fits one A4 page however many points the Home Office QA Panel raised: the points,
with our responses, follow as an enclosure on their own page."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

from pypdf import PdfReader

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.settings import Settings
from dhr_workflow.documents.versions import render_for_case
from dhr_workflow.qa import rounds
from tests.documents.conftest import LETTERHEAD, TRICKY
from tests.findings.test_qa_rounds import _at

# What a Panel's feedback letter typically asks for, with the partnership's answers (nine points).
FEEDBACK = [
    (
        "Strengthen the analysis of coercive and controlling behaviour across the whole review period",
        "Section 9 rewritten with the agencies' chronologies; the pattern of control is now analysed year by year",
        "Overview report, section 9",
    ),
    (
        "Explain why the GP practice was not represented on the panel",
        "The practice joined the panel in March and wrote an agency report; the reasons for the delay are set out",
        "Overview report, sections 2 and 4",
    ),
    (
        "Add the equality and diversity analysis under the nine protected characteristics",
        "A new section considers each protected characteristic and the victim's experience of services",
        "Overview report, section 11",
    ),
    (
        "Make the recommendations SMART and name the agency responsible for each",
        "Each recommendation now names its agency, a measure and a target date in the action plan",
        "Action plan; overview report, section 14",
    ),
    (
        "Say how the family was involved and whether their views are reflected",
        "The family met the chair twice; their account of the victim opens the report in their own words",
        "Overview report, sections 1 and 5",
    ),
    (
        "Remove details that could identify the children",
        "Ages, school and town removed; the children are referred to together throughout",
        "Overview report and executive summary, throughout",
    ),
    (
        "Clarify the terms of reference on the period under review",
        "The period is now stated as January 2021 to the date of death, with the reasons",
        "Overview report, section 3",
    ),
    (
        "Summarise the learning in the executive summary",
        "A learning summary of one page has been added to the executive summary",
        "Executive summary, section 6",
    ),
    (
        "Check the chronology against the agency reports for consistency",
        "The merged chronology was checked entry by entry with the agencies; two dates were corrected",
        "Overview report, appendix A",
    ),
]


def _letter_pages(ctx: AppContext, ref: str) -> list[str]:
    """The standard-print PDF's pages as text, rendered with the letterhead (logo and address) of the matrix."""
    settings = Settings(database_url=ctx.settings.database_url, _env_file=None, **LETTERHEAD)  # type: ignore[call-arg]
    cases.set_fields(ctx, ref, {"chair_name": TRICKY})
    content = render_for_case(replace(ctx, settings=settings), ref, "qa_cover_letter", "pdf").content
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_resubmission_letter_is_one_page_and_the_panel_s_points_follow_as_an_enclosure(ctx) -> None:
    ref = _at(ctx, "amending")
    rounds.open_round(ctx, ref, letter_date=date(2025, 6, 2), meeting_date=date(2025, 5, 20))
    for number, (point, response, where) in enumerate(FEEDBACK, start=1):
        rounds.add_item(ctx, ref, point)
        rounds.answer_item(ctx, ref, number, response=response, section=where)

    letter, *enclosure = _letter_pages(ctx, ref)

    assert letter.startswith(LETTERHEAD["letterhead_name"]) and "Dear Panel" in letter
    assert "Yours sincerely" in letter and letter.endswith("Page 1 of " + str(1 + len(enclosure)))
    assert "the enclosed table gives our response to each of its 9 points" in letter
    assert not any(point[:40] in letter for point, _, _ in FEEDBACK)
    assert enclosure and enclosure[0].startswith("Enclosure: our response to the Panel's feedback")
    assert "after its meeting on 20 May 2025" in enclosure[0]
    rest = " ".join(enclosure)
    for point, response, where in FEEDBACK:
        assert point[:40] in rest and response[:40] in rest and where in rest


def test_without_feedback_the_letter_is_one_page_with_no_enclosure(ctx) -> None:
    (letter,) = _letter_pages(ctx, _at(ctx, "signed_off"))
    assert "Yours sincerely" in letter and "Enclosure" not in letter and "resubmission" not in letter

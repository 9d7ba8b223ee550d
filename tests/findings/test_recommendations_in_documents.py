"""Every document of a published case carries its agreed recommendations, compared with the records, in HTML, PDF,
Word and text; a proposed recommendation is in none of them."""

from __future__ import annotations

import re

import pytest

from dhr_workflow.documents.extract import text_of
from dhr_workflow.documents.versions import render_for_case
from dhr_workflow.lessons import documents as lesson_documents
from dhr_workflow.lessons import recommendations
from tests.web.conftest import Demo

pytestmark = pytest.mark.single_db  # seeding the demo walks many transitions: once is enough
PROPOSED = "Proposed only: the panel has not agreed this yet"


def _flat(text: str) -> str:
    """Without whitespace: text and PDF wrap long cells, breaking lines after hyphens too."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def published(ctx, demo: Demo) -> str:
    ref = demo.ref("published")
    recommendations.add(ctx, ref, text=PROPOSED, addressee_type="partnership")
    return ref


def test_the_published_case_s_documents_carry_its_agreed_recommendations_in_every_format(ctx, published) -> None:
    records = recommendations.list_for_case(ctx, published)
    agreed = [r for r in records if r["status"] != "proposed"]
    assert len(agreed) >= 3 and all(r["actions"] for r in agreed[:2])
    for name in ("overview_report", "executive_summary", "action_plan"):
        for fmt in ("html", "pdf", "docx", "txt"):
            text = _flat(text_of(fmt, render_for_case(ctx, published, name, fmt).content))
            for r in agreed:
                assert _flat(r["text"]) in text, (name, fmt, r["number"])
                if name != "action_plan":
                    assert _flat(r["addressee"]) in text, (name, fmt, r["number"])
            assert PROPOSED not in text, (name, fmt)
            assert "will be listed here" not in text, (name, fmt)


def test_the_action_plan_has_the_guidance_s_columns_filled_from_the_linked_actions(ctx, published) -> None:
    html = render_for_case(ctx, published, "action_plan", "html").content.decode()
    for column in ("Recommendation", "Action to take", "Lead agency", "Key milestones", "Target date",
                   "Completion date", "Outcome"):  # fmt: skip
        assert f'<th scope="col">{column}</th>' in html
    text = _flat(text_of("html", html.encode()))
    for r in recommendations.list_for_case(ctx, published):
        for a in r["actions"]:
            assert _flat(a["description"]) in text and _flat(a["agency"]) in text
            for milestone in a["milestones"]:
                assert _flat(milestone) in text


def test_the_learning_briefing_lists_the_agreed_recommendations(ctx, published) -> None:
    text = _flat(text_of("html", lesson_documents.render(ctx, "learning_briefing", "html", subject=published)))
    agreed = [r for r in recommendations.list_for_case(ctx, published) if r["status"] != "proposed"]
    for r in agreed:
        assert _flat(r["text"]) in text
    assert PROPOSED not in text

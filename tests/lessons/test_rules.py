"""Pure lessons rules, property-tested: RAG, overdue, theme rotation, tags."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.lessons.rules import THEMES, Status, is_overdue, normalise_tag, quarterly_slots, rag

pytestmark = pytest.mark.single_db
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(st.sampled_from(list(Status)), days, days)
def test_rag_is_complete_for_finished_work_and_red_for_anything_late(status, target, today):
    colour = rag(status, target, today)
    if status in (Status.COMPLETED, Status.CLOSED):
        assert colour == "complete" and not is_overdue(status, target, today)
    elif target < today:
        assert colour == "red" and is_overdue(status, target, today)
    else:
        assert not is_overdue(status, target, today)


@given(days, st.integers(min_value=1, max_value=20), st.sampled_from(THEMES))
def test_meetings_rotate_through_every_theme_a_quarter_apart(first, count, theme):
    slots = quarterly_slots(first, count, theme)
    assert slots[0].theme == theme and len(slots) == count
    for before, after in zip(slots, slots[1:], strict=False):
        assert THEMES.index(after.theme) == (THEMES.index(before.theme) + 1) % len(THEMES)
        assert timedelta(days=89) <= after.starts_on - before.starts_on <= timedelta(days=92)


@given(st.text(max_size=80))
def test_tags_are_normalised_or_refused_never_stored_raw(raw):
    try:
        tag = normalise_tag(raw)
    except InvalidInput:
        return
    assert tag == normalise_tag(tag) and tag == tag.lower() and " " not in tag

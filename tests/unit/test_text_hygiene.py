"""Typed text and dates as hostile input (issue 16): control characters, line breaks in single-line fields and
text-direction overrides are refused; invisible-only values are empty; dates stay within 1900-2100; duplicate YAML
keys are named with both lines."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dhr_workflow.core.errors import InvalidInput, WorkflowDefinitionError
from dhr_workflow.core.text import clean_text, in_supported_range, is_blank, parse_date
from dhr_workflow.workflow.definition import parse_definition


@pytest.mark.parametrize(
    "hostile",
    ["Ol\u202eevi", "a\u2066b", "line\nbreak", "tab\there", "cr\rhere", "nel\x85here", "sep\u2028here", "bell\x07"],
)
def test_single_line_fields_refuse_line_breaks_controls_and_direction_overrides(hostile: str) -> None:
    with pytest.raises(InvalidInput):
        clean_text(hostile, "the pseudonym", 100)


def test_multi_line_fields_keep_their_line_breaks_but_not_direction_overrides() -> None:
    assert clean_text("first\nsecond", "the reason", 2000) == "first\nsecond"
    with pytest.raises(InvalidInput, match="text-direction"):
        clean_text("first\n\u202esecond", "the reason", 2000)


@pytest.mark.parametrize("invisible", ["\u200b\u200b", "\u200d", "\ufeff \u2060", "\u3164", "\u2800", " \u00ad "])
def test_a_value_of_only_invisible_characters_counts_as_empty(invisible: str) -> None:
    assert is_blank(invisible)
    with pytest.raises(InvalidInput, match="is required"):
        clean_text(invisible, "the pseudonym", 100)
    assert clean_text(invisible, "the note", 100, required=False) == ""


def test_right_to_left_names_with_marks_are_accepted() -> None:
    assert clean_text("\u0645\u0631\u064a\u0645\u200f", "the name", 200) == "\u0645\u0631\u064a\u0645\u200f"


@given(st.text(max_size=60), st.integers(min_value=1, max_value=400))
def test_clean_text_either_refuses_clearly_or_returns_visible_clean_text(value: str, limit: int) -> None:
    try:
        out = clean_text(value, "the field", limit)
    except InvalidInput:
        return
    assert out and not is_blank(out) and len(out) <= limit
    assert not any(unicodedata.category(c) == "Cc" and c not in "\n\t\r" for c in out)
    assert not any("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in out)
    if limit <= 300:
        assert "\n" not in out and "\r" not in out


@pytest.mark.parametrize("text", ["0001-01-01", "1800-10-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_dates_outside_1900_to_2100_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="outside the years 1900 to 2100"):
        parse_date(text, "the date of death")


def test_the_edges_of_the_supported_range_are_accepted() -> None:
    assert parse_date("1900-01-01", "d") == date(1900, 1, 1)
    assert in_supported_range(date(2100, 12, 31), "d") == date(2100, 12, 31)


def test_a_duplicate_yaml_key_is_refused_naming_both_lines() -> None:
    text = "name: dhr\nversion: '1'\nname: other\n"
    with pytest.raises(WorkflowDefinitionError) as caught:
        parse_definition(text, "dup.yaml")
    message = str(caught.value)
    assert "line 3" in message and "first on line 1" in message and "'name'" in message


def test_a_duplicate_key_deep_inside_a_state_is_refused_too() -> None:
    text = "states:\n  notified:\n    label: A\n    label: B\n"
    with pytest.raises(WorkflowDefinitionError, match="line 4: the key 'label' is given twice"):
        parse_definition(text, "dup.yaml")

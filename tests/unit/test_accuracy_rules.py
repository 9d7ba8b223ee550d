"""Pure rules of the factual-accuracy round: named recipients, when a round may close, what stops panel_agree."""

from __future__ import annotations

from datetime import date

import pytest

from dhr_workflow.accuracy.rules import close_problem, panel_problem, parse_recipient

DUE = date(2026, 11, 16)


def test_a_named_recipient_is_a_name_and_an_email_in_angle_brackets():
    assert parse_recipient(" DI Jo Bloggs <Jo.Bloggs@Police.example> ") == ("DI Jo Bloggs", "jo.bloggs@police.example")
    for bad in ("DI Jo Bloggs", "<jo@police.example>", "Jo <not-an-email>", "Jo <a@b.c> <d@e.f>"):
        with pytest.raises(ValueError, match="not a recipient"):
            parse_recipient(bad)


@pytest.mark.parametrize(
    ("awaited", "on", "closes"),
    [(0, date(2026, 11, 10), True), (2, DUE, False), (2, date(2026, 11, 17), True)],
)
def test_a_round_closes_once_every_answer_is_in_or_after_the_deadline(awaited, on, closes):
    assert (close_problem(awaited, DUE, on) is None) is closes


def test_the_panel_waits_for_a_round_and_for_every_answer():
    assert "has not been circulated" in (panel_problem(False, 0, None) or "")
    assert "2 answer(s) awaited (due 2026-11-16)" in (panel_problem(True, 2, DUE) or "")
    assert panel_problem(True, 0, DUE) is None

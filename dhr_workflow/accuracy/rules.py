"""Pure rules for the factual-accuracy round: how an answer stands, who a named recipient is, when a round may close
and what stops the panel agreeing the final draft. Standard library only (the `pure-rules` contract)."""

from __future__ import annotations

import re
from datetime import date

STATUS_LABELS: dict[str, str] = {
    "awaited": "Awaited",
    "comments": "Comments received",
    "no_comments": "No comments",
    "not_answered": "Not answered by the deadline",
}
ANSWERED = frozenset({"comments", "no_comments"})
_RECIPIENT = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<\s*(?P<email>[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)\s*>\s*$")


def parse_recipient(value: str) -> tuple[str, str]:
    """A named recipient outside the agency directory, written `NAME <EMAIL>` (the senior investigating officer, the
    CPS): their name and email address."""
    found = _RECIPIENT.match(value or "")
    if found is None:
        raise ValueError(
            f"'{value[:80]}' is not a recipient; write the name and email, like: DI Jo Bloggs <jo@example.org>"
        )
    return found["name"], found["email"].lower()


def close_problem(awaited: int, due_on: date, on: date) -> str | None:
    """Why a round cannot close on `on`: answers still awaited before the deadline has passed."""
    if awaited and on <= due_on:
        return (
            f"{awaited} answer(s) are still awaited and the deadline ({due_on.isoformat()}) has not passed; wait for "
            "them, or close the round after the deadline (the rest are then recorded as not answered)"
        )
    return None


def panel_problem(has_round: bool, awaited: int, due_on: date | None) -> str | None:
    """Why the panel cannot agree the final draft yet, from the case's latest factual-accuracy round."""
    if not has_round:
        return (
            "the draft overview report has not been circulated to the agencies for factual accuracy; circulate a "
            "stored version of it and close the round"
        )
    if awaited:
        by = f" (due {due_on.isoformat()})" if due_on else ""
        return (
            f"the factual-accuracy round is still open: {awaited} answer(s) awaited{by}; record them, or close the "
            "round after the deadline"
        )
    return None

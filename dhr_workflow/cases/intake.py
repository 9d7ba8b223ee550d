"""Checks on a police notification before a case exists: an impossible timeline or a death that is not a DHR
is refused with a message that says what to do instead."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.text import clean_text, in_supported_range, not_in_future

CHILD_REVIEW_ADVICE = (
    "a death of a person under 16 is not a Domestic Homicide Review (s.9 DVCVA 2004 covers people aged 16 or over). "
    "Notify the local authority: a Child Safeguarding Practice Review (Children Act 2004 s.16C, Working Together "
    "2023) applies, starting with a serious incident notification within 5 working days"
)


@dataclass(frozen=True)
class Notification:
    death_date: date
    notified_date: date
    police_ref: str
    victim_name: str
    pseudonym: str
    victim_age: int | None = None


def check_notification(n: Notification, today: date, minimum_age: int = 16) -> Notification:
    in_supported_range(n.death_date, "the date of death")
    in_supported_range(n.notified_date, "the notification date")
    not_in_future(n.death_date, today, "the date of death")
    not_in_future(n.notified_date, today, "the notification date")
    if n.death_date > n.notified_date:
        raise InvalidInput(
            f"the CSP cannot have been notified ({n.notified_date.isoformat()}) before the death "
            f"({n.death_date.isoformat()}); check both dates"
        )
    if n.victim_age is not None:
        if n.victim_age < 0 or n.victim_age > 130:
            raise InvalidInput(f"victim age {n.victim_age} is not possible")
        if n.victim_age < minimum_age:
            raise InvalidInput(CHILD_REVIEW_ADVICE)
    police_ref = clean_text(n.police_ref, "the police reference", 100)
    name = clean_text(n.victim_name, "the victim's name", 200)
    pseudonym = clean_text(n.pseudonym, "the pseudonym", 100)
    if _shares_a_name(name, pseudonym):
        raise InvalidInput("the pseudonym must not contain any part of the victim's real name")
    return Notification(n.death_date, n.notified_date, police_ref, name, pseudonym, n.victim_age)


def _shares_a_name(name: str, pseudonym: str) -> bool:
    parts = {p for p in re.split(r"[\s\-']+", name.lower()) if len(p) > 1}
    return bool(parts & {p for p in re.split(r"[\s\-']+", pseudonym.lower()) if p})

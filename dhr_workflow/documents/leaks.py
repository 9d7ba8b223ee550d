"""Finding real names and identifying details in text meant for publication. Pure: the caller supplies the people
and the text (extracted from HTML, PDF and Word by real readers).

Names are matched case-insensitively on word boundaries, with any run of whitespace between words (PDF text breaks
lines anywhere): the full name, first and last names alone, "J. Smith", "J Smith" and "Smith, Jane". Parts shorter
than three letters, and parts that are also a pseudonym in the case, are not searched alone (they would match the
published text by design). Dates of birth in the usual written forms, each line of an address and its postcode, and
police references are matched too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MIN_PART = 3
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Person:
    role: str  # "victim", "perpetrator", "family", "other"
    real_name: str
    pseudonym: str = ""
    date_of_birth: date | None = None
    address: str | None = None


@dataclass(frozen=True)
class Term:
    what: str  # "the victim's last name"; never the value itself, so it can be logged safely
    value: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Hit:
    what: str
    found: str
    context: str
    start: int


def _pattern(value: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in value.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _term(what: str, value: str) -> Term:
    return Term(what, value, _pattern(value))


def name_terms(person: Person, pseudonyms: set[str]) -> list[Term]:
    role = f"the {person.role}'s"
    parts = [p.strip(".,") for p in person.real_name.split() if p.strip(".,")]
    if not parts:
        return []
    terms = [_term(f"{role} full name", " ".join(parts))]
    if len(parts) < 2:
        return terms
    first, last = parts[0], parts[-1]
    for what, part in ((f"{role} first name", first), (f"{role} last name", last)):
        if len(part) >= MIN_PART and part.lower() not in pseudonyms:
            terms.append(_term(what, part))
    if len(parts) > 2:
        terms.append(_term(f"{role} full name", f"{first} {last}"))  # without the middle names
    terms += [
        _term(f"{role} initial and last name", f"{first[0]}. {last}"),
        _term(f"{role} initial and last name", f"{first[0]} {last}"),
        _term(f"{role} name, last name first", f"{last}, {first}"),
    ]
    return terms


def date_terms(person: Person) -> list[Term]:
    d = person.date_of_birth
    if d is None:
        return []
    what = f"the {person.role}'s date of birth"
    forms = {
        d.isoformat(),
        f"{d:%d/%m/%Y}",
        f"{d.day}/{d.month}/{d.year}",
        f"{d:%d.%m.%Y}",
        f"{d.day} {d:%B %Y}",
        f"{d.day} {d:%b %Y}",
        f"{d:%B} {d.day}, {d.year}",
    }
    return [_term(what, form) for form in sorted(forms)]


def address_terms(person: Person) -> list[Term]:
    if not person.address:
        return []
    what = f"the {person.role}'s address"
    lines = [line.strip() for line in re.split(r"[,\n]", person.address) if line.strip()]
    terms = [_term(what, " ".join(person.address.replace(",", " ").split()))]
    # A street line has a number or at least two words; a lone town name is not identifying.
    terms += [_term(what, line) for line in lines if any(c.isdigit() for c in line) or len(line.split()) >= 2]
    terms += [_term(f"{what} (postcode)", m.group(0)) for m in _POSTCODE.finditer(person.address)]
    return terms


def terms_for(people: list[Person], police_refs: list[str]) -> list[Term]:
    pseudonyms = {w.lower() for p in people for w in p.pseudonym.split()}
    terms: list[Term] = []
    for person in people:
        terms += name_terms(person, pseudonyms) + date_terms(person) + address_terms(person)
    terms += [_term("the police reference", ref) for ref in police_refs if ref.strip()]
    return terms


def find_leaks(text: str, terms: list[Term], context: int = 40) -> list[Hit]:
    """Every place a term occurs; where matches overlap, the longest wins (a full name, not also its parts)."""
    found = sorted(
        ((m.start(), m.end(), term) for term in terms for m in term.pattern.finditer(text)),
        key=lambda item: (-(item[1] - item[0]), item[0]),
    )
    taken: list[tuple[int, int]] = []
    hits = []
    for start, end, term in found:
        if any(start < t_end and end > t_start for t_start, t_end in taken):
            continue
        taken.append((start, end))
        around = " ".join(text[max(0, start - context) : end + context].split())
        hits.append(Hit(term.what, text[start:end], around, start))
    return sorted(hits, key=lambda h: h.start)

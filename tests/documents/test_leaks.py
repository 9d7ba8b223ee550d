"""The pure leak finder: every form of a name, date of birth, address and police reference; never a pseudonym."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dhr_workflow.documents.leaks import Person, find_leaks, terms_for

pytestmark = pytest.mark.single_db
JANE = Person("victim", "Jane Alice Realname", "Olive", date(1980, 2, 3), "Flat 2, 10 Quiet Street, Bexley DA5 1AA")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("she was JANE REALNAME then", "the victim's full name"),
        ("Realname's family", "the victim's last name"),
        ("J. Realname wrote", "the victim's initial and last name"),
        ("Realname, Jane attended", "the victim's name, last name first"),
        ("born 3 February 1980", "the victim's date of birth"),
        ("DOB 03/02/1980", "the victim's date of birth"),
        ("lived at 10 Quiet Street", "the victim's address"),
        ("postcode da5 1aa", "the victim's address (postcode)"),
        ("ref MET/1/2", "the police reference"),
        ("Jane\nRealname across a line break", "the victim's full name"),
    ],
)
def test_each_form_is_found(text: str, what: str) -> None:
    hits = find_leaks(text, terms_for([JANE], ["MET/1/2"]))
    assert [h.what for h in hits] == [what]


def test_pseudonyms_and_words_inside_other_words_are_not_leaks() -> None:
    terms = terms_for([JANE], [])
    assert find_leaks("Olive was loved. Janet and Realnameson are other people. Bexley is a borough.", terms) == []


def test_a_first_name_that_is_also_a_pseudonym_is_not_searched_alone() -> None:
    people = [Person("victim", "Rose Smith", "Amber"), Person("family", "Ann Jones", "Rose")]
    assert find_leaks("Rose said", terms_for(people, [])) == []
    assert find_leaks("Rose Smith said", terms_for(people, []))[0].what == "the victim's full name"


@given(
    before=st.text(alphabet="abcdefgh ,.", max_size=40),
    after=st.text(alphabet="abcdefgh ,.", max_size=40),
    first=st.from_regex(r"[A-Z][a-z]{3,10}", fullmatch=True),
    last=st.from_regex(r"[A-Z][a-z]{3,10}", fullmatch=True),
)
def test_a_real_name_is_found_wherever_it_is_planted(before: str, after: str, first: str, last: str) -> None:
    person = Person("victim", f"{first} {last}", "Zzpseudonym")
    hits = find_leaks(f"{before} {first} {last} {after}", terms_for([person], []))
    assert any(h.found.lower() == f"{first} {last}".lower() for h in hits)

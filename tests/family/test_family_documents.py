"""What the documents say about the family: the terms of reference and the overview report carry what the family
asked the review to consider, sharing a draft records the stored version, the family letter follows the member's
recorded format and language, and the pseudonym wording follows the recorded consent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.documents.extract import text_of
from dhr_workflow.documents.versions import generate, render_for_case
from dhr_workflow.family import drafts, involvement, letters, tor_input, wishes
from tests.documents.helpers import case_with_people
from tests.factories import COORDINATOR, new_case


def _text(ctx, ref: str, name: str, fmt: str = "txt") -> str:
    return " ".join(text_of(fmt, render_for_case(ctx, ref, name, fmt).content).split())


@pytest.fixture
def ref(ctx, today: date) -> str:
    return case_with_people(ctx, today)


@pytest.fixture
def sister(ctx, ref) -> int:
    return involvement.add_member(
        ctx, ref, name="Susan Realsister", relationship="Sister", pseudonym="Hazel", by=COORDINATOR
    ).party_id


def test_the_terms_of_reference_and_the_report_carry_what_the_family_asked(ctx, ref, sister, today) -> None:
    asked = "Why the GP did not ask about the bruises in March 2024"
    tor_input.record_tor_input(ctx, ref, sister, text=asked, on=today - timedelta(days=3), by=COORDINATOR)
    tor = _text(ctx, ref, "terms_of_reference")
    assert "What the family asked the review to consider" in tor
    assert f"Susan Realsister (Sister), {(today - timedelta(days=3)).day} November 2026: {asked}" in tor
    report = _text(ctx, ref, "overview_report")
    assert f"Hazel (Sister), November 2026: {asked}" in report  # the pseudonym and the month, in public
    assert "Susan Realsister" not in report
    summary = _text(ctx, ref, "executive_summary")
    assert "asked the review to consider 1 matter" in summary


def test_without_the_family_s_input_the_terms_of_reference_say_it_is_still_to_come(ctx, ref) -> None:
    assert "The family have not yet told the review what they would like it to consider" in _text(
        ctx, ref, "terms_of_reference"
    )


def test_what_the_family_asked_is_refused_when_hostile_or_dated_wrongly(ctx, ref, sister, today) -> None:
    for bad in ("Look at\u202e this", "Look\x00 at this", "   "):
        with pytest.raises(InvalidInput):
            tor_input.record_tor_input(ctx, ref, sister, text=bad)
    for day in (date(1899, 12, 31), today + timedelta(days=1)):
        with pytest.raises(InvalidInput):
            tor_input.record_tor_input(ctx, ref, sister, text="A fair question", on=day)
    with pytest.raises(NotFound):
        tor_input.record_tor_input(ctx, ref, 999, text="A fair question")
    assert tor_input.tor_inputs_of(ctx, ref) == []


def test_sharing_a_draft_records_the_stored_version_when_and_how(ctx, ref, sister, today) -> None:
    draft, _ = generate(ctx, ref, "overview_report")
    drafts.share_draft(
        ctx, ref, sister, version_id=draft.id, on=today, how="meeting", response="Wants more on the GP", by=COORDINATOR
    )
    (member,) = involvement.members_of(ctx, ref)
    (shared,) = member["drafts_shared"]
    assert (shared["document_id"], shared["template"], shared["version"]) == (draft.id, "overview_report", 1)
    assert (shared["on"], shared["how"], shared["response"]) == (today.isoformat(), "meeting", "Wants more on the GP")
    assert "The draft report was shared with 1 family member" in _text(ctx, ref, "overview_report")


def test_a_draft_must_be_a_stored_version_of_this_case(ctx, ref, sister, today) -> None:
    other = new_case(ctx, today - timedelta(days=100), name="Other Realperson", pseudonym="Ivy")
    cases.assign(ctx, other, COORDINATOR, "coordinator")
    cases.set_fields(
        ctx, other, {"rationale": "Criteria met", "chair_name": "Dr B", "review_period_start": "2021-01-01"}
    )
    theirs, _ = generate(ctx, other, "overview_report")
    for version in (theirs.id, 99999):
        with pytest.raises(NotFound, match="no stored document version"):
            drafts.share_draft(ctx, ref, sister, version_id=version)
    mine, _ = generate(ctx, ref, "overview_report")
    with pytest.raises(InvalidInput, match="meeting, post, email, secure-link"):
        drafts.share_draft(ctx, ref, sister, version_id=mine.id, how="carrier pigeon")
    with pytest.raises(InvalidInput):
        drafts.share_draft(ctx, ref, sister, version_id=mine.id, on=date(2101, 1, 1))
    with pytest.raises(InvalidInput, match="control characters"):
        drafts.share_draft(ctx, ref, sister, version_id=mine.id, response="fine\x1b[2J")
    assert drafts.shared_drafts_of(ctx, ref) == []


@pytest.mark.parametrize(
    ("fmt", "variant", "file"),
    [("large-print", "large-print", "pdf"), ("easy-read", "easy-read", "pdf"), ("word", "standard", "docx")],
)
def test_the_family_letter_for_a_member_uses_their_recorded_format(ctx, ref, sister, fmt, variant, file) -> None:
    wishes.update_member(ctx, ref, sister, document_format=fmt)
    letter = letters.letter_for(ctx, ref, sister)
    suffix = "" if variant == "standard" else f"-{variant}"
    assert letter.filename.endswith(f"{suffix}.{file}")
    text = " ".join(text_of("txt", letters.letter_for(ctx, ref, sister, fmt="txt").content).split())
    assert ("What a review is" in text) == (variant != "easy-read")  # easy read is other words, not just type
    assert ("We are very sorry that" in text) == (variant == "easy-read")


def test_the_family_letter_for_a_member_is_addressed_to_them_and_states_their_language(ctx, ref, sister) -> None:
    wishes.update_member(
        ctx, ref, sister, language="Polish", document_format="large-print", advocate="other", advocate_name="Safe Haven"
    )
    text = " ".join(text_of("txt", letters.letter_for(ctx, ref, sister, fmt="txt").content).split())
    assert "Dear Susan Realsister," in text
    assert "We will arrange an interpreter in Polish" in text and "We write in English" in text
    assert "in large print, as you asked" in text and "Safe Haven supports you" in text
    for option in ("Advocacy After Fatal Domestic Abuse (AAFDA)", "the Homicide Service", "local specialist"):
        assert option in text
    easy = wishes.update_member(ctx, ref, sister, document_format="easy-read")
    assert easy["changed"] == ["document_format"]
    easy_text = " ".join(text_of("txt", letters.letter_for(ctx, ref, sister, fmt="txt").content).split())
    assert "interpreter in Polish" in easy_text and "Dear Susan" not in easy_text  # easy-read words, not the long ones


def test_the_letter_names_the_local_services_from_settings(ctx, ref, sister) -> None:
    ctx.settings.local_support_services = "Bexley Women's Aid, 020 8000 0000 | Safe Steps"
    text = " ".join(text_of("txt", letters.letter_for(ctx, ref, sister, fmt="txt").content).split())
    assert "Bexley Women's Aid, 020 8000 0000, a local specialist service" in text and "Safe Steps" in text


def test_letters_for_two_members_do_not_pile_up_versions(ctx, ref, sister) -> None:
    brother = involvement.add_member(ctx, ref, name="Tom Realbrother", relationship="Brother").party_id
    first = letters.letter_for(ctx, ref, sister, fmt="html")
    second = letters.letter_for(ctx, ref, brother, fmt="html")
    again = letters.letter_for(ctx, ref, sister, fmt="html")
    assert first.version != second.version and again.version == first.version and not again.new_version


@pytest.mark.parametrize(
    ("consent", "reason", "expected", "absent"),
    [
        ("consented", None, "The pseudonyms used were agreed with the family.", "chosen by the independent chair"),
        ("chair_chose", "The family asked the chair to choose", "chosen by the independent chair: The family asked",
         "agreed with the family"),
        ("declined", None, "chosen by the independent chair, as the family did not agree", "agreed with the family"),
        ("not_asked", None, "The names used in it are pseudonyms.", "agreed with the family"),
    ],
)  # fmt: skip
def test_the_pseudonym_wording_follows_the_recorded_consent(ctx, ref, sister, consent, reason, expected, absent):
    wishes.update_member(ctx, ref, sister, pseudonym_consent=consent, pseudonym_reason=reason)
    for name in ("overview_report", "executive_summary"):
        text = _text(ctx, ref, name)
        assert expected.replace("used in it", "used" if name == "executive_summary" else "used in it") in text
        assert absent not in text
    assert absent not in _text(ctx, ref, "terms_of_reference") or consent == "consented"

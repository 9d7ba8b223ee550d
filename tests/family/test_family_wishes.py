"""Every field of a family member is settable, checked as hostile input, and changes nothing when refused; the
family's records are need to know."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.family import involvement, wishes
from dhr_workflow.people.tables import User
from tests.factories import COORDINATOR, DECISION, add_people, new_case

EVERY_FIELD = {
    "relationship": "Sister",
    "contact_preference": "Phone after 6pm on weekdays",
    "language": "Polish",
    "accessibility_needs": "Dyslexia: short sentences",
    "document_format": "easy-read",
    "wants_involvement": "yes",
    "advocate": "other",
    "advocate_name": "Bexley Women's Aid",
    "pseudonym_consent": "chair_chose",
    "pseudonym_reason": "The family asked the chair to choose",
    "thanked_by_name": "yes",
}


@pytest.fixture
def ref(ctx) -> str:
    add_people(ctx)
    ref = new_case(ctx, date(2026, 10, 2))
    cases.assign(ctx, ref, COORDINATOR, "coordinator")
    cases.fire(ctx, ref, "decide_review", on=date(2026, 10, 20), values=DECISION)
    return ref


@pytest.fixture
def party(ctx, ref) -> int:
    return involvement.add_member(ctx, ref, name="Mary Realname", relationship="Mother").party_id


def _member(ctx, ref):
    (row,) = involvement.members_of(ctx, ref)
    return row


def test_every_field_of_a_family_member_can_be_set(ctx, ref, party) -> None:
    done = wishes.update_member(ctx, ref, party, by=COORDINATOR, **EVERY_FIELD)
    assert done["changed"] == sorted(EVERY_FIELD)
    row = _member(ctx, ref)
    expected = {**EVERY_FIELD, "thanked_by_name": True}
    assert {k: row[k] for k in EVERY_FIELD} == expected
    assert row["document_format_label"] == "Easy read"
    assert row["pseudonym_consent_label"] == "The chair chose the pseudonym"


def test_fields_left_out_stay_and_an_empty_text_clears_one(ctx, ref, party) -> None:
    wishes.update_member(ctx, ref, party, language="Polish", contact_preference="Letters only")
    wishes.update_member(ctx, ref, party, language="")
    row = _member(ctx, ref)
    assert row["language"] is None and row["contact_preference"] == "Letters only" and row["relationship"] == "Mother"


def test_the_audit_event_names_the_fields_changed_never_their_values(ctx, ref, party) -> None:
    wishes.update_member(ctx, ref, party, language="Polish", by=COORDINATOR)
    with ctx.db.read() as s:
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "family_member_updated" and event.payload["fields"] == ["language"]
    assert "Polish" not in str(event.payload)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("language", "Pol\x07ish", "control characters"),
        ("relationship", "Mo\u202ether", "text-direction"),
        ("contact_preference", "Phone\nthen visit", "one line"),
        ("advocate_name", "Evil\u2066Corp", "text-direction"),
        ("relationship", "   ", "required"),
        ("document_format", "braille", "standard, large-print, easy-read, word"),
        ("advocate", "lawyer", "aafda, other, none"),
        ("pseudonym_consent", "maybe", "consented, declined, not_asked, chair_chose"),
        ("thanked_by_name", "perhaps", "yes, no"),
        ("language", "x" * 101, "limit is 100"),
        ("language", "\u200b", "invisible characters"),
        ("accessibility_needs", " \u2060 ", "invisible characters"),
    ],
)
def test_hostile_or_wrong_values_are_refused_and_change_nothing(ctx, ref, party, field, value, message) -> None:
    before = _member(ctx, ref)
    with pytest.raises(InvalidInput, match=message):
        wishes.update_member(ctx, ref, party, **{field: value})
    assert _member(ctx, ref) == before


def test_another_service_must_be_named_and_a_chair_s_choice_explained(ctx, ref, party) -> None:
    with pytest.raises(InvalidInput, match="name the other specialist service"):
        wishes.update_member(ctx, ref, party, advocate="other")
    with pytest.raises(InvalidInput, match="why the chair chose"):
        wishes.update_member(ctx, ref, party, pseudonym_consent="chair-chose")
    wishes.update_member(ctx, ref, party, advocate="other", advocate_name="Local IDVA service")
    wishes.update_member(ctx, ref, party, advocate="aafda")
    row = _member(ctx, ref)
    assert row["advocate"] == "aafda" and row["advocate_name"] is None  # the old service's name goes with it


def test_a_new_member_can_be_given_every_field_at_once(ctx, ref) -> None:
    rest = {k: v for k, v in EVERY_FIELD.items() if k not in ("relationship", "advocate", "wants_involvement")}
    rest = {k: v for k, v in rest.items() if k not in ("language", "accessibility_needs", "contact_preference")}
    involvement.add_member(
        ctx, ref, name="Tom Realname", relationship="Brother", advocate="other", wants_involvement="no", **rest
    )
    row = _member(ctx, ref)
    assert row["advocate_name"] == "Bexley Women's Aid" and row["document_format"] == "easy-read"
    assert row["thanked_by_name"] is True and row["pseudonym_reason"] == "The family asked the chair to choose"


def test_only_roles_that_see_the_family_read_or_change_their_records(ctx, ref, party) -> None:
    with ctx.db.read() as s:
        panel = s.scalars(select(User).where(User.email == "panel@example.org")).one()
    with pytest.raises(NotFound):
        involvement.members_of(ctx, ref, viewer=panel)
    with pytest.raises(NotPermitted):
        wishes.update_member(ctx, ref, party, language="Polish", by="panel@example.org")
    with pytest.raises(NotFound):
        wishes.update_member(ctx, ref, 999, language="Polish")
    assert _member(ctx, ref)["language"] is None


def test_the_binding_add_with_another_advocate_still_works_and_the_name_is_asked_for_when_changed(ctx, ref) -> None:
    party = involvement.add_member(ctx, ref, name="Tom Realname", relationship="Brother", advocate="other").party_id
    wishes.update_member(ctx, ref, party, language="Polish")  # an unrelated change is not held up
    with pytest.raises(InvalidInput, match="name the other specialist service"):
        wishes.update_member(ctx, ref, party, advocate="other")
    wishes.update_member(ctx, ref, party, advocate_name="Safe Haven")
    assert (_member(ctx, ref)["advocate"], _member(ctx, ref)["advocate_name"]) == ("other", "Safe Haven")

"""The family's involvement: family members as parties with their wishes, a need-to-know contact log, and a family
letter that names the advocacy on offer and follows the recorded language and needs."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from dhr_workflow.cases.tables import Party
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.documents.versions import render_for_case
from dhr_workflow.family import involvement
from dhr_workflow.people import users
from dhr_workflow.people.tables import User
from tests.factories import COORDINATOR, DECISION, add_people, new_case


@pytest.fixture
def ref(ctx) -> str:
    add_people(ctx)
    from dhr_workflow.cases import lifecycle as cases

    ref = new_case(ctx, date(2026, 10, 2))
    cases.assign(ctx, ref, COORDINATOR, "coordinator")
    cases.fire(ctx, ref, "decide_review", on=date(2026, 10, 20), values=DECISION)
    return ref


def test_a_family_member_is_a_party_with_their_wishes(ctx, ref) -> None:
    member = involvement.add_member(
        ctx, ref, name="Mary Realname", relationship="Mother", advocate="aafda", wants_involvement="yes",
        language="Polish", accessibility_needs="Large print",
    )  # fmt: skip
    with ctx.db.read() as s:
        party = s.get(Party, member.party_id)
    assert party is not None and party.kind == "family" and party.pseudonym == "Family member 1"
    (row,) = involvement.members_of(ctx, ref)
    assert (row["advocate"], row["wants_involvement"], row["language"]) == ("aafda", "yes", "Polish")


def test_bad_choices_are_refused_and_change_nothing(ctx, ref) -> None:
    with pytest.raises(InvalidInput, match="aafda, other, none"):
        involvement.add_member(ctx, ref, name="A Person", relationship="Friend", advocate="lawyer")
    with pytest.raises(InvalidInput, match="yes, no"):
        involvement.add_member(ctx, ref, name="A Person", relationship="Friend", wants_involvement="maybe")
    assert involvement.members_of(ctx, ref) == []


def test_the_contact_log_records_who_when_how_and_what_and_is_need_to_know(ctx, ref) -> None:
    member = involvement.add_member(ctx, ref, name="Mary Realname", relationship="Mother")
    involvement.record_contact(
        ctx, ref, member.party_id, on=date(2026, 11, 2), how="visit", note="Explained the review", by=COORDINATOR
    )
    (entry,) = involvement.contacts_of(ctx, ref)
    assert entry["by"] == COORDINATOR and entry["how"] == "visit" and entry["with"] == "Mary Realname"
    with pytest.raises(InvalidInput, match="visit, phone"):
        involvement.record_contact(ctx, ref, member.party_id, on=date(2026, 11, 2), how="pigeon", note="x")
    with pytest.raises(NotFound):
        involvement.record_contact(ctx, ref, 999, on=date(2026, 11, 2), how="phone", note="x")
    with ctx.db.read() as s:
        panel = s.scalars(select(User).where(User.email == "panel@example.org")).one()
    with pytest.raises(NotFound):
        involvement.contacts_of(ctx, ref, viewer=panel)
    with pytest.raises(NotPermitted):
        involvement.record_contact(
            ctx, ref, member.party_id, on=date(2026, 11, 2), how="phone", note="x", by="panel@example.org"
        )


def test_the_family_letter_lists_the_advocacy_options_and_follows_the_recorded_needs(ctx, ref) -> None:
    involvement.add_member(
        ctx, ref, name="Mary Realname", relationship="Mother", language="Polish", accessibility_needs="Large print"
    )
    text = " ".join(render_for_case(ctx, ref, "family_letter", "txt").content.decode().split())
    for option in ("Advocacy After Fatal Domestic Abuse (AAFDA)", "the Homicide Service", "local specialist"):
        assert option in text
    assert "We will arrange an interpreter in Polish" in text and "Large print" in text
    assert "We will write to you in Polish" not in text  # we do not translate: we arrange an interpreter


def test_the_binding_cli_adds_members_and_records_contacts(ctx, cli, ref) -> None:
    added = cli("family", "add", ref, "--name", "Mary Realname", "--relationship", "Mother", "--advocate", "aafda",
                "--wants-involvement", "yes")  # fmt: skip
    assert added.exit_code == 0, added.output
    (member,) = json.loads(cli("family", "list", ref, "--json").stdout)
    contact = cli("family", "contact", ref, "--party", str(member["id"]), "--on", "2026-11-02", "--how", "phone",
                  "--note", "Agreed to meet", "--by", COORDINATOR)  # fmt: skip
    assert contact.exit_code == 0, contact.output
    (entry,) = json.loads(cli("family", "contacts", ref, "--json").stdout)
    assert entry["note"] == "Agreed to meet" and entry["party_id"] == member["id"]
    users.add_user(ctx, "viewer@example.org", "Viewer", "viewer")
    refused = cli("family", "contact", ref, "--party", str(member["id"]), "--on", "2026-11-02", "--how", "phone",
                  "--note", "x", "--by", "viewer@example.org")  # fmt: skip
    assert refused.exit_code == 8


def test_the_case_page_records_family_members_and_contacts_and_hides_them_from_panel_members(demo, client_for):
    from tests.web.conftest import csrf_of, form_post

    ref = demo.ref("gathering evidence")
    client = client_for("coordinator")
    page = f"/cases/{ref}"
    added = form_post(client, page, f"{page}/family", {"name": "Mary Realname", "relationship": "Mother",
                                                       "advocate": "aafda"})  # fmt: skip
    assert added.status_code == 303, added.text
    (member,) = involvement.members_of(demo.ctx, ref)
    contact = {"party": str(member["id"]), "on": "", "how": "phone", "note": "Talked it through"}
    logged = form_post(client, page, f"{page}/family/contacts", contact)
    assert logged.status_code == 303, logged.text
    assert "Talked it through" in client.get(page).text
    panel = client_for("panel_member")
    shown = panel.get(page)
    assert shown.status_code == 200 and "Talked it through" not in shown.text and "Mary Realname" not in shown.text
    refused = panel.post(f"{page}/family/contacts", data={"csrf_token": csrf_of(shown.text), "party": "1"})
    assert refused.status_code == 403

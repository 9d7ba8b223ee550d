"""The family commands: `dhr family update|list|tor-input|share-draft` and `dhr docs render --party`, over the same
services as the pages; refusals exit non-zero with the service's reason."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dhr_workflow.documents.versions import generate
from dhr_workflow.people import users
from tests.documents.helpers import case_with_people
from tests.factories import COORDINATOR


@pytest.fixture
def ref(ctx, today: date) -> str:
    return case_with_people(ctx, today)


@pytest.fixture
def party(cli, ref) -> int:
    added = cli("family", "add", ref, "--name", "Susan Realsister", "--relationship", "Sister", "--advocate",
                "aafda", "--wants-involvement", "yes", "--format", "large-print", "--pseudonym-consent",
                "consented")  # fmt: skip
    assert added.exit_code == 0, added.output
    (member,) = json.loads(cli("family", "list", ref, "--json").stdout)
    assert (member["document_format"], member["pseudonym_consent"]) == ("large-print", "consented")
    return int(member["id"])


def test_update_sets_each_field_and_list_shows_it(cli, ref, party) -> None:
    done = cli("family", "update", ref, "--party", str(party), "--relationship", "Half-sister", "--contact",
               "Email, weekday mornings", "--language", "Welsh", "--needs", "Hearing loop", "--format", "word",
               "--wants-involvement", "no", "--advocate", "other", "--advocate-name", "Safe Haven",
               "--pseudonym-consent", "chair-chose", "--pseudonym-reason", "The family wished it",
               "--thanked-by-name", "no", "--by", COORDINATOR)  # fmt: skip
    assert done.exit_code == 0, done.output
    (m,) = json.loads(cli("family", "list", ref, "--json").stdout)
    assert (m["relationship"], m["contact_preference"], m["language"], m["accessibility_needs"]) == (
        "Half-sister", "Email, weekday mornings", "Welsh", "Hearing loop")  # fmt: skip
    assert (m["document_format"], m["wants_involvement"], m["advocate"], m["advocate_name"]) == (
        "word", "no", "other", "Safe Haven")  # fmt: skip
    assert (m["pseudonym_consent"], m["pseudonym_reason"], m["thanked_by_name"]) == (
        "chair_chose", "The family wished it", False)  # fmt: skip


def test_hostile_values_and_unknown_members_are_refused(cli, ref, party) -> None:
    assert cli("family", "update", ref, "--party", str(party), "--language", "Pol\u202eish").exit_code != 0
    assert cli("family", "update", ref, "--party", "999", "--language", "Polish").exit_code != 0
    assert cli("family", "tor-input", ref, "--party", str(party), "--text", "x", "--on", "1899-01-01").exit_code != 0
    assert cli("family", "tor-input", ref, "--party", str(party), "--text", "x", "--on", "2100-13-01").exit_code != 0
    (m,) = json.loads(cli("family", "list", ref, "--json").stdout)
    assert m["language"] is None and m["tor_input"] == []


def test_tor_input_and_share_draft_are_listed(ctx, cli, ref, party) -> None:
    said = cli("family", "tor-input", ref, "--party", str(party), "--text", "Look at the GP's records",
               "--on", "2026-11-02", "--by", COORDINATOR)  # fmt: skip
    assert said.exit_code == 0, said.output
    draft, _ = generate(ctx, ref, "overview_report")
    shared = cli("family", "share-draft", ref, "--party", str(party), "--version", str(draft.id), "--on", "2026-11-19",
                 "--how", "post", "--response", "Content with it", "--by", COORDINATOR)  # fmt: skip
    assert shared.exit_code == 0, shared.output
    (m,) = json.loads(cli("family", "list", ref, "--json").stdout)
    assert [(i["on"], i["text"]) for i in m["tor_input"]] == [("2026-11-02", "Look at the GP's records")]
    (d,) = m["drafts_shared"]
    assert (d["document_id"], d["on"], d["how"], d["response"]) == (draft.id, "2026-11-19", "post", "Content with it")
    assert "shared Domestic homicide review overview report v1" in cli("family", "list", ref).stdout
    missing = cli("family", "share-draft", ref, "--party", str(party), "--version", "99999")
    assert missing.exit_code != 0 and "no stored document version" in missing.output


def test_docs_render_party_writes_the_member_s_letter_in_their_format(cli, ref, party, tmp_path) -> None:
    out = tmp_path / "letter.txt"
    made = cli("docs", "render", ref, "family_letter", "--party", str(party), "--format", "txt", "-o", str(out))
    assert made.exit_code == 0, made.output
    assert "Dear Susan Realsister," in out.read_text() and "in large print, as you asked" in out.read_text()
    wrong = cli("docs", "render", ref, "overview_report", "--party", str(party))
    assert wrong.exit_code != 0 and "family letter" in wrong.output
    both = cli("docs", "render", ref, "family_letter", "--party", str(party), "--variant", "easy-read")
    assert both.exit_code != 0 and "recorded" in both.output


def test_a_viewer_cannot_record_the_family_s_details(ctx, cli, ref, party) -> None:
    users.add_user(ctx, "viewer@example.org", "Viewer", "viewer")
    refused = cli("family", "update", ref, "--party", str(party), "--language", "Polish", "--by", "viewer@example.org")
    assert refused.exit_code == 8
    refused = cli("family", "tor-input", ref, "--party", str(party), "--text", "x", "--by", "viewer@example.org")
    assert refused.exit_code == 8


def test_list_as_someone_who_may_not_see_the_family_is_refused(cli, ref, party) -> None:
    shown = cli("family", "list", ref, "--json", "--as", COORDINATOR)
    assert shown.exit_code == 0 and json.loads(shown.stdout)[0]["id"] == party
    for role_email in ("panel@example.org", "agency@example.org"):
        refused = cli("family", "list", ref, "--as", role_email)
        assert refused.exit_code != 0 and "Susan" not in refused.output
        assert cli("family", "contacts", ref, "--as", role_email).exit_code != 0

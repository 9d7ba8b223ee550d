"""`dhr accuracy circulate | answer | respond | close | show`, over the same services as the case page."""

from __future__ import annotations

import json

from tests.accuracy.builders import CHAIR, POLICE, draft_case
from tests.agencies.builders import POLICE_CONTACT
from tests.factories import COORDINATOR


def test_the_whole_round_from_the_command_line(ctx, cli, tmp_path):
    ref, version = draft_case(ctx)
    out = cli(
        "accuracy", "circulate", ref, "--version", str(version), "--agency", POLICE,
        "--recipient", "DI Jo Bloggs <jo@police.example>", "--on", "2026-11-02", "--by", COORDINATOR,
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "due 2026-11-16" in out.output
    shown = json.loads(cli("accuracy", "show", ref, "--json").stdout)
    people = {r["name"]: r["id"] for r in shown[0]["recipients"]}
    answered = cli(
        "accuracy", "answer", ref, str(people[POLICE]), "--comments", "Para 4.2 [time] is wrong", "--by", POLICE_CONTACT
    )
    assert answered.exit_code == 0, answered.output
    comment = json.loads(cli("accuracy", "show", ref, "--json").stdout)[0]["recipients"][0]["comments"][0]["id"]
    sio = tmp_path / "sio.txt"
    sio.write_text("Nothing to add beyond the trial timetable.\n")
    assert cli("accuracy", "answer", ref, str(people["DI Jo Bloggs"]), "--file", str(sio)).exit_code == 0
    assert cli("accuracy", "respond", ref, str(comment), "--response", "Corrected", "--by", CHAIR).exit_code == 0
    text = cli("accuracy", "show", ref).output
    assert "Para 4.2 [time] is wrong" in text and "response: Corrected" in text and "[file: sio.txt]" in text
    closed = cli("accuracy", "close", ref, "--by", COORDINATOR)
    assert closed.exit_code == 0, closed.output
    assert "0 recorded as not answered" in closed.output
    assert json.loads(cli("accuracy", "show", ref, "--json").stdout)[0]["closed_on"] == "2026-11-20"


def test_refusals_are_worded_with_a_nonzero_exit(ctx, cli):
    ref, version = draft_case(ctx)
    bad = cli("accuracy", "circulate", ref, "--version", "9", "--agency", POLICE)
    assert bad.exit_code != 0 and "no stored version 9" in bad.output
    none = cli("accuracy", "close", ref)
    assert none.exit_code != 0 and "no open factual-accuracy round" in none.output
    blocked = cli("case", "fire", ref, "panel_agree")
    assert blocked.exit_code != 0 and "dhr accuracy circulate" in blocked.output
    empty = cli("accuracy", "show", ref)
    assert "has not been circulated" in empty.output

"""Clean errors on the newest commands (issue 16): `agency`, `case agencies`, `evidence`, `chronology`,
`recommendation`, `family`, `qa` and `report`. A hypothesis fuzz over every one of their arguments asserts that a
hostile value is refused with a message and a non-zero exit, never a traceback, and changes nothing (row counts of
every table and the audit head). The case it runs on has something of each kind, so that ids and numbers name real
records and the refusal comes from the value itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhr_workflow.agencies import chronology, directory, evidence
from dhr_workflow.core.context import AppContext
from dhr_workflow.family import involvement
from dhr_workflow.findings import sections
from dhr_workflow.lessons import plans, recommendations
from dhr_workflow.qa import rounds
from tests.agencies.builders import POLICE_CONTACT, agencies, case_at
from tests.integration.test_clean_errors import BAD_DATES, BAD_IDS, UNKNOWN_REFS, snapshot

POLICE = "Metropolitan Police"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff \u3164\u2800"
FUTURE = st.sampled_from(["2099-01-01", "2100-12-31", "2027-06-01"])  # in range, but after today


def bad_text(limit: int, *, required: bool = True) -> st.SearchStrategy[str]:
    """Values a text field of `limit` characters must refuse: control or text-direction characters, line breaks in a
    one-line field, one character too many, and (when the field is required) nothing visible."""
    single_line = limit <= 300
    hidden = "\x00\x07\x1b\x7f\u202e\u2066" + ("\n\r\t\x85\u2028" if single_line else "")
    options = [
        st.tuples(st.text(max_size=10), st.sampled_from(hidden), st.text(max_size=10)).map(
            lambda t: "Ab" + t[0] + t[1] + "Z" + t[2]
        ),
        st.integers(min_value=limit + 1, max_value=limit + 40).map(lambda n: "a" * n),
    ]
    if required:
        options.append(st.text(alphabet=st.sampled_from(INVISIBLE), min_size=1, max_size=8))
    return st.one_of(*options)


def not_one_of(*valid: str, optional: bool = False) -> st.SearchStrategy[str]:
    """Values that are none of the choices, even ignoring case and spaces (an optional choice may be left empty)."""
    values = st.one_of(st.sampled_from(["", "Police", "POLICE ", "yes please", "\u0130"]), st.text(max_size=12))
    return values.filter(lambda s: s.strip().lower() not in valid and not (optional and s == ""))


@pytest.fixture
def rich_case(ctx: AppContext, tmp_path: Path) -> dict[str, str]:
    return build_rich_case(ctx, tmp_path)


def build_rich_case(ctx: AppContext, tmp_path: Path) -> dict[str, str]:
    """A case in evidence gathering with one of everything the commands act on; returns the values they need."""
    agencies(ctx)
    ref = case_at(ctx, date(2026, 9, 1))
    directory.change_scope(ctx, ref, add=[POLICE, "Oxleas NHS Trust"])
    request = evidence.request_evidence(ctx, ref, POLICE, "imr")
    csv = b'Date,Time,Agency,Event,Source\n"2024-01-02","10:00","Police","Called","Log"\n'
    chronology.import_chronology(ctx, ref, POLICE, "police.csv", csv, by=POLICE_CONTACT)
    entry = chronology.merged(ctx, ref)[0]["id"]
    plans.create_plan(
        ctx, "Delivery Plan", date(2025, 4, 1), date(2028, 3, 31), ["Keep people safe"], chair="chair@example.org"
    )
    recommendations.add(ctx, ref, text="Share records", addressee_type="partnership")
    recommendations.agree(ctx, ref, "1")  # agreed: it may be linked, accepted or rejected
    recommendations.add(ctx, ref, text="Train staff", addressee_type="partnership")  # proposed: it may be agreed
    member = involvement.add_member(ctx, ref, name="Ann Smith", relationship="Mother", advocate="none")
    rounds.open_round(ctx, ref, letter_date=date(2026, 11, 2))
    rounds.add_item(ctx, ref, "Add a summary")
    sections.write_section(ctx, ref, "analysis", "A first draft.")
    good_file = tmp_path / "report.pdf"
    good_file.write_bytes(b"%PDF-1.7 a report")
    return {
        "ref": ref,
        "request": str(request),
        "entry": str(entry),
        "party": str(member.party_id),
        "number": "1",
        "proposed": "2",
        "item": "1",
        "file": str(good_file),
        "out": str(tmp_path / "out.bin"),
        "tmp": str(tmp_path),
    }


# Each command with good values in {braces}, and the arguments a case makes hostile. Every argument of every command
# appears in at least one case.
R, REQ = "{ref}", "{request}"
COMMANDS: list[tuple[list[str], dict[str, st.SearchStrategy[str]]]] = [
    (["agency", "add", "--name", "{text}", "--kind", "police"], {"text": bad_text(200)}),
    (["agency", "add", "--name", "New Agency", "--kind", "{text}"], {"text": not_one_of("police", "housing")}),
    (["agency", "add", "--name", "New Agency", "--kind", "housing", "--contact-email", "{text}"],
     {"text": st.sampled_from(["nobody@example.org", "not-an-email", "a@b\n", "\u200b"])}),
    (["agency", "contact", "{text}", POLICE_CONTACT], {"text": st.sampled_from(["", "nobody", "x" * 300])}),
    (["agency", "contact", POLICE, "{text}"], {"text": st.sampled_from(["", "nobody@example.org", "no"])}),
    (["case", "agencies", R, "--add", "New"], {"ref": UNKNOWN_REFS}),
    (["case", "agencies", R, "--add", "{text}"], {"text": st.sampled_from(["", "Nobody", "\u200b", "x" * 999])}),
    (["case", "agencies", R, "--remove", "Oxleas NHS Trust", "--reason", "{text}"], {"text": bad_text(2000)}),
    (["case", "agencies", R, "--remove", "{text}", "--reason", "Out"], {"text": st.sampled_from(["", "Nobody"])}),
    (["evidence", "request", R, "--agency", POLICE, "--kind", "imr"], {"ref": UNKNOWN_REFS}),
    (["evidence", "request", R, "--agency", "{text}", "--kind", "imr"], {"text": st.sampled_from(["", "Nobody"])}),
    (["evidence", "request", R, "--agency", POLICE, "--kind", "{text}"], {"text": not_one_of("imr", "chronology")}),
    (["evidence", "request", R, "--agency", POLICE, "--kind", "chronology", "--due", "{date}"], {"date": BAD_DATES}),
    (["evidence", "request", R, "--agency", POLICE, "--kind", "chronology", "--on", "{date}"],
     {"date": st.one_of(BAD_DATES, FUTURE)}),
    (["evidence", "list", R], {"ref": UNKNOWN_REFS}),
    (["evidence", "receive", R, "{id}", "--nil-return"], {"id": BAD_IDS}),
    (["evidence", "receive", R, REQ, "--nil-return", "--on", "{date}"], {"date": st.one_of(BAD_DATES, FUTURE)}),
    (["evidence", "receive", R, REQ, "--nil-return", "--note", "{text}"], {"text": bad_text(2000, required=False)}),
    (["evidence", "receive", R, REQ, "--file", "{path}"], {"path": st.sampled_from(["", "/nonexistent/x.pdf", "."])}),
    (["evidence", "extend", R, "{id}", "--to", "2026-12-20", "--agreed-by", "Chair", "--reason", "More time"],
     {"id": BAD_IDS}),
    (["evidence", "extend", R, REQ, "--to", "{date}", "--agreed-by", "Chair", "--reason", "More time"],
     {"date": BAD_DATES}),
    (["evidence", "extend", R, REQ, "--to", "2026-12-20", "--agreed-by", "{text}", "--reason", "More time"],
     {"text": bad_text(200)}),
    (["evidence", "extend", R, REQ, "--to", "2026-12-20", "--agreed-by", "Chair", "--reason", "{text}"],
     {"text": bad_text(2000)}),
    (["evidence", "not-required", R, "{id}", "--reason", "Not needed"], {"id": BAD_IDS}),
    (["evidence", "not-required", R, REQ, "--reason", "{text}"], {"text": bad_text(2000)}),
    (["evidence", "withdraw", R, "{id}", "--reason", "Not needed"], {"id": BAD_IDS}),
    (["evidence", "withdraw", R, REQ, "--reason", "{text}"], {"text": bad_text(2000)}),
    (["evidence", "file", R, REQ, "{id}", "-o", "{out}"], {"id": BAD_IDS}),
    (["evidence", "file", R, "{id}", "1", "-o", "{out}"], {"id": BAD_IDS}),
    (["chronology", "show", R], {"ref": UNKNOWN_REFS}),
    (["chronology", "import", R, "{file}", "--agency", "{text}"], {"text": st.sampled_from(["", "Nobody", "\n"])}),
    (["chronology", "import", R, "{path}", "--agency", POLICE], {"path": st.sampled_from(["", "/nonexistent.csv"])}),
    (["chronology", "exclude", R, "{id}", "--reason", "Duplicate"], {"id": BAD_IDS}),
    (["chronology", "exclude", R, "{entry}", "--reason", "{text}"], {"text": bad_text(2000)}),
    (["chronology", "template", R, "--agency", "{text}", "-o", "{out}"], {"text": st.sampled_from(["", "Nobody"])}),
    (["chronology", "template", R, "--agency", POLICE, "-o", "{out}"], {"ref": UNKNOWN_REFS}),
    (["recommendation", "add", R, "--text", "{text}", "--addressee-type", "partnership"], {"text": bad_text(4000)}),
    (["recommendation", "add", R, "--text", "Share", "--addressee-type", "{text}"],
     {"text": not_one_of("local_agency", "partnership", "home_office", "government_department", "national_body")}),
    (["recommendation", "add", R, "--text", "Share", "--addressee-type", "local_agency", "--addressee", "{text}"],
     {"text": bad_text(200, required=False)}),
    (["recommendation", "add", R, "--text", "Share", "--addressee-type", "partnership", "--single-agency", "{text}"],
     {"text": bad_text(200)}),
    (["recommendation", "add", R, "--text", "Share", "--addressee-type", "partnership", "--number", "{text}"],
     {"text": bad_text(20)}),
    (["recommendation", "add", R, "--text", "Share", "--addressee-type", "partnership", "--theme", "{text}"],
     {"text": not_one_of("community", "engagement", "priority_response", "funding", "communication", optional=True)}),
    (["recommendation", "add", R, "--text", "Share", "--addressee-type", "partnership"], {"ref": UNKNOWN_REFS}),
    (["recommendation", "list", R], {"ref": UNKNOWN_REFS}),
    (["recommendation", "agree", R, "{text}"], {"text": st.one_of(BAD_IDS, bad_text(20))}),
    (["recommendation", "agree", R, "{proposed}", "--on", "{date}"], {"date": st.one_of(BAD_DATES, FUTURE)}),
    (["recommendation", "accept", R, "{text}"], {"text": st.one_of(BAD_IDS, bad_text(20))}),
    (["recommendation", "accept", R, "{number}", "--on", "{date}"], {"date": st.one_of(BAD_DATES, FUTURE)}),
    (["recommendation", "reject", R, "{number}", "--reason", "No", "--on", "{date}"],
     {"date": st.one_of(BAD_DATES, FUTURE)}),
    (["recommendation", "reject", R, "{number}", "--reason", "{text}"], {"text": bad_text(2000)}),
    (["recommendation", "link", R, "{number}", "--action", "{id}"], {"id": BAD_IDS}),
    (["family", "add", R, "--name", "{text}", "--relationship", "Sister"], {"text": bad_text(200)}),
    (["family", "add", R, "--name", "Bea", "--relationship", "{text}"], {"text": bad_text(200)}),
    (["family", "add", R, "--name", "Bea", "--relationship", "Sister", "--advocate", "{text}"],
     {"text": not_one_of("aafda", "other", "none", optional=True)}),
    (["family", "add", R, "--name", "Bea", "--relationship", "Sister", "--wants-involvement", "{text}"],
     {"text": not_one_of("yes", "no", optional=True)}),
    (["family", "add", R, "--name", "Bea", "--relationship", "Sister", "--pseudonym", "{text}"],
     {"text": bad_text(100)}),
    (["family", "add", R, "--name", "Bea", "--relationship", "Sister", "--language", "{text}"],
     {"text": bad_text(100, required=False)}),
    (["family", "add", R, "--name", "Bea", "--relationship", "Sister", "--needs", "{text}"],
     {"text": bad_text(500, required=False)}),
    (["family", "add", R, "--name", "Bea", "--relationship", "Sister", "--contact", "{text}"],
     {"text": bad_text(500, required=False)}),
    (["family", "add", R, "--name", "Bea", "--relationship", "Sister"], {"ref": UNKNOWN_REFS}),
    (["family", "list", R], {"ref": UNKNOWN_REFS}),
    (["family", "contacts", R], {"ref": UNKNOWN_REFS}),
    (["family", "contact", R, "--party", "{id}", "--on", "2026-11-02", "--how", "phone", "--note", "Spoke"],
     {"id": BAD_IDS}),
    (["family", "contact", R, "--party", "{party}", "--on", "{date}", "--how", "phone", "--note", "Spoke"],
     {"date": st.one_of(BAD_DATES, FUTURE)}),
    (["family", "contact", R, "--party", "{party}", "--on", "2026-11-02", "--how", "{text}", "--note", "Spoke"],
     {"text": not_one_of("visit", "phone", "letter", "email", "video")}),
    (["family", "contact", R, "--party", "{party}", "--on", "2026-11-02", "--how", "phone", "--note", "{text}"],
     {"text": bad_text(4000)}),
    (["qa", "round", R, "--letter-date", "{date}"], {"date": st.one_of(BAD_DATES, FUTURE)}),
    (["qa", "round", R, "--meeting-date", "{date}"], {"date": st.one_of(BAD_DATES, FUTURE)}),
    (["qa", "round", R], {"ref": UNKNOWN_REFS}),
    (["qa", "item", "add", R, "--text", "{text}"], {"text": bad_text(4000)}),
    (["qa", "item", "answer", R, "{id}", "--response", "Done", "--section", "5"], {"id": BAD_IDS}),
    (["qa", "item", "answer", R, "{item}", "--response", "{text}", "--section", "5"], {"text": bad_text(4000)}),
    (["qa", "item", "answer", R, "{item}", "--response", "Done", "--section", "{text}"], {"text": bad_text(500)}),
    (["qa", "items", R], {"ref": UNKNOWN_REFS}),
    (["report", "write", R, "analysis", "--text", "{text}"], {"text": bad_text(100000)}),
    (["report", "write", R, "{text}", "--text", "Draft"], {"text": st.sampled_from(["", "nonsense", "../x"])}),
    (["report", "write", R, "analysis", "--file", "{path}"], {"path": st.sampled_from(["", "/nonexistent.txt"])}),
    (["report", "sections", R], {"ref": UNKNOWN_REFS}),
    (["report", "history", R, "{text}"], {"text": st.sampled_from(["", "nonsense"])}),
]  # fmt: skip


@st.composite
def hostile_command(draw: st.DrawFn, good: dict[str, str]) -> list[str]:
    args, bad = draw(st.sampled_from(COMMANDS))
    values = {**good, **{k: draw(v) for k, v in bad.items()}}
    return [a.format(**values) if "{" in a else a for a in args]


def test_every_argument_of_every_new_command_is_fuzzed() -> None:
    commands = {" ".join(a for a in args[:3] if a[0].isalpha() and not a.startswith("{")) for args, _ in COMMANDS}
    assert len(commands) >= 30, sorted(commands)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_the_newest_commands_refuse_hostile_arguments_cleanly_and_change_nothing(
    ctx: AppContext, cli, rich_case: dict[str, str], data: st.DataObject
) -> None:
    args = data.draw(hostile_command(rich_case))
    before = snapshot(ctx)
    result = cli(*args)
    shown = " ".join(repr(a)[:80] for a in args)
    assert result.exit_code != 0, f"accepted: {shown}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), f"{shown}: {result.exception!r}"
    assert "Traceback" not in result.output
    assert snapshot(ctx) == before, f"changed the database: {shown}"


# --- what the fuzz found, one regression test each -------------------------------------------------------------

TOO_BIG = 9223372036854775856  # beyond any integer column: SQLite's driver raised OverflowError instead of not found


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda ctx, ref: evidence.receive(ctx, ref, TOO_BIG, nil_return=True), id="evidence-receive"),
        pytest.param(
            lambda ctx, ref: evidence.extend(ctx, ref, TOO_BIG, to=date(2026, 12, 20), agreed_by="C", reason="R"),
            id="evidence-extend",
        ),
        pytest.param(
            lambda ctx, ref: evidence.settle_without_evidence(ctx, ref, TOO_BIG, "withdrawn", reason="R"),
            id="evidence-withdraw",
        ),
        pytest.param(lambda ctx, ref: evidence.open_file(ctx, ref, 1, TOO_BIG, None), id="evidence-file"),
        pytest.param(lambda ctx, ref: chronology.exclude(ctx, ref, TOO_BIG, "Duplicate"), id="chronology-exclude"),
        pytest.param(
            lambda ctx, ref: involvement.record_contact(
                ctx, ref, TOO_BIG, on=date(2026, 11, 2), how="phone", note="Spoke"
            ),
            id="family-contact",
        ),
        pytest.param(
            lambda ctx, ref: rounds.answer_item(ctx, ref, TOO_BIG, response="Done", section="5"), id="qa-answer"
        ),
        pytest.param(lambda ctx, ref: recommendations.link(ctx, ref, "1", TOO_BIG), id="recommendation-link"),
    ],
)
def test_an_id_beyond_the_column_s_range_is_not_found_and_changes_nothing(ctx, rich_case, call) -> None:
    from dhr_workflow.core.errors import NotFound

    before = snapshot(ctx)
    with pytest.raises(NotFound):
        call(ctx, rich_case["ref"])
    assert snapshot(ctx) == before


def test_the_history_of_an_unknown_section_is_refused_naming_the_sections(ctx, rich_case) -> None:
    from dhr_workflow.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="not a section the chair writes; sections: terms_of_reference"):
        sections.history_of(ctx, rich_case["ref"], "nonsense")


def test_report_write_refuses_a_file_that_is_missing_or_not_utf8(ctx, cli, rich_case, tmp_path: Path) -> None:
    latin1 = tmp_path / "draft.txt"
    latin1.write_bytes("R\u00e9vision".encode("latin-1"))
    before = snapshot(ctx)
    for path, says in ((latin1, "is not UTF-8"), (tmp_path, "no file"), (tmp_path / "gone.txt", "no file")):
        result = cli("report", "write", rich_case["ref"], "analysis", "--file", str(path))
        assert (
            result.exit_code == 2
            and says in result.stderr
            and result.exception is None
            or isinstance(result.exception, SystemExit)
        ), result.output
        assert says in " ".join(result.stderr.split())
    assert snapshot(ctx) == before

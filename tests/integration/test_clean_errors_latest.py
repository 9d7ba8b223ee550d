"""Clean errors on the commands that landed last (issue 16): `accuracy`, the rest of `family`, `docs render --party`,
`site page`, `commentary`, and the `panel`, `meeting`, `plan`, `action`, `party`, `access-request`, `calendar` and
`case` commands the earlier fuzz left out. A hostile value is refused with a message and a non-zero exit, never a
traceback, and changes nothing (row counts of every table and the audit head).

`test_every_command_is_fuzzed_or_excluded_for_a_reason` walks the Typer app: a new command that is neither in a
fuzz nor in EXCLUDED fails it, so no command escapes the fuzz."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhr_workflow.core.context import AppContext
from dhr_workflow.documents.versions import generate
from tests.integration import test_clean_errors as first_fuzz
from tests.integration import test_clean_errors_findings as findings_fuzz
from tests.integration.test_clean_errors import BAD_DATES, BAD_IDS, UNKNOWN_REFS, snapshot
from tests.integration.test_clean_errors_findings import FUTURE, bad_text

WORDS = st.sampled_from(["nonsense", "\u200b", "Ab\x00Z", "x" * 300])  # not "": an optional choice left empty
BAD_KINDS = st.sampled_from(["", "nonsense", "ACCESSIBILITY ", "../privacy", "\u0130"])
BAD_TIMES = st.sampled_from(["", "25:00", "10:60", "noon", "\u0661\u0660:00"])
NOT_EMAILS = st.sampled_from(["", "nobody@example.org", "not-an-email", "a@b\n"])


@pytest.fixture
def latest_case(ctx: AppContext, tmp_path: Path) -> dict[str, str]:
    """The earlier fuzz's case, with a stored overview report (a draft to circulate or share) and files to read."""
    good = findings_fuzz.build_rich_case(ctx, tmp_path)
    doc, _ = generate(ctx, good["ref"], "overview_report")
    latin1 = tmp_path / "page.txt"
    latin1.write_bytes("Accessibilit\u00e9".encode("latin-1"))
    return {**good, "version": str(doc.version), "latin1": str(latin1)}


R, P = "{ref}", "{party}"
CIRCULATE = ["accuracy", "circulate", R, "--version", "{version}", "--agency", "Metropolitan Police"]
SHARE = ["family", "share-draft", R, "--party", P, "--version", "{version}"]
COMMANDS: list[tuple[list[str], dict[str, st.SearchStrategy[str]]]] = [
    (CIRCULATE, {"ref": UNKNOWN_REFS}),
    (["accuracy", "circulate", R, "--version", "{id}", "--agency", "Metropolitan Police"], {"id": BAD_IDS}),
    (["accuracy", "circulate", R, "--version", "{version}", "--agency", "{text}"], {"text": WORDS}),
    (["accuracy", "circulate", R, "--version", "{version}", "--recipient", "{text}"], {"text": NOT_EMAILS}),
    ([*CIRCULATE, "--due", "{date}"], {"date": BAD_DATES}),
    ([*CIRCULATE, "--on", "{date}"], {"date": st.one_of(BAD_DATES, FUTURE)}),
    (["accuracy", "answer", R, "{id}", "--no-comments"], {"id": BAD_IDS}),
    (["accuracy", "answer", R, "1", "--comments", "{text}"], {"text": bad_text(20000)}),
    (["accuracy", "answer", R, "1", "--file", "{path}"], {"path": st.sampled_from(["", "/nonexistent.pdf", "."])}),
    (["accuracy", "answer", R, "1", "--no-comments", "--on", "{date}"], {"date": BAD_DATES}),
    (["accuracy", "respond", R, "{id}", "--response", "Corrected"], {"id": BAD_IDS}),
    (["accuracy", "respond", R, "1", "--response", "{text}"], {"text": bad_text(4000)}),
    (["accuracy", "close", R, "--on", "{date}"], {"date": BAD_DATES}),
    (["accuracy", "show", R], {"ref": UNKNOWN_REFS}),
    (["family", "update", R, "--party", "{id}", "--language", "Welsh"], {"id": BAD_IDS}),
    (["family", "update", R, "--party", P, "--relationship", "{text}"], {"text": bad_text(200)}),
    (["family", "update", R, "--party", P, "--contact", "{text}"], {"text": bad_text(500, required=False)}),
    (["family", "update", R, "--party", P, "--language", "{text}"], {"text": bad_text(100, required=False)}),
    (["family", "update", R, "--party", P, "--needs", "{text}"], {"text": bad_text(500, required=False)}),
    (["family", "update", R, "--party", P, "--format", "{text}"], {"text": WORDS}),
    (["family", "update", R, "--party", P, "--wants-involvement", "{text}"], {"text": WORDS}),
    (["family", "update", R, "--party", P, "--advocate", "{text}"], {"text": WORDS}),
    (["family", "update", R, "--party", P, "--advocate-name", "{text}"], {"text": bad_text(200, required=False)}),
    (["family", "update", R, "--party", P, "--pseudonym-consent", "{text}"], {"text": WORDS}),
    (["family", "update", R, "--party", P, "--pseudonym-reason", "{text}"], {"text": bad_text(500, required=False)}),
    (["family", "update", R, "--party", P, "--thanked-by-name", "{text}"], {"text": bad_text(200, required=False)}),
    (["family", "add", R, "--name", "Bea", "--relationship", "Sister", "--format", "{text}"], {"text": WORDS}),
    (["family", "add", R, "--name", "Bea", "--relationship", "Sister", "--pseudonym-consent", "{text}"],
     {"text": WORDS}),
    (["family", "tor-input", R, "--party", "{id}", "--text", "Ask about"], {"id": BAD_IDS}),
    (["family", "tor-input", R, "--party", P, "--text", "{text}"], {"text": bad_text(4000)}),
    (["family", "tor-input", R, "--party", P, "--text", "Ask about", "--on", "{date}"],
     {"date": st.one_of(BAD_DATES, FUTURE)}),
    (["family", "share-draft", R, "--party", "{id}", "--version", "{version}"], {"id": BAD_IDS}),
    (["family", "share-draft", R, "--party", P, "--version", "{id}"], {"id": BAD_IDS}),
    ([*SHARE, "--on", "{date}"], {"date": st.one_of(BAD_DATES, FUTURE)}),
    ([*SHARE, "--how", "{text}"], {"text": WORDS}),
    ([*SHARE, "--response", "{text}"], {"text": bad_text(4000, required=False)}),
    (["docs", "render", R, "family_letter", "--party", "{id}", "-o", "{out}"], {"id": BAD_IDS}),
    (["docs", "render", R, "{text}", "--party", P, "-o", "{out}"], {"text": st.sampled_from(["", "nonsense", "../x"])}),
    (["docs", "render", R, "family_letter", "--party", P, "--format", "{text}", "-o", "{out}"], {"text": WORDS}),
    (["docs", "render", R, "family_letter", "--party", P, "-o", "{out}"], {"ref": UNKNOWN_REFS}),
    (["docs", "list", R], {"ref": UNKNOWN_REFS}),
    (["docs", "diff", R, "{text}"], {"text": st.sampled_from(["", "nonsense", "../x"])}),
    (["docs", "pack", R, "-o", "{out}"], {"ref": UNKNOWN_REFS}),
    (["docs", "attach", R, "overview_report", "{path}"], {"path": st.sampled_from(["", "/nonexistent.pdf", "."])}),
    (["site", "page", "show", "{text}"], {"text": BAD_KINDS}),
    (["site", "page", "versions", "{text}"], {"text": BAD_KINDS}),
    (["site", "page", "set", "{text}", "--file", "{file}"], {"text": BAD_KINDS}),
    (["site", "page", "set", "privacy", "--file", "{path}"],
     {"path": st.sampled_from(["", "/nonexistent.txt", "/tmp"])}),
    (["site", "page", "set", "privacy", "--file", "{latin1}"], {}),  # not UTF-8
    (["commentary", "open", "--title", "{text}"], {"text": bad_text(200)}),
    (["commentary", "open", "--on", "{date}"], {"date": BAD_DATES}),
    (["commentary", "preview", "--on", "{date}"], {"date": BAD_DATES}),
    (["commentary", "status", "--round", "{id}"], {"id": BAD_IDS}),
    (["commentary", "collate", "--note", "{text}"], {"text": bad_text(2000)}),
    (["commentary", "collate", "--on", "{date}"], {"date": BAD_DATES}),
    (["commentary", "reopen", "--on", "{date}"], {"date": BAD_DATES}),
    (["commentary", "present", "--on", "{date}"], {"date": BAD_DATES}),
    (["commentary", "send-to-board", "--on", "{date}"], {"date": BAD_DATES}),
    (["panel", "schedule", R, "--at", "{date}"], {"date": BAD_DATES}),
    (["panel", "schedule", R, "--at", "2026-12-08T10:00", "--minutes", "{n}"],
     {"n": st.sampled_from(["0", "-5", "100000", "99999999999999999999"])}),
    (["panel", "move", R, "{id}", "--at", "2026-12-09T10:00"], {"id": BAD_IDS}),
    (["panel", "cancel", R, "{id}"], {"id": BAD_IDS}),
    (["panel", "list", R], {"ref": UNKNOWN_REFS}),
    (["meeting", "schedule", "--first", "{date}"], {"date": BAD_DATES}),
    (["meeting", "schedule", "--first", "2027-01-12", "--time", "{text}"], {"text": BAD_TIMES}),
    (["meeting", "schedule", "--first", "2027-01-12", "--location", "{text}"], {"text": bad_text(300, required=False)}),
    (["meeting", "schedule", "--first", "2027-01-12", "--count", "{n}"],
     {"n": st.sampled_from(["0", "-1", "100000", "99999999999999999999"])}),
    (["meeting", "move", "{id}", "--on", "2027-02-01"], {"id": BAD_IDS}),
    (["meeting", "cancel", "{id}"], {"id": BAD_IDS}),
    (["meeting", "present-round", "{id}"], {"id": BAD_IDS}),
    (["meeting", "invite", "{id}", "-o", "{out}"], {"id": BAD_IDS}),
    (["meeting", "agenda", "{id}", "-o", "{out}"], {"id": BAD_IDS}),
    (["plan", "create", "--title", "{text}", "--start", "2029-04-01", "--end", "2031-03-31"], {"text": bad_text(200)}),
    (["plan", "create", "--title", "Next", "--start", "{date}", "--end", "2031-03-31"], {"date": BAD_DATES}),
    (["plan", "briefing", R], {"ref": UNKNOWN_REFS}),
    (["plan", "collated", "--round", "{id}", "-o", "{out}"], {"id": BAD_IDS}),
    (["action", "add", "--description", "{text}", "--agency", "Police", "--target", "2027-03-01"],
     {"text": bad_text(4000)}),
    (["action", "add", "--description", "Train", "--agency", "Police", "--target", "{date}"], {"date": BAD_DATES}),
    (["action", "show", "{id}"], {"id": BAD_IDS}),
    (["action", "update", "{id}", "--note", "Going well"], {"id": BAD_IDS}),
    (["action", "milestone", "{id}", "1"], {"id": BAD_IDS}),
    (["action", "evidence", "{id}", "{file}"], {"id": BAD_IDS}),
    (["action", "close", "{id}", "--by", "chair@example.org"], {"id": BAD_IDS}),
    (["action", "evidence-get", "{id}", "-o", "{out}"], {"id": BAD_IDS}),
    (["recommendation", "send", "{id}"], {"id": BAD_IDS}),
    (["recommendation", "response", "{id}", "--status", "accepted"], {"id": BAD_IDS}),
    (["party", "add", R, "--kind", "{text}", "--name", "Bea", "--pseudonym", "B"], {"text": WORDS}),
    (["party", "add", R, "--kind", "perpetrator", "--name", "{text}", "--pseudonym", "B"], {"text": bad_text(200)}),
    (["party", "add", R, "--kind", "perpetrator", "--name", "Bea", "--pseudonym", "B", "--dob", "{date}"],
     {"date": BAD_DATES}),
    (["access-request", "new", "--name", "{text}", "--document", "x", "--format", "large_print"],
     {"text": bad_text(200)}),
    (["access-request", "acknowledge", "{id}"], {"id": BAD_IDS}),
    (["access-request", "fulfil", "{id}"], {"id": BAD_IDS}),
    (["calendar", "cancel", "{date}", "--name", "Meeting"], {"date": BAD_DATES}),
    (["calendar", "remove", "{date}"], {"date": BAD_DATES}),
    (["case", "set", R, "{text}"], {"text": st.sampled_from(["", "nonsense", "=x", "victim_name"])}),
    (["case", "assign", R, "--user", "{text}", "--role", "coordinator"], {"text": NOT_EMAILS}),
    (["case", "pause", R, "--clock", "{text}", "--reason", "Inquest"], {"text": WORDS}),
    (["case", "resume", R, "--clock", "{text}"], {"text": WORDS}),
    (["case", "extend", R, "--clock", "{text}", "--days", "5", "--agreed-by", "Chair", "--reason", "R"],
     {"text": WORDS}),
    (["task", "document", R, "{id}", "1", "-o", "{out}", "--by", "chair@example.org"], {"id": BAD_IDS}),
    (["token", "create", "--user", "{text}"], {"text": NOT_EMAILS}),
    (["reminders", "prefer", "--user", "{text}"], {"text": NOT_EMAILS}),
]  # fmt: skip

# Commands no fuzz runs, and why. Each either takes no value a caller could make hostile, or runs a process or
# replaces the whole database (covered by their own tests).
EXCLUDED = {
    "serve": "runs the web server until stopped (tests/web/test_serve.py)",
    "worker": "runs the Celery worker until stopped (tests/reminders)",
    "beat": "runs the Celery scheduler until stopped (tests/reminders)",
    "backup": "writes the whole database to a file (tests/integration/test_backup.py)",
    "restore": "replaces the whole database (tests/integration/test_backup.py)",
    "db upgrade": "applies migrations: no value to make hostile (tests/integration/test_migrations.py)",
    "demo": "loads the demo data into an empty database (tests/demo)",
    "audit verify": "reads the audit chain: no argument (tests/integration/test_audit_tamper.py)",
    "workflow validate": "reads a file: its refusals are tests in test_clean_errors.py",
    "workflow list": "no argument",
    "workflow diagram": "read-only, a workflow name (tests/unit)",
    "agency list": "no argument",
    "calendar holidays": "read-only listing",
    "token list": "no argument",
    "user list": "no argument",
    "reminders list": "read-only listing",
    "reminders problems": "read-only listing",
    "reminders sweep": "sends what is due: no value to make hostile",
    "retention holds": "read-only listing",
    "access-request list": "read-only listing",
    "meeting list": "no argument",
    "action list": "read-only listing filtered by free text",
    "plan show": "read-only",
    "plan export": "read-only, writes the plan to a file",
    "plan board-report": "read-only, writes the report to a file",
    "publish check": "read-only check of a case (tests/documents)",
}


def fuzzed_commands() -> set[str]:
    """The command (its words before the first value) of every template in every CLI fuzz."""
    templates = [*first_fuzz.command_templates(), *findings_fuzz.COMMANDS, *COMMANDS]
    return {" ".join(w for w in args[:3] if w[0].isalpha() and not w.startswith("{")) for args, _ in templates}


def all_commands() -> set[str]:
    from typer.main import get_command

    from dhr_workflow.cli.app import app

    def walk(cmd, prefix: list[str]):  # type: ignore[no-untyped-def]
        subs = getattr(cmd, "commands", None)
        if not subs:
            yield " ".join(prefix)
            return
        for name, sub in subs.items():
            yield from walk(sub, [*prefix, name])

    return set(walk(get_command(app), []))


def test_every_command_is_fuzzed_or_excluded_for_a_reason() -> None:
    commands, fuzzed = all_commands(), fuzzed_commands()
    assert not (commands - fuzzed - EXCLUDED.keys()), "neither fuzzed nor excluded: add it to a fuzz"
    assert not (EXCLUDED.keys() & fuzzed), "excluded but fuzzed: drop it from EXCLUDED"
    assert not (EXCLUDED.keys() - commands), "excluded but gone: drop it from EXCLUDED"


@st.composite
def hostile_command(draw: st.DrawFn, good: dict[str, str]) -> list[str]:
    args, bad = draw(st.sampled_from(COMMANDS))
    values = {**good, **{k: draw(v) for k, v in bad.items()}}
    return [a.format(**values) if "{" in a else a for a in args]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_the_latest_commands_refuse_hostile_arguments_cleanly_and_change_nothing(
    ctx: AppContext, cli, latest_case: dict[str, str], data: st.DataObject
) -> None:
    args = data.draw(hostile_command(latest_case))
    before = snapshot(ctx)
    result = cli(*args)
    shown = " ".join(repr(a)[:80] for a in args)
    assert result.exit_code != 0, f"accepted: {shown}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), f"{shown}: {result.exception!r}"
    assert "Traceback" not in result.output
    assert snapshot(ctx) == before, f"changed the database: {shown}"


# --- what the fuzz found, one regression test each -------------------------------------------------------------

TOO_BIG = 9223372036854775856  # beyond any integer column: the driver raised OverflowError instead of not found


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([*CIRCULATE[:4], str(TOO_BIG), *CIRCULATE[5:]], id="accuracy-version"),
        pytest.param(["commentary", "status", "--round", str(TOO_BIG)], id="commentary-round"),
        pytest.param(["plan", "collated", "--round", str(TOO_BIG), "-o", "{out}"], id="collated-round"),
        pytest.param(["recommendation", "send", str(TOO_BIG)], id="recommendation-send"),
        pytest.param(
            ["recommendation", "response", str(TOO_BIG), "--status", "accepted"], id="recommendation-response"
        ),
        pytest.param(["action", "show", str(TOO_BIG)], id="action-show"),
        pytest.param(["action", "evidence-get", str(TOO_BIG), "-o", "{out}"], id="action-evidence"),
        pytest.param(["meeting", "cancel", str(TOO_BIG)], id="meeting-cancel"),
        pytest.param(["access-request", "acknowledge", str(TOO_BIG)], id="access-request"),
        pytest.param(
            ["task", "document", R, str(2**31), "1", "-o", "{out}", "--by", "chair@example.org"], id="task-doc"
        ),
        pytest.param(["family", "share-draft", R, "--party", P, "--version", str(TOO_BIG)], id="share-draft-version"),
    ],
)
def test_an_id_beyond_the_column_s_range_is_not_found_cleanly(ctx, cli, latest_case, args: list[str]) -> None:
    before = snapshot(ctx)
    result = cli(*[a.format(**latest_case) for a in args])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit | None), repr(result.exception)
    assert "no " in result.stderr or "has no" in result.stderr, result.stderr
    assert snapshot(ctx) == before


def test_an_invitation_for_a_meeting_that_does_not_exist_is_refused_not_left_out(ctx, cli, latest_case) -> None:
    result = cli("meeting", "invite", "2147483000", "-o", latest_case["out"])
    assert result.exit_code != 0 and "no meeting 2147483000" in " ".join(result.stderr.split())
    assert not Path(latest_case["out"]).exists()


def test_an_empty_date_for_a_shared_draft_is_refused_not_taken_as_today(ctx, cli, latest_case) -> None:
    before = snapshot(ctx)
    result = cli(*[a.format(**latest_case) for a in SHARE], "--on", "")
    assert result.exit_code != 0 and "--on" in result.stderr
    assert snapshot(ctx) == before


def test_a_clock_name_with_a_nul_byte_is_not_a_clock_on_every_database(ctx, cli, latest_case) -> None:
    before = snapshot(ctx)
    result = cli("case", "resume", latest_case["ref"], "--clock", "Ab\x00Z")
    assert result.exit_code != 0 and "no clock named" in result.stderr, repr(result.exception)
    assert snapshot(ctx) == before

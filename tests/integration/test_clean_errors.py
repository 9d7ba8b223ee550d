"""Clean errors everywhere (issue 16): every input the issue found crashing or silently accepted now gives a clear
message and a non-zero exit (or a 4xx page) and changes nothing; a hypothesis fuzz over commands' arguments asserts
the same for hostile values (row counts of every table and the audit head compared before and after)."""

from __future__ import annotations

import os
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import CompoundSelect, func, literal, select, union_all

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.tables import AuditHead
from dhr_workflow.schema import metadata
from tests.factories import COORDINATOR, add_people, new_case


def snapshot(ctx: AppContext) -> dict[str, object]:
    """Row counts of every table, and the audit head: what "changes nothing" is checked against. One statement:
    a query a table (about 60) ran twice for every fuzz example, about a tenth of each fuzz test."""
    with ctx.db.read() as s:
        counts: dict[str, object] = dict(s.execute(_row_counts()).all())
        counts["audit_head"] = tuple(s.execute(select(AuditHead.seq, AuditHead.hash)).one())
    return counts


@cache
def _row_counts() -> CompoundSelect:
    per_table = [select(literal(t.name), func.count()).select_from(t) for t in metadata.sorted_tables]
    return union_all(*per_table)


@pytest.fixture
def case_ref(ctx: AppContext) -> str:
    add_people(ctx)
    return new_case(ctx, date(2026, 10, 1))


def _refused(result, before: dict[str, object], ctx: AppContext) -> None:
    assert result.exit_code not in (0, None), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stderr.strip(), "the refusal says why"
    assert snapshot(ctx) == before


def notify_args(
    death: str = "2026-10-01",
    notified: str = "2026-10-03",
    police_ref: str = "R",
    victim: str = "Ann Smith",
    pseudonym: str = "P",
) -> list[str]:
    """`dhr case notify` with good values, but for the one a case overrides."""
    return ["case", "notify", "--death-date", death, "--notified-date", notified, "--police-ref", police_ref,
            "--victim-name", victim, "--pseudonym", pseudonym]  # fmt: skip


ISSUE_CASES = [
    pytest.param(["task", "done", "{ref}", "99999999999999999999"], "no task", id="task-id-too-big"),
    pytest.param(["calendar", "due", "2026-02-01", "--days", "100000000"], "too many", id="calendar-days-huge"),
    pytest.param(["calendar", "due", "2026-02-01", "--working-days", "100000000"], "too many", id="working-days-huge"),
    pytest.param(["calendar", "due", "2026-02-01", "--months", "100000000"], "too many", id="months-huge"),
    pytest.param(
        ["task", "add", "{ref}", "--title", "T", "--assignee", COORDINATOR, "--due", "9999-12-31"],
        "outside the years",
        id="task-due-9999",
    ),
    pytest.param(["calendar", "add", "9999-01-01", "--name", "Far"], "outside the years", id="holiday-9999"),
    pytest.param(["case", "list", "--state", "nonsense"], "states: ", id="unknown-state-filter"),
    pytest.param(
        notify_args(death="0001-01-01"),
        "outside the years",
        id="death-in-year-1",
    ),
    pytest.param(
        notify_args(death="1800-01-01"),
        "outside the years",
        id="death-in-1800",
    ),
    pytest.param(
        notify_args(pseudonym="\u200b\u200b\u200b"),
        "is required",
        id="zero-width-pseudonym",
    ),
    pytest.param(
        notify_args(police_ref="MET\n26"),
        "one line",
        id="newline-in-police-ref",
    ),
    pytest.param(
        notify_args(pseudonym="Ol\u202eevi"),
        "text-direction",
        id="rtl-override-in-pseudonym",
    ),
]


def test_the_snapshot_sees_new_rows_and_a_moved_audit_head(ctx: AppContext) -> None:
    before = snapshot(ctx)
    add_people(ctx)
    after = snapshot(ctx)
    assert after["account"] != before["account"] and after["audit_head"] != before["audit_head"]
    assert set(after) == {t.name for t in metadata.sorted_tables} | {"audit_head"}


@pytest.mark.parametrize(("args", "says"), ISSUE_CASES)
def test_each_input_the_issue_found_is_refused_clearly_and_changes_nothing(
    ctx: AppContext, cli, case_ref: str, args: list[str], says: str
) -> None:
    before = snapshot(ctx)
    result = cli(*[a.replace("{ref}", case_ref) for a in args])
    _refused(result, before, ctx)
    assert says in " ".join(result.stderr.split())


def test_workflow_validate_refuses_a_file_that_is_not_utf8(cli, tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: r\u00e9vision\n".encode("latin-1"))
    result = cli("workflow", "validate", str(path))
    assert result.exit_code == 3 and "not UTF-8" in result.stderr and "Traceback" not in result.output


def test_workflow_validate_refuses_duplicate_keys_naming_both_lines(cli, tmp_path: Path) -> None:
    source = (Path(__file__).resolve().parents[2] / "workflows" / "dhr.yaml").read_text()
    path = tmp_path / "dup.yaml"
    path.write_text(source + "\nname: other\n")
    first = 1 + next(i for i, line in enumerate(source.splitlines()) if line.startswith("name:"))
    result = cli("workflow", "validate", str(path))
    assert result.exit_code == 3
    assert f"the key 'name' is given twice (first on line {first})" in " ".join(result.stderr.split())


def test_marking_a_done_task_done_again_with_a_file_stores_neither(ctx: AppContext, case_ref: str) -> None:
    from dhr_workflow.cases import tasks
    from dhr_workflow.core.errors import InvalidInput

    task = tasks.add_task(ctx, case_ref, "Chronology", COORDINATOR, date(2026, 12, 1))
    tasks.complete_task(ctx, case_ref, task.id or 0, by=COORDINATOR)
    before = snapshot(ctx)
    with pytest.raises(InvalidInput, match="already done"):
        tasks.complete_task(ctx, case_ref, task.id or 0, by=COORDINATOR, file=("report.pdf", b"%PDF-1.7 ..."))
    assert snapshot(ctx) == before


# --- the fuzz -------------------------------------------------------------------------------------------------

BAD_DATES = st.one_of(
    st.integers(min_value=1, max_value=1899).map(lambda y: f"{y:04d}-06-15"),
    st.integers(min_value=2101, max_value=9999).map(lambda y: f"{y:04d}-06-15"),
    st.sampled_from(
        ["2026-02-30", "2026-13-01", "31/12/2026", "tomorrow", "", " ", "2026-1-1", "\u0662\u0660\u0662\u0666-01-01"]
    ),
)
BAD_IDS = st.one_of(
    st.integers(min_value=2**31, max_value=10**30).map(str),
    st.integers(max_value=0).map(str),
    st.sampled_from(["x", "1.5", "", "0x10", "\u0661"]),
)
BAD_LINE = st.one_of(
    st.text(alphabet=st.sampled_from("\u200b\u200c\u200d\u2060\ufeff \u3164\u2800"), min_size=1, max_size=8),
    st.tuples(
        st.text(min_size=1, max_size=10), st.sampled_from("\n\r\t\x00\x07\u202e\u2066\x85"), st.text(max_size=10)
    ).map(lambda t: "Ab" + t[0] + t[1] + "Z" + t[2]),
    st.integers(min_value=301, max_value=2000).map(lambda n: "a" * n),
)
BAD_AMOUNTS = st.one_of(st.integers(min_value=36_501, max_value=10**18), st.integers(max_value=-1)).map(str)
UNKNOWN_REFS = st.sampled_from(["DHR-2026-999", "DHR-1-1", "nonsense", "DHR-2026-" + "9" * 30, "../etc"])


def command_templates() -> list[tuple[list[str], dict[str, st.SearchStrategy[str]]]]:
    """Each command with good values in {braces}, and the arguments a template makes hostile."""
    add = ["task", "add", "{ref}", "--title", "{text}", "--assignee", "{email}", "--due"]
    states = st.text(min_size=1, max_size=20).filter(lambda s: any(not (c.isalpha() or c == "_") for c in s))
    templates: list[tuple[list[str], dict[str, st.SearchStrategy[str]]]] = [
        (["task", "done", "{ref}", "{id}"], {"id": BAD_IDS}),
        (
            [*add, "{date}"],
            {"date": BAD_DATES},
        ),
        (
            [*add, "2026-12-01"],
            {"text": BAD_LINE},
        ),
        (["calendar", "due", "{date}", "--days", "5"], {"date": BAD_DATES}),
        (["calendar", "due", "2026-02-01", "--days", "{n}"], {"n": BAD_AMOUNTS}),
        (["calendar", "due", "2026-02-01", "--working-days", "{n}"], {"n": BAD_AMOUNTS}),
        (["calendar", "due", "2026-02-01", "--months", "{n}"], {"n": BAD_AMOUNTS}),
        (["calendar", "add", "{date}", "--name", "A day"], {"date": BAD_DATES}),
        (["calendar", "add", "2027-05-10", "--name", "{text}"], {"text": BAD_LINE}),
        (["case", "show", "{ref}"], {"ref": UNKNOWN_REFS}),
        (["case", "history", "{ref}"], {"ref": UNKNOWN_REFS}),
        (
            ["case", "list", "--state", "{text}"],
            {"text": states},
        ),
        (["case", "fire", "{ref}", "start_scoping", "--on", "{date}"], {"date": BAD_DATES}),
        (
            notify_args(death="{date}"),
            {"date": BAD_DATES},
        ),
        (
            notify_args(police_ref="{text}"),
            {"text": BAD_LINE},
        ),
        (
            notify_args(pseudonym="{text}"),
            {"text": BAD_LINE},
        ),
        (["user", "add", "--email", "new@example.org", "--name", "{text}", "--role", "viewer"], {"text": BAD_LINE}),
        (["token", "revoke", "{id}"], {"id": BAD_IDS}),
        (["user", "deactivate", "{email}"], {"email": st.sampled_from(["nobody@example.org", "not-an-email", ""])}),
        (["retention", "hold", "{ref}", "--reason", "{text}"], {"text": BAD_LINE}),
        (["retention", "hold", "{ref}", "--reason", "Inquest open"], {"ref": UNKNOWN_REFS}),
        (["retention", "release", "{ref}", "--reason", "{text}"], {"text": BAD_LINE}),
        (["retention", "due", "--on", "{date}"], {"date": BAD_DATES}),
        (["retention", "apply", "--on", "{date}"], {"date": BAD_DATES}),
        (["subject-access", "export", "-o", os.devnull, "--party", "{ref}:1"], {"ref": UNKNOWN_REFS}),
        (
            ["subject-access", "export", "-o", os.devnull, "--email", "{email}"],
            {"email": st.sampled_from(["nobody@example.org", ""])},
        ),
    ]
    return templates


@st.composite
def hostile_command(draw: st.DrawFn, ref: str) -> list[str]:
    """A command whose arguments include at least one value the command must refuse."""
    good = {"ref": ref, "date": "2026-10-05", "text": "Plain text", "email": COORDINATOR}
    args, bad = draw(st.sampled_from(command_templates()))
    values = {**good, **{k: draw(v) for k, v in bad.items()}}
    return [a.format(**values) if "{" in a else a for a in args]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_hostile_command_arguments_are_refused_without_a_trace_and_change_nothing(
    ctx: AppContext, cli, case_ref: str, data: st.DataObject
) -> None:
    args = data.draw(hostile_command(case_ref))
    before = snapshot(ctx)
    result = cli(*args)
    assert result.exit_code != 0, (args, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output
    assert snapshot(ctx) == before, args

"""The `dhr` command line as a coordinator uses it: contracts from PRODUCT.md §3 and clear errors on bad input."""

from __future__ import annotations

import json

import pytest

from dhr_workflow.core.context import AppContext

NOTIFY = [
    "case",
    "notify",
    "--death-date",
    "2026-10-01",
    "--notified-date",
    "2026-10-03",
    "--police-ref",
    "MET/26/123",
    "--victim-name",
    "Jane Realname",
    "--pseudonym",
    "Olive",
    "--victim-age",
    "41",
]


def _notify(cli) -> str:
    result = cli(*NOTIFY)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_notify_prints_the_new_reference_and_show_json_has_the_contract_keys(cli) -> None:
    ref = _notify(cli)
    assert ref == "DHR-2026-001"
    shown = json.loads(cli("case", "show", ref, "--json").stdout)
    assert {"ref", "review_type", "workflow", "state", "available_triggers", "clocks", "tasks"} <= set(shown)
    assert shown["workflow"] == {"name": "dhr", "version": "2016.1", "title": shown["workflow"]["title"]}
    clock = shown["clocks"][0]
    assert {"name", "label", "rule", "start", "due", "status", "paused_days", "source"} <= set(clock)
    assert "Jane" not in json.dumps(shown)


def test_show_names_reveals_real_names_and_audits_the_read(cli) -> None:
    ref = _notify(cli)
    shown = json.loads(cli("case", "show", ref, "--json", "--show-names").stdout)
    assert shown["parties"][0]["real_name"] == "Jane Realname"
    history = json.loads(cli("case", "history", ref, "--json").stdout)
    assert history[-1]["action"] == "viewed_real_names"


def test_fire_back_dated_with_set_values_then_pause_and_resume(cli) -> None:
    ref = _notify(cli)
    fired = cli("case", "fire", ref, "decide_review", "--on", "2026-10-20", "--set", "rationale=Criteria met")
    assert fired.exit_code == 0 and "notified -> review_agreed" in fired.stdout
    assert (
        cli(
            "case",
            "pause",
            ref,
            "--clock",
            "completion",
            "--reason",
            "criminal_proceedings",
            "--on",
            "2026-11-01",
            "--note",
            "Trial",
        ).exit_code
        == 0
    )
    resumed = cli("case", "resume", ref, "--clock", "completion", "--on", "2026-11-11")
    assert resumed.exit_code == 0 and "now due 2027-04-30" in resumed.stdout
    listed = json.loads(cli("case", "list", "--json").stdout)
    assert listed[0]["ref"] == ref and listed[0]["state"] == "review_agreed"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--death-date", "2026-02-30"], "is not a real date"),
        (["--death-date", "03/10/2026"], "use YYYY-MM-DD"),
        (["--death-date", "2026-10-05"], "before the death"),
        (["--notified-date", "2027-01-01"], "in the future"),
        (["--victim-age", "15"], "Child Safeguarding Practice Review"),
        (["--pseudonym", "Jane"], "must not contain any part of the victim's real name"),
        (["--workflow", "sar"], "no workflow named 'sar'"),
        (["--coordinator", "nobody@example.org"], "no user nobody@example.org"),
    ],
)
def test_notify_refuses_bad_input_with_a_clear_message_and_writes_nothing(cli, args: list[str], message: str) -> None:
    base = list(NOTIFY)
    for i in range(0, len(args), 2):
        if args[i] in base:
            base[base.index(args[i]) + 1] = args[i + 1]
        else:
            base += args[i : i + 2]
    result = cli(*base)
    assert result.exit_code != 0
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    assert json.loads(cli("case", "list", "--json").stdout) == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["case", "fire", "{ref}", "publish"], 5, "Available now: start_scoping"),
        (["case", "fire", "{ref}", "decide_review"], 5, "rationale is required"),
        (["case", "fire", "{ref}", "decide_review", "--set", "colour=red"], 2, "unknown field(s) colour"),
        (["case", "fire", "{ref}", "decide_review", "--set", "rationale"], 2, "is not KEY=VALUE"),
        (["case", "fire", "{ref}", "start_scoping", "--on", "2026-13-01"], 2, "not a real date"),
        (["case", "fire", "{ref}", "start_scoping", "--on", "2026-10-01"], 2, "cannot have happened earlier"),
        (["case", "fire", "{ref}", "start_scoping", "--expect-version", "7"], 6, "changed by someone else"),
        (["case", "show", "DHR-2026-999"], 4, "no case DHR-2026-999"),
        (["case", "pause", "{ref}", "--clock", "decision", "--reason", "other"], 2, "cannot be paused"),
        (["case", "assign", "{ref}", "--user", "x@example.org", "--role", "boss"], 2, "not a case role"),
        (
            ["task", "add", "{ref}", "--title", "IMR", "--assignee", "x@example.org", "--due", "2026-01-01"],
            2,
            "already passed",
        ),
        (["calendar", "due", "2026-01-01", "--days", "3", "--months", "1"], 2, "exactly one of"),
        (["user", "add", "--email", "not-an-email", "--name", "X", "--role", "viewer"], 2, "not an email address"),
        (["user", "add", "--email", "a@example.org", "--name", "X", "--role", "overlord"], 2, "not a role"),
    ],
)
def test_commands_refuse_bad_input_with_a_message_and_exit_code(cli, args: list[str], code: int, message: str) -> None:
    ref = _notify(cli)
    result = cli(*[a.replace("{ref}", ref) for a in args])
    assert (result.exit_code, "Traceback" in result.output) == (code, False), result.output
    assert message in " ".join(result.stderr.split())


def test_tasks_are_added_and_done_and_show_up_on_the_case(cli) -> None:
    ref = _notify(cli)
    assert (
        cli("user", "add", "--email", "agency@example.org", "--name", "Ari", "--role", "agency_contact").exit_code == 0
    )
    added = cli(
        "task",
        "add",
        ref,
        "--title",
        "IMR from Adult Social Care",
        "--assignee",
        "agency@example.org",
        "--due",
        "2026-12-04",
        "--kind",
        "agency_report",
    )
    assert added.exit_code == 0, added.output
    shown = json.loads(cli("case", "show", ref, "--json").stdout)
    assert shown["tasks"][0]["status"] == "open"
    assert {"role": "agency_contact", "email": "agency@example.org", "name": "Ari"} in shown["members"]
    assert cli("task", "done", ref, str(shown["tasks"][0]["id"])).exit_code == 0
    again = cli("task", "done", ref, str(shown["tasks"][0]["id"]))
    assert again.exit_code == 2 and "already done" in again.stderr


def test_user_add_reads_a_password_from_stdin_and_stores_only_a_hash(ctx: AppContext, cli) -> None:
    result = cli(
        "user",
        "add",
        "--email",
        "Coord@Example.org",
        "--name",
        "C",
        "--role",
        "coordinator",
        "--password-stdin",
        input="correct horse battery staple\n",
    )
    assert result.exit_code == 0, result.output
    from dhr_workflow.people.users import list_users

    [user] = list_users(ctx)
    assert user.email == "coord@example.org" and user.password_hash.startswith("$argon2")
    short = cli(
        "user",
        "add",
        "--email",
        "b@example.org",
        "--name",
        "B",
        "--role",
        "viewer",
        "--password-stdin",
        input="short\n",
    )
    assert short.exit_code == 2 and "at least 12" in short.stderr


def test_calendar_due_follows_the_date_rules(cli) -> None:
    assert cli("calendar", "due", "2026-12-24", "--working-days", "1").stdout.splitlines()[0] == "2026-12-29"
    assert cli("calendar", "due", "2026-01-31", "--months", "1").stdout.splitlines()[0] == "2026-03-02"
    assert cli("calendar", "due", "2026-01-31", "--months", "1", "--no-roll").stdout.splitlines()[0] == "2026-02-28"
    as_json = json.loads(cli("calendar", "due", "2026-11-20", "--days", "10", "--json").stdout)
    assert as_json["due"] == "2026-11-30" and as_json["calendar_version"].startswith("holidays-")


def test_adding_a_one_off_bank_holiday_moves_open_clocks_and_says_which(cli) -> None:
    ref = _notify(cli)  # decision clock due 2026-11-03
    added = cli("calendar", "add", "2026-11-03", "--name", "One-off bank holiday")
    assert added.exit_code == 0
    assert f"{ref} decision: 2026-11-03 -> 2026-11-04" in added.stdout
    shown = json.loads(cli("case", "show", ref, "--json").stdout)
    assert "overrides-none" not in shown["clocks"][0]["calendar_version"]
    removed = cli("calendar", "remove", "2026-11-03")
    assert "2026-11-04 -> 2026-11-03" in removed.stdout
    assert "2026-11-03" not in cli("calendar", "holidays", "--year", "2026").stdout


def test_workflow_commands_list_validate_and_draw(cli, tmp_path) -> None:
    assert "dhr" in cli("workflow", "list").stdout
    assert "valid" in cli("workflow", "validate", "workflows/dhr.yaml").stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nversion: '1'\n")
    result = cli("workflow", "validate", str(broken))
    assert result.exit_code == 3 and f"{broken}: title" in result.stderr
    ref = _notify(cli)
    drawn = cli("workflow", "diagram", "dhr", "--case", ref).stdout
    assert "stateDiagram-v2" in drawn and "Class notified s_active" in drawn
    assert f"{ref} is at Notification" in drawn and "Clock Decide whether to hold a review: due 2026-11-03" in drawn


def test_workflow_diagram_as_svg(cli, tmp_path) -> None:
    import shutil

    if not shutil.which("dot"):
        from tests.services import unavailable

        unavailable("Graphviz `dot` is not installed (scripts/setup-system.sh installs it)")
    out = tmp_path / "dhr.svg"
    result = cli("workflow", "diagram", "dhr", "--format", "svg", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().lstrip().startswith(("<?xml", "<svg")) and "Police notification received" in out.read_text()


def test_an_unmigrated_database_says_to_run_db_upgrade(tmp_path) -> None:
    from datetime import date

    from typer.testing import CliRunner

    from dhr_workflow.cli.app import app
    from dhr_workflow.cli.common import use_context
    from dhr_workflow.core.database import Database
    from dhr_workflow.core.settings import Settings
    from dhr_workflow.workflow.registry import WorkflowRegistry

    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    use_context(
        AppContext(
            Settings(database_url=url, _env_file=None),
            Database(url),
            WorkflowRegistry.from_directory(),
            clock=lambda: date(2026, 11, 20),
        )
    )
    try:
        result = CliRunner().invoke(app, ["case", "list"])
    finally:
        use_context(None)
    assert result.exit_code == 3 and "dhr db upgrade" in result.stderr

"""The read commands' fast path (ADR 0056): `dhr case list`, `dhr docs list` and `dhr case show` read with SQLAlchemy
Core and print without Typer, and must give exactly what the ORM services and the Typer commands give for the same
data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dhr_workflow.cases import read_model, views
from dhr_workflow.cli import fast
from dhr_workflow.core.context import AppContext, ReadContext
from dhr_workflow.demo.seed import email_for
from dhr_workflow.documents import listing
from dhr_workflow.documents import versions as document_versions
from dhr_workflow.documents.catalogue import catalogue
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import user_by_email
from tests.conftest import REPO
from tests.integration.warm_cache import warm_cache
from tests.web.conftest import Demo

# Never imported by the fast path: the ORM and its table classes, pydantic (and Typer, which validates with it),
# pydantic-settings.
FORBIDDEN = ("sqlmodel", "pydantic", "pydantic_core", "pydantic_settings", "typer", "click", "sqlalchemy.orm")


def _user(ctx: AppContext, role: str) -> User:
    with ctx.db.read() as session:
        return user_by_email(session, email_for(role))


def _published(ctx: AppContext) -> str:
    rows = read_model.list_cases(ReadContext.of(ctx))
    return next(r["ref"] for r in rows if r["state"] == "closed" or r["stage"] == "Lessons learned")


def test_the_core_case_list_agrees_with_the_orm_case_pages(ctx: AppContext, demo: Demo) -> None:
    for role in ("admin", "panel_member", "reviewer"):
        viewer = _user(ctx, role)
        core = read_model.list_cases(ReadContext.of(ctx), viewer=viewer)
        pages = views.case_page(ctx, viewer, per_page=500).rows
        assert core == pages, role
    everything = read_model.list_cases(ReadContext.of(ctx))
    assert len(everything) >= 5
    assert any(r["overdue"] for r in everything) and any(r["next_due"] for r in everything)
    assert read_model.list_cases(ReadContext.of(ctx), overdue=True) == [r for r in everything if r["overdue"]]


def test_the_core_document_list_agrees_with_the_stored_versions(ctx: AppContext, demo: Demo) -> None:
    ref = _published(ctx)
    core = listing.list_documents(ReadContext.of(ctx), ref.lower())
    assert core == document_versions.list_documents(ctx, ref)
    assert [d["name"] for d in core] == [n for n, i in catalogue().items() if i.fits("review")]
    generated = [d for d in core if d["latest_version"]]
    assert generated, "the demo's published case has documents"
    for doc in generated:
        stored = document_versions.versions(ctx, ref, doc["name"])
        newest = max(stored, key=lambda d: d.version)
        assert (doc["latest_version"], doc["generated_at"], doc["generated_by"]) == (
            newest.version,
            newest.generated_at,
            newest.generated_by,
        )


@pytest.mark.parametrize("width", ["80", "132"])
def test_the_fast_path_prints_what_the_typer_commands_print(
    ctx: AppContext, demo: Demo, cli, capsys, monkeypatch, width
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    ref = _published(ctx)
    for argv in (
        ["case", "list"],
        ["case", "list", "--json"],
        ["case", "list", "--overdue"],
        ["case", "list", "--json", "--state", "evidence_gathering", "--overdue"],
        ["docs", "list", ref],
        ["docs", "list", "--json", ref.lower()],
        ["case", "show", ref],
        ["case", "show", "--json", ref.lower()],
        *(["case", "show", r["ref"]] for r in read_model.list_cases(ReadContext.of(ctx))),
    ):
        typer_run = cli(*argv)
        assert typer_run.exit_code == 0, typer_run.output
        capsys.readouterr()
        assert fast.run(argv), argv
        assert capsys.readouterr().out == typer_run.stdout, argv


@pytest.mark.parametrize(
    "argv",
    [
        ["case", "list", "--state"],
        ["case", "list", "--state=open"],
        ["case", "list", "--json", "--json"],
        ["case", "list", "--state", "--json"],
        ["case", "list", "--help"],
        ["case", "list", "extra"],
        ["docs", "list"],
        ["docs", "list", "A", "B"],
        ["docs", "list", "--", "A"],
        ["docs", "list", "-x"],
        ["case", "show", "X", "--show-names"],
        ["case", "show"],
        ["docs", "render", "X", "y"],
    ],
)
def test_anything_but_the_plain_shapes_is_left_to_typer(argv: list[str]) -> None:
    assert fast.match(argv) is None


def test_a_failed_read_is_left_to_typer_which_reports_it(ctx: AppContext, cli, capsys) -> None:
    assert not fast.run(["docs", "list", "NO-SUCH-REF"])
    assert not fast.run(["case", "show", "NO-SUCH-REF", "--json"])
    assert not fast.run(["case", "list", "--state", "no_such_state"])
    assert capsys.readouterr().out == ""
    assert cli("docs", "list", "NO-SUCH-REF").exit_code != 0


def test_a_closed_pipe_ends_quietly_with_1_as_typer_does(ctx: AppContext, demo: Demo, cli, monkeypatch) -> None:
    class ClosedPipe:
        def write(self, _text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    with pytest.raises(SystemExit) as ended:
        fast.run(["case", "list", "--json"])
    assert ended.value.code == 1
    sys.stdout.flush()  # the interpreter's last flush on the way out says nothing


def test_case_list_docs_list_and_case_show_import_no_orm_typer_pydantic_or_settings(
    ctx: AppContext, demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = _published(ctx)
    warm_cache(tmp_path / "cache", monkeypatch)  # as any earlier command would have
    env = {
        **{k: v for k, v in os.environ.items() if not k.upper().startswith("DHR_")},
        "DHR_CACHE_DIR": str(tmp_path / "cache"),
        "DHR_DATABASE_URL": ctx.settings.database_url,
        "DHR_WORKFLOWS_DIR": str(REPO / "workflows"),
        "PYTHONPATH": str(REPO),
        "COLUMNS": "80",
    }
    for argv in (
        ["case", "list"],
        ["case", "list", "--json"],
        ["docs", "list", ref],
        ["docs", "list", ref, "--json"],
        ["case", "show", ref],  # the published case: its guard reads open_actions, which has a Core reader
        ["case", "show", ref, "--json"],
    ):
        code = (
            "import sys, json\n"
            f"sys.argv = ['dhr', *{argv!r}]\n"
            "from dhr_workflow.cli.app import main\n"
            "main()\n"
            "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, check=True
        )
        modules = set(json.loads(done.stderr.strip().splitlines()[-1]))
        heavy = {m for m in modules if m.split(".")[0] in FORBIDDEN or m == "sqlalchemy.orm" or m.endswith(".tables")}
        assert not heavy, (argv, sorted(heavy))
        if "--json" in argv:
            assert json.loads(done.stdout)
        else:
            assert ref in done.stdout

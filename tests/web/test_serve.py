"""`dhr serve`'s start-up hooks (the embedded reminder scheduler) and `dhr demo`'s printed sign-ins."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dhr_workflow.core.errors import NotInstalled
from dhr_workflow.web.app import create_app
from dhr_workflow.web.lifespan import embedded_scheduler


class Handle:
    def __init__(self, log: list[str], name: str) -> None:
        self.log, self.name = log, name
        log.append(f"start {name}")

    def stop(self) -> None:
        self.log.append(f"stop {self.name}")


def test_start_up_hooks_run_when_the_server_starts_and_stop_in_reverse_order(ctx):
    log: list[str] = []
    app = create_app(ctx, hooks=(lambda c: Handle(log, "a"), lambda c: None, lambda c: Handle(log, "b")))
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert log == ["start a", "start b"]
    assert log == ["start a", "start b", "stop b", "stop a"]


def test_with_redis_configured_the_embedded_scheduler_stays_off(ctx):
    ctx.settings.redis_url = "redis://127.0.0.1:6379/0"
    assert embedded_scheduler(ctx) is None


def test_without_redis_the_embedded_scheduler_starts_if_installed(ctx, monkeypatch):
    import sys
    import types

    started: list[object] = []
    module = types.ModuleType("notifications.embedded")
    module.start_embedded_scheduler = lambda c: started.append(c) or Handle([], "scheduler")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "notifications.embedded", module)
    ctx.settings.redis_url = None
    assert embedded_scheduler(ctx) is not None and started == [ctx]


@pytest.mark.single_db
def test_the_factory_refuses_to_start_without_gov_uk_frontend(ctx, monkeypatch, tmp_path):
    from dhr_workflow.web import app as app_module

    monkeypatch.setattr(app_module, "govuk_assets_dir", lambda override=None: tmp_path / "missing")
    with pytest.raises(NotInstalled, match="setup-system.sh"):
        create_app(ctx)


@pytest.mark.single_db
def test_serve_without_gov_uk_frontend_says_so_in_one_line_and_starts_nothing(cli, ctx, monkeypatch, tmp_path):
    import uvicorn

    def must_not_start(*args, **kwargs):
        raise AssertionError("uvicorn started without GOV.UK Frontend")

    monkeypatch.setattr(uvicorn, "run", must_not_start)
    monkeypatch.setattr(ctx.settings, "govuk_frontend_dir", tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    result = cli("serve", "--port", "8765")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "GOV.UK Frontend" in result.stderr and "Traceback" not in result.output


def test_the_test_client_imports_without_a_deprecation_warning():
    """starlette's TestClient warns that plain httpx is deprecated there unless httpx2 (a dev dependency) is
    installed; every warning is an error in a fresh interpreter, so the warning coming back fails this test."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import fastapi.testclient"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_dhr_demo_prints_working_sign_ins_every_time(cli):
    first = cli("demo")
    assert first.exit_code == 0, first.output
    assert "coordinator@demo.example" in first.output and "dhr serve" in first.output
    again = cli("demo", "--password", "another-long-password")
    assert again.exit_code == 0, again.output
    assert "already seeded" in again.output and "another-long-password" in again.output

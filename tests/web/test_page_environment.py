"""The pages' Jinja environment is built once per templates folder per process and shared by every app made in it
(dhr_workflow/web/templating.py): before, each app compiled every page template it rendered again."""

from __future__ import annotations

import shutil

import pytest
from jinja2 import TemplateNotFound

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.paths import templates_dir
from dhr_workflow.web.app import create_app
from dhr_workflow.web.templating import page_environment


def test_apps_made_in_one_process_share_the_compiled_page_templates(ctx: AppContext) -> None:
    first, second = create_app(ctx, hooks=()), create_app(ctx, hooks=())
    assert first.state.templates is second.state.templates is page_environment(ctx.settings.templates_dir)
    template = first.state.templates.get_template("login.html")
    assert second.state.templates.get_template("login.html") is template  # compiled once, not per app


def test_another_templates_folder_gets_an_environment_of_its_own(tmp_path) -> None:
    shutil.copytree(templates_dir() / "web", tmp_path / "web")
    (tmp_path / "web" / "only_here.html").write_text("own {{ 1 + 1 }}")
    own = page_environment(tmp_path)
    assert own is not page_environment(None)
    assert own.get_template("only_here.html").render() == "own 2"
    with pytest.raises(TemplateNotFound):
        page_environment(None).get_template("only_here.html")

"""The rendering service as the worker runs it, and template changes making new versions."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import select

from dhr_workflow.core.context import AppContext
from dhr_workflow.documents import MissingData, render, render_html
from dhr_workflow.documents import versions as documents
from dhr_workflow.documents.tables import DocumentFile
from tests.documents.helpers import case_with_people


def test_the_worker_task_runs_in_process_without_redis_and_stores_the_file(ctx: AppContext, today: date) -> None:
    from dhr_workflow.cli.common import use_context
    from notifications.document_tasks import render_async_or_inline

    ref = case_with_people(ctx, today)
    use_context(ctx)
    try:
        result = render_async_or_inline(None, ref, "terms_of_reference", "pdf", "large-print")
    finally:
        use_context(None)
    assert result is not None and result["version"] == 1 and result["new_version"]
    with ctx.db.read() as s:
        stored = s.scalars(select(DocumentFile).where(DocumentFile.document_id == result["document_id"])).all()
    assert {(f.format, f.variant) for f in stored} == {("html", "standard"), ("pdf", "large-print")}
    assert all(f.size == len(f.content) and len(f.sha256) == 64 for f in stored)


def test_a_changed_template_makes_a_new_version(ctx: AppContext, today: date, monkeypatch) -> None:
    from dhr_workflow.documents import catalogue as cat

    ref = case_with_people(ctx, today)
    first, _ = documents.generate(ctx, ref, "panel_agenda")
    info = cat.catalogue()["panel_agenda"]
    edited = dataclasses.replace(info, source_hash="f" * 64)
    monkeypatch.setattr(
        documents, "template_info", lambda name: edited if name == "panel_agenda" else cat.template_info(name)
    )
    second, made = documents.generate(ctx, ref, "panel_agenda")
    assert made and second.version == first.version + 1 and second.template_version != first.template_version


@pytest.mark.single_db
def test_the_pipeline_renders_any_template_and_names_a_missing_value() -> None:
    context = {
        "doc": {"title": "Agenda & <notes>", "lang": "en-GB", "marking": "OFFICIAL"},
        "case": {"ref": "DHR-2026-001"},
        "partnership": {"name": "Test CSP"},
        "contact": {"request_url": "http://127.0.0.1:8000/accessible-formats/request", "email": ""},
        "today": "2026-11-20",
    }
    html = render_html("documents/confidentiality_agreement.html.j2", context)
    assert "<title>Agenda &amp; &lt;notes&gt; – DHR-2026-001</title>" in html
    assert b"Agenda & <notes>" in render("documents/confidentiality_agreement.html.j2", context, "txt")
    del context["partnership"]
    with pytest.raises(MissingData, match="partnership"):
        render_html("documents/confidentiality_agreement.html.j2", context)

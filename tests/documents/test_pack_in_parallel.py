"""A cold pack renders its files in a pool of processes and stores each once; a warm pack renders nothing
(issue 17). Timings are measured by hand (docs/benchmarks.md), not here."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from dhr_workflow.core.context import AppContext
from dhr_workflow.documents import batch
from dhr_workflow.documents.tables import DocumentFile
from dhr_workflow.documents.versions import file_for, generate, pack
from tests.documents.helpers import case_with_people

FORMATS = ("html", "txt", "docx")  # no PDF: the pool is what is under test, and PDFs are slow


def _stored_files(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(DocumentFile)) or 0


def test_a_cold_pack_renders_in_parallel_and_stores_each_file_once(
    ctx: AppContext, today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = case_with_people(ctx, today)
    sizes: list[int] = []
    real_workers_for = batch.workers_for

    def recorded(jobs: int, workers: int | None = None) -> int:
        sizes.append(real_workers_for(jobs, workers))
        return sizes[-1]

    monkeypatch.setattr(batch, "cpu_count", lambda: 2)  # as on the project machine, whatever runs the test
    monkeypatch.setattr(batch, "workers_for", recorded)
    content, skipped = pack(ctx, ref, formats=FORMATS)
    assert sizes == [2]  # one pool of two processes
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    files = [n for n in names if n != "NOT-INCLUDED.txt"]
    assert len(files) == len(set(files)) == _stored_files(ctx)  # every file stored, once
    assert skipped  # the accessible-format response needs a request
    # What the pool made is what one document alone would give, byte for byte (text and HTML are deterministic).
    archive = zipfile.ZipFile(io.BytesIO(content))
    doc, made = generate(ctx, ref, "overview_report")
    assert not made
    for fmt in ("html", "txt"):
        assert archive.read(f"{ref}-overview_report-v{doc.version}.{fmt}") == file_for(ctx, doc, fmt)


def test_a_warm_pack_renders_nothing_and_gives_the_same_files(
    ctx: AppContext, today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = case_with_people(ctx, today)
    first, _ = pack(ctx, ref, formats=FORMATS)
    stored = _stored_files(ctx)

    def no_rendering(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a stored file was rendered again")

    monkeypatch.setattr(batch, "render", no_rendering)
    monkeypatch.setattr(batch, "_make", no_rendering)
    second, _ = pack(ctx, ref, formats=FORMATS)
    assert _stored_files(ctx) == stored
    one, two = zipfile.ZipFile(io.BytesIO(first)), zipfile.ZipFile(io.BytesIO(second))
    assert one.namelist() == two.namelist()
    assert all(one.read(n) == two.read(n) for n in one.namelist())


@pytest.mark.parametrize(("cpus", "jobs", "expected"), [(1, 100, 0), (2, 3, 0), (2, 100, 2), (8, 7, 7)])
def test_the_pool_is_sized_to_the_cpus_and_skipped_for_a_few_files(
    monkeypatch: pytest.MonkeyPatch, cpus: int, jobs: int, expected: int
) -> None:
    monkeypatch.setattr(batch, "cpu_count", lambda: cpus)
    assert batch.workers_for(jobs) == expected

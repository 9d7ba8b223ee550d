"""Render the full toolkit for one case in each format, and compare our PDF path with WeasyPrint alone on the
same HTML (target: within 1.2x). Run: python -m bench.documents [--repeat N]

Our PDF time = render_html (Jinja2, from the stored context) + WeasyPrint with pdf/ua-1.
Baseline = WeasyPrint alone (HTML(string).write_pdf(pdf_variant="pdf/ua-1")) on the identical HTML string.
Both are measured in the same run, alternating, taking the minimum of N repeats per document.

The accessibility post-processing (pdf_structure.make_accessible: joined structure elements, artifacts, page labels,
and the start markers it needs WeasyPrint to lay out) is also measured on its own: WeasyPrint with the markers +
make_accessible against WeasyPrint alone on the same HTML with the same FontConfiguration (target: within 1.2x,
issue 15)."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.database import Database
from dhr_workflow.core.migrate import upgrade
from dhr_workflow.core.paths import workflows_dir
from dhr_workflow.core.settings import Settings
from dhr_workflow.documents.catalogue import catalogue
from dhr_workflow.documents.pdf_structure import START_MARKERS, make_accessible
from dhr_workflow.documents.pipeline import FORMATS, convert, render_html
from dhr_workflow.workflow.registry import WorkflowRegistry


def _context(tmp: Path) -> tuple[AppContext, str]:
    from dhr_workflow.demo import seed as demo

    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    upgrade(url)
    ctx = AppContext(
        settings=Settings(database_url=url, _env_file=None),  # type: ignore[call-arg]
        db=Database(url),
        workflows=WorkflowRegistry.from_directory(workflows_dir()),
    )
    return ctx, demo.seed(ctx, password="bench-password-1").cases["published"]


def _min_time(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    shared_fonts = FontConfiguration()
    markers = [CSS(string=START_MARKERS)]

    from dhr_workflow.documents.versions import generate

    with tempfile.TemporaryDirectory() as tmp:
        ctx, ref = _context(Path(tmp))
        docs = []
        for info in catalogue().values():
            if info.needs_access_request:
                continue
            doc, _ = generate(ctx, ref, info.name)
            docs.append((info, doc.data))
        convert(render_html(docs[0][0].template, docs[0][1]), "pdf")  # warm up fonts and imports
        totals = dict.fromkeys(FORMATS, 0.0)
        ours_pdf = baseline_pdf = baseline_shared = repaired = 0.0
        for info, data in docs:
            for fmt in FORMATS:
                totals[fmt] += _min_time(
                    lambda i=info, d=data, f=fmt: convert(render_html(i.template, d), f), args.repeat
                )
            html = render_html(info.template, data)
            baseline_pdf += _min_time(lambda h=html: HTML(string=h).write_pdf(pdf_variant="pdf/ua-1"), args.repeat)
            baseline_shared += _min_time(
                lambda h=html: HTML(string=h).write_pdf(pdf_variant="pdf/ua-1", font_config=shared_fonts), args.repeat
            )
            ours_pdf += _min_time(lambda i=info, d=data: convert(render_html(i.template, d), "pdf"), args.repeat)
            repaired += _min_time(
                lambda h=html: make_accessible(
                    HTML(string=h).write_pdf(pdf_variant="pdf/ua-1", font_config=shared_fonts, stylesheets=markers)
                ),
                args.repeat,
            )
        print(f"documents: {len(docs)} toolkit templates for one case, min of {args.repeat} runs each")
        for fmt, seconds in totals.items():
            print(f"  {fmt:5s} full toolkit: {seconds * 1000:8.1f} ms")
        print(f"  pdf ours {ours_pdf * 1000:.1f} ms vs WeasyPrint alone {baseline_pdf * 1000:.1f} ms: "
              f"ratio {ours_pdf / baseline_pdf:.3f}x (target <= 1.2x)")  # fmt: skip
        print(f"  pdf ours vs WeasyPrint alone with a shared FontConfiguration {baseline_shared * 1000:.1f} ms: "
              f"ratio {ours_pdf / baseline_shared:.3f}x")  # fmt: skip
        print(f"  accessibility post-processing: WeasyPrint + make_accessible {repaired * 1000:.1f} ms vs "
              f"WeasyPrint alone {baseline_shared * 1000:.1f} ms: ratio {repaired / baseline_shared:.3f}x "
              "(target <= 1.2x)")  # fmt: skip
        ctx.db.dispose()


if __name__ == "__main__":
    main()

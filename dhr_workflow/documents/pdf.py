"""Tagged PDF (PDF/UA-1) with WeasyPrint, then repaired with pikepdf. `pdf_variant="pdf/ua-1"` is what makes the
structure tree, MarkInfo, /Lang and the title appear (engineering-notes §4.2); WeasyPrint builds that tree page by
page and leaves the margin boxes untagged (WeasyPrint issue #1836), so `pdf_structure.make_accessible` joins the
elements a page break cut in two (telling a cut paragraph by the start markers it adds) and turns the running
footer into a pagination artifact. A template that asks for Typst (the merged chronology) is typeset by
`typeset` instead (ADR 0063). `pdf_speedups` patches one slow pydyf property first, and `pdf_collector`
pauses the cyclic garbage collector while the PDF is made (ADR 0059)."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _fonts() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def _markers() -> Any:
    from weasyprint import CSS

    from dhr_workflow.documents.pdf_structure import START_MARKERS

    return CSS(string=START_MARKERS)


def to_pdf(html: str) -> bytes:
    from dhr_workflow.documents import typeset

    if typeset.wants_typst(html):
        try:
            return typeset.to_pdf(html)
        except typeset.CannotTypeset as err:
            log.warning("Typst could not set a document (%s); WeasyPrint sets it instead", err)
    return _weasyprint_pdf(html)


def _weasyprint_pdf(html: str) -> bytes:
    from weasyprint import HTML

    from dhr_workflow.documents.pdf_collector import collector_paused
    from dhr_workflow.documents.pdf_speedups import install
    from dhr_workflow.documents.pdf_structure import make_accessible

    install()
    with collector_paused():
        pdf: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", font_config=_fonts(), stylesheets=[_markers()])
        return make_accessible(pdf)

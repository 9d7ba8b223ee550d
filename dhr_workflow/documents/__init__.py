"""The document rendering pipeline, reusable by any feature: one semantic HTML rendering per document, from which
come tagged PDF (PDF/UA-1), Word with real heading styles, plain text and large print.

    from dhr_workflow.documents import render
    data = render("documents/overview_report.html.j2", context, "pdf", "large-print")  # bytes

Nothing here touches the database: services build the context and store what comes out.
"""

from __future__ import annotations

from dhr_workflow.documents.errors import MissingData
from dhr_workflow.documents.pipeline import FORMATS, VARIANTS, render, render_html

__all__ = ["FORMATS", "VARIANTS", "MissingData", "render", "render_html"]

"""Documents: the toolkit catalogue, each document's data, the one rendering pipeline (HTML, tagged PDF, Word, text),
stored versions, the publication leak check and accessible-format requests.

The rendering pipeline is reusable by any feature and touches no database:

    from dhr_workflow.documents import render
    data = render("documents/overview_report.html.j2", context, "pdf", "large-print")  # bytes

Public, by module:
- access_formats: RequestInput, optional_text, check_request
- access_requests: new_request, produce, acknowledge, fulfil, list_requests, sync_request_reminders
- blocks: Heading, Paragraph, ListBlock, Table, Document, read_html
- catalogue: READERS, LAYOUTS, MARKED_READERS, MARKING, TemplateInfo, catalogue, template_info, publication_templates
- context: data_hash, check_needs, build_context, letterhead, contact
- environment: long_date, humanise, environment
- errors: MissingData
- extract: text_of
- leaks: Person, Term, Hit, name_terms, date_terms, address_terms, terms_for, find_leaks
- pdf: to_pdf
- pdf_collector: collector_paused (the garbage collector paused while a PDF is made, ADR 0059)
- pdf_speedups: install, PATCHED_PYDYF_VERSIONS, REPLACED (the pydyf patch, ADR 0059)
- site_pages: PAGES, default_source, current, versions, save (the accessibility statement and privacy notice)
- easy_read: easy_read_name, has_easy_read
- pipeline: stylesheet, render_html, check_choice, convert, render
- publication: CheckResult, prepare, check, fingerprint, latest_check, publication_facts, prepare_demo_publication
- tables: GeneratedDocument, DocumentFile, PublicationCheck, AccessRequest
- text: to_text
- versions: Rendered, variants_for, generate, file_for, stored_file, filename, render_for_case, list_documents,
  versions, diff, pack, attach_file
- word: to_docx
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from dhr_workflow.documents.errors import MissingData

if TYPE_CHECKING:
    from dhr_workflow.documents.pipeline import FORMATS, VARIANTS, render, render_html

__all__ = ["FORMATS", "VARIANTS", "MissingData", "render", "render_html"]
_FROM_PIPELINE = ("FORMATS", "VARIANTS", "render", "render_html")


def __getattr__(name: str) -> Any:
    # The pipeline (the HTML reader, asyncio) is imported on first use, not with the package: `dhr docs list`
    # imports the package for the catalogue and renders nothing (issue 17).
    if name in _FROM_PIPELINE:
        return getattr(importlib.import_module("dhr_workflow.documents.pipeline"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

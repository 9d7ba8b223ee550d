"""Text out of every format we publish, with real readers (pypdf, python-docx), for the publication leak check."""

from __future__ import annotations

import io

from dhr_workflow.documents.blocks import read_html
from dhr_workflow.documents.text import to_text


def text_of(fmt: str, content: bytes) -> str:
    if fmt == "pdf":
        return _pdf_text(content)
    if fmt == "docx":
        return _docx_text(content)
    if fmt == "html":
        doc = read_html(content.decode("utf-8"))
        return doc.title + "\n" + to_text(doc)
    return content.decode("utf-8")


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    title = (reader.metadata.title if reader.metadata else None) or ""
    return "\n".join([title, *(page.extract_text() or "" for page in reader.pages)])


def _docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [doc.core_properties.title or ""]
    parts += [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)

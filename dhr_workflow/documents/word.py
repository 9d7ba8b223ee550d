"""Word from the block model with python-docx: real Heading styles, table header rows that repeat, captions,
list styles, and the document's title and language set (what a screen reader and Word's checker look for).

We build the file from the HTML rendering rather than a docxtpl template, so there is one template per document and
escaping is never in question: python-docx writes text as text (`&` and `<` survive)."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from dhr_workflow.documents.blocks import Document, Heading, ListBlock, Paragraph, Table

SIZES = {"standard": (12, {1: 24, 2: 18, 3: 14}), "large-print": (18, {1: 32, 2: 26, 3: 22})}


def _set_language(docx: object, lang: str) -> None:
    styles = docx.styles.element  # type: ignore[attr-defined]
    rpr_default = styles.find(qn("w:docDefaults"))
    target = rpr_default.find(qn("w:rPrDefault")).find(qn("w:rPr")) if rpr_default is not None else None
    if target is None:
        return
    lang_el = target.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        target.append(lang_el)
    lang_el.set(qn("w:val"), lang)


def _style(docx: object, variant: str) -> None:
    body, headings = SIZES["large-print" if variant == "large-print" else "standard"]
    styles = docx.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(body)
    normal.paragraph_format.line_spacing = 1.5 if variant == "large-print" else 1.15
    for level, size in headings.items():
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.name = "Arial"
        heading.font.italic = False


def _paragraph(docx: object, text: str, style: str | None = None) -> None:
    run = docx.add_paragraph(style=style).add_run()  # type: ignore[attr-defined]
    for i, line in enumerate(text.split("\n")):
        if i:
            run.add_break()
        run.add_text(line)


def _mark_header_row(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(docx: object, block: Table) -> None:
    if block.caption:
        docx.add_paragraph(block.caption, style="Caption")  # type: ignore[attr-defined]
    columns = max(1, len(block.header), *(len(r) for r in block.rows))
    table = docx.add_table(rows=0, cols=columns)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    if block.header:
        cells = table.add_row().cells
        for cell, text in zip(cells, block.header, strict=False):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        _mark_header_row(table.rows[0])
    for row in block.rows:
        for cell, text in zip(table.add_row().cells, row, strict=False):
            cell.text = text
    docx.add_paragraph()  # type: ignore[attr-defined]


def to_docx(doc: Document, variant: str = "standard") -> bytes:
    docx = new_docx()
    _style(docx, variant)
    _set_language(docx, doc.lang or "en-GB")
    docx.core_properties.title = doc.title
    docx.core_properties.language = doc.lang or "en-GB"
    for block in doc.blocks:
        if isinstance(block, Heading):
            docx.add_heading(block.text, level=min(block.level, 9))
        elif isinstance(block, Paragraph):
            _paragraph(docx, block.text)
        elif isinstance(block, ListBlock):
            for item in block.items:
                _paragraph(docx, item, "List Number" if block.ordered else "List Bullet")
        elif isinstance(block, Table):
            _table(docx, block)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()

"""Word from the block model with python-docx, laid out like the PDF: A4 with the PDF's margins, real Heading
styles, hyperlinks with their descriptive words, table header rows that repeat, captions, list styles, pictures
with alt text, the protective marking in the header and footer (where the readers need one), "Page N of M" fields,
and the document's title and language set (what a screen reader and Word's checker look for). Large print and easy
read get the type sizes and spacing of their PDFs.

We build the file from the HTML rendering rather than a docxtpl template, so there is one template per document and
escaping is never in question: python-docx writes text as text (`&` and `<` survive)."""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from dhr_workflow.documents.blocks import Document, Heading, Image, ListBlock, Paragraph, Table
from dhr_workflow.documents.environment import picture_png

# body size, heading sizes, line spacing, page margins (top, right, bottom, left) in cm: as the stylesheets say
LOOKS: dict[str, tuple[int, dict[int, int], float, tuple[float, float, float, float]]] = {
    "standard": (12, {1: 24, 2: 18, 3: 14}, 1.15, (2, 2, 2.5, 2)),
    "large-print": (18, {1: 32, 2: 26, 3: 22}, 1.5, (2, 2, 2, 2)),
    "easy-read": (16, {1: 28, 2: 22, 3: 18}, 1.5, (2, 2, 2.5, 2)),
}
LINK_BLUE = RGBColor(0x1D, 0x70, 0xB8)
PICTURE = Cm(2.4)
IDEA_COLUMNS = (Cm(3.2), Cm(13.8))  # the easy-read picture beside its words, across the 17 cm between margins
LOGO_HEIGHT = Cm(1.6)


def _set_language(docx: Any, lang: str) -> None:
    styles = docx.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    target = rpr_default.find(qn("w:rPrDefault")).find(qn("w:rPr")) if rpr_default is not None else None
    if target is None:
        return
    lang_el = target.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        target.append(lang_el)
    lang_el.set(qn("w:val"), lang)


def _style(docx: Any, variant: str) -> None:
    body, headings, spacing, margins = LOOKS.get(variant, LOOKS["standard"])
    styles = docx.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(body)
    normal.paragraph_format.line_spacing = spacing
    normal.paragraph_format.space_after = Pt(body * 0.5)
    known = {style.name for style in styles}
    for name in ("Caption", "List Bullet", "List Number", "Header", "Footer"):
        if name in known:
            styles[name].font.size = Pt(body)
            styles[name].font.name = "Arial"
    styles["Caption"].font.bold = True
    styles["Caption"].font.italic = False
    styles["Caption"].font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    for level, size in headings.items():
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.name = "Arial"
        heading.font.italic = False
        heading.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        heading.paragraph_format.keep_with_next = True
    section = docx.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, right, bottom, left = margins
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (
        Cm(top),
        Cm(right),
        Cm(bottom),
        Cm(left),
    )


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the pages out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            value = OxmlElement("w:t")
            value.text = text
            run._r.append(value)


def _header_footer(docx: Any, marking: str) -> None:
    section = docx.sections[0]
    if marking:
        top = section.header.paragraphs[0]
        top.text = marking
        top.runs[0].bold = True
    bottom = section.footer.paragraphs[0]
    if marking:
        bottom.add_run(marking).bold = True
        bottom.add_run("\t")
    bottom.add_run("Page ")
    _field(bottom, "PAGE")
    bottom.add_run(" of ")
    _field(bottom, "NUMPAGES")


def _hyperlink(paragraph: Any, text: str, href: str) -> None:
    r_id = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), str(LINK_BLUE))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.extend([color, underline])
    run.append(props)
    words = OxmlElement("w:t")
    words.set(qn("xml:space"), "preserve")
    words.text = text
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


def _text(paragraph: Any, text: str) -> None:
    run = paragraph.add_run()
    for i, line in enumerate(text.split("\n")):
        if i:
            run.add_break()
        run.add_text(line)


def _paragraph(docx: Any, block: Paragraph | str, style: str | None = None) -> None:
    """One paragraph added to `docx` (the document or a table cell), its links as real hyperlinks."""
    paragraph = docx.add_paragraph(style=style)
    text, links = (block, []) if isinstance(block, str) else (block.text, block.links)
    at = 0
    for words, href in links:
        found = text.find(words, at)
        if found < 0:
            continue
        if found > at:
            _text(paragraph, text[at:found])
        _hyperlink(paragraph, words, href)
        at = found + len(words)
    if at < len(text):
        _text(paragraph, text[at:])


def _image(docx: Any, block: Image) -> None:
    """A picture in a paragraph of its own, added to `docx` (the document or a table cell)."""
    data = picture_png(block.picture) if block.picture else block.data
    if not data:
        return
    run = docx.add_paragraph().add_run()
    size = {"width": PICTURE} if block.picture else {"height": LOGO_HEIGHT}
    shape = run.add_picture(io.BytesIO(data), **size)
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", block.alt)
    doc_pr.set("title", block.alt)


def _mark_header_row(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _keep_rows_whole(row: Any) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _fill(cells: list[Any], texts: list[str], bold: int) -> None:
    """Cell texts; the first `bold` cells are headers."""
    for n, (cell, text) in enumerate(zip(cells, texts, strict=False)):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = n < bold


def _table(docx: Any, block: Table) -> None:
    if block.caption:
        caption = docx.add_paragraph(block.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
    columns = max(1, len(block.header), *(len(r) for r in block.rows))
    table = docx.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    if block.header:
        _fill(table.add_row().cells, block.header, bold=len(block.header))
        _mark_header_row(table.rows[0])
    for row in block.rows:
        cells = table.add_row().cells
        if len(row) == 1 and columns > 1:  # one cell across the table, as the HTML's colspan
            cells = [cells[0].merge(cells[-1])]
        _fill(cells, row, bold=1 if block.row_labels else 0)
    for row in table.rows:
        _keep_rows_whole(row)


def _borderless(table: Any) -> None:
    """A layout table draws no lines: it only sets a picture beside its words."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "nil")
        borders.append(line)
    table._tbl.tblPr.append(borders)


def _ideas(docx: Any, blocks: list[Image | Paragraph]) -> None:
    """Easy read: one row per idea, its picture on the left and its sentences on the right, like the PDF (the
    picture keeps its alt text; a row never splits across pages)."""
    rows: dict[int, list[Image | Paragraph]] = {}
    for block in blocks:
        rows.setdefault(block.idea, []).append(block)
    table = docx.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _borderless(table)
    for column, width in zip(table.columns, IDEA_COLUMNS, strict=True):
        column.width = width
    for parts in rows.values():
        row = table.add_row()
        _keep_rows_whole(row)
        for cell, width in zip(row.cells, IDEA_COLUMNS, strict=True):
            cell.width = width
        picture, words = row.cells
        for block in parts:
            if isinstance(block, Image):
                _image(picture, block)
            else:
                _paragraph(words, block)
        for cell in row.cells:  # a new cell starts with an empty paragraph: drop it where there is content
            first = cell.paragraphs[0]
            if len(cell.paragraphs) > 1 and not first.text and first._p.find(".//" + qn("w:drawing")) is None:
                first._p.getparent().remove(first._p)


def _grouped(blocks: list[Any]) -> list[Any]:
    """The blocks with each run of easy-read ideas gathered into one list (one layout table)."""
    out: list[Any] = []
    for block in blocks:
        if isinstance(block, Image | Paragraph) and block.idea:
            if out and isinstance(out[-1], list):
                out[-1].append(block)
            else:
                out.append([block])
        else:
            out.append(block)
    return out


def to_docx(doc: Document, variant: str = "standard") -> bytes:
    docx = new_docx()
    _style(docx, variant)
    _set_language(docx, doc.lang or "en-GB")
    docx.core_properties.title = doc.title
    docx.core_properties.language = doc.lang or "en-GB"
    _header_footer(docx, doc.marking)
    for block in _grouped(doc.blocks):
        if isinstance(block, list):
            _ideas(docx, block)
        elif isinstance(block, Heading):
            docx.add_heading(block.text, level=min(block.level, 9))
        elif isinstance(block, Paragraph):
            _paragraph(docx, block)
        elif isinstance(block, ListBlock):
            for item in block.items:
                _paragraph(docx, item, "List Number" if block.ordered else "List Bullet")
        elif isinstance(block, Table):
            _table(docx, block)
        elif isinstance(block, Image):
            _image(docx, block)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()

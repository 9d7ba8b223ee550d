"""The Delivery Plan's documents (agenda pack, collated plan, Board report, learning briefing) get what the case
documents got: declared readers with the marking only where they need it, the letterhead on a letter and a plain
title page on a report, descriptive links, Word laid out like the PDF, and plain text without placeholders. (Their
PDFs are in the PDF/UA and print-layout checks through `Matrix.plan_pdfs`.)"""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn

from dhr_workflow.documents.catalogue import LAYOUTS, READERS
from dhr_workflow.lessons.documents import DOCUMENTS
from tests.documents.conftest import LETTERHEAD, Matrix

pytestmark = pytest.mark.single_db
LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)
BARE = re.compile(r"://|^www\.|@|^(click )?here$|^link$|^read more$", re.I)
URL = re.compile(r"https?://\S+")


def test_every_plan_document_in_every_format_and_variant_is_rendered(matrix: Matrix) -> None:
    assert set(matrix.plan_outputs) == {
        (name, fmt, variant)
        for name in DOCUMENTS
        for fmt in ("html", "pdf", "docx", "txt")
        for variant in ("standard", "large-print")
    }


def test_each_declares_its_readers_and_carries_the_marking_in_every_format(matrix: Matrix) -> None:
    for name, info in DOCUMENTS.items():
        assert info.readers in READERS and info.layout in LAYOUTS, name
        assert info.marking == ("OFFICIAL-SENSITIVE" if info.readers in ("internal", "agency") else "")
    assert DOCUMENTS["board_report"].readers == "internal"
    for key in matrix.plan_outputs:
        text = matrix.plan_text(key)
        assert "OFFICIAL-SENSITIVE" in text, key
        assert DOCUMENTS[key[0]].title.split(" ")[0] in text, key


def test_reports_open_with_a_plain_title_page_and_letters_carry_the_letterhead(matrix: Matrix) -> None:
    from pypdf import PdfReader

    layouts = {info.layout for info in DOCUMENTS.values()}
    assert {"report", "letter"} <= layouts
    for name, info in DOCUMENTS.items():
        html = matrix.plan_outputs[(name, "html", "standard")].decode()
        first = " ".join(
            PdfReader(io.BytesIO(matrix.plan_outputs[(name, "pdf", "standard")])).pages[0].extract_text().split()
        )
        if info.layout == "report":
            assert '<div class="title-page">' in html and "2 Watling Street" not in html, name
            assert "Prepared on" not in first and "Progress by" not in first and "Objectives" not in first, name
        if info.layout == "letter":
            assert LETTERHEAD["letterhead_name"] in html and "2 Watling Street" in html, name
            assert re.search(
                r'<img class="logo" src="data:image/png;base64,[^"]+" alt="Northbridge Borough Council">', html
            )
            assert "Northbridge NB1 2AB" in first and LETTERHEAD["letterhead_phone"] in first, name


def test_every_link_says_where_it_goes(matrix: Matrix) -> None:
    for (name, fmt, variant), content in matrix.plan_outputs.items():
        if fmt != "html":
            continue
        links = [re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in LINK.findall(content.decode())]
        assert links, (name, variant)
        assert all(words and not BARE.search(words) for words in links), (name, variant, links)


def _docx(content: bytes) -> Document:  # type: ignore[valid-type]
    return Document(io.BytesIO(content))


def test_word_files_are_a4_with_real_links_marking_and_page_numbers_in_header_and_footer(matrix: Matrix) -> None:
    for (name, fmt, variant), content in matrix.plan_outputs.items():
        if fmt != "docx":
            continue
        doc = _docx(content)
        section = doc.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297), name
        footer = section.footer._element
        assert {"PAGE", "NUMPAGES"} <= {t.text.strip() for t in footer.iter(qn("w:instrText"))}, name
        assert "".join(t.text for t in footer.iter(qn("w:t"))).startswith("OFFICIAL-SENSITIVE"), name
        assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE", name
        assert not any(p.text.strip() == "OFFICIAL-SENSITIVE" for p in doc.paragraphs), name
        links = doc.element.body.findall(".//" + qn("w:hyperlink"))
        html = matrix.plan_outputs[(name, "html", variant)].decode()
        assert len(links) == html.count("<a href="), (name, variant)
        for link in links:
            words = "".join(t.text for t in link.iter(qn("w:t")))
            assert words and not URL.search(words) and "@" not in words, (name, words)


def test_word_files_have_one_title_heading_repeating_header_rows_and_no_empty_paragraphs(matrix: Matrix) -> None:
    sizes = {"standard": 12, "large-print": 18}
    for (name, fmt, variant), content in matrix.plan_outputs.items():
        if fmt != "docx":
            continue
        doc = _docx(content)
        styles = [p.style.name for p in doc.paragraphs if p.style is not None]
        assert styles.count("Heading 1") == 1, (name, variant)
        assert doc.core_properties.language == "en-GB" and DOCUMENTS[name].title.split(" ")[0] in (
            doc.core_properties.title or ""
        )
        for paragraph in doc.paragraphs:
            assert paragraph.text.strip() or paragraph._p.find(".//" + qn("w:drawing")) is not None, name
        for table in doc.tables:
            assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, name
        assert doc.styles["Normal"].font.size.pt == sizes[variant], (name, variant)


def test_plain_text_has_no_placeholder_rows_or_template_leftovers(matrix: Matrix) -> None:
    for (name, fmt, variant), _ in matrix.plan_outputs.items():
        if fmt != "txt":
            continue
        text = matrix.plan_text((name, fmt, variant))
        assert "Item: " not in text and "(no rows yet" not in text and "None" not in text, (name, variant)
        assert not re.search(r"\{\{|\}\}|\{%|Undefined", text), (name, variant)

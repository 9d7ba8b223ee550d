"""Word files that look like a council's (A4 with the PDF's margins, real hyperlinks, the marking and "Page N of M"
in the header and footer, repeating header rows, no stray empty paragraphs, large print and easy read styled like
their PDFs); plain text as "Label: value" lines without placeholder rows; easy read with a picture and its alt
text beside every idea, a short link and a phone number."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn

from dhr_workflow.documents.catalogue import catalogue
from dhr_workflow.documents.environment import pictures
from tests.documents.conftest import LETTERHEAD, Matrix

pytestmark = pytest.mark.single_db
URL = re.compile(r"https?://\S+")
PICTURE = re.compile(r'<img class="picture" src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"')


def _docx(content: bytes) -> Document:  # type: ignore[valid-type]
    return Document(io.BytesIO(content))


def test_every_word_file_is_a4_with_the_pdf_margins(matrix: Matrix) -> None:
    for (name, _, variant), content in matrix.items("docx"):
        section = _docx(content).sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297), name
        assert round(section.left_margin.cm, 1) == round(section.right_margin.cm, 1) == 2.0, name
        assert round(section.bottom_margin.cm, 1) == (2.0 if variant == "large-print" else 2.5), name


def test_every_link_is_a_real_hyperlink_with_its_words(matrix: Matrix) -> None:
    for (name, _, variant), content in matrix.items("docx"):
        doc = _docx(content)
        targets = {r.rId: r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")}
        links = doc.element.body.findall(".//" + qn("w:hyperlink"))
        assert links, (name, variant)
        for link in links:
            words = "".join(t.text for t in link.iter(qn("w:t")))
            assert words and not URL.search(words) and "@" not in words, (name, variant, words)
            assert targets[link.get(qn("r:id"))].startswith(("http", "mailto:")), name
        html = matrix.outputs[(name, "html", variant)].decode()
        assert len(links) == html.count("<a href="), (name, variant)


def test_marking_and_page_numbers_sit_in_the_header_and_footer(matrix: Matrix) -> None:
    for (name, _, variant), content in matrix.items("docx"):
        doc = _docx(content)
        info = catalogue()[name]
        section = doc.sections[0]
        footer = section.footer._element
        instructions = " ".join(t.text for t in footer.iter(qn("w:instrText")))
        assert "PAGE" in instructions and "NUMPAGES" in instructions, name
        footer_text = "".join(t.text for t in footer.iter(qn("w:t")))
        assert footer_text.startswith(info.marking) and "Page " in footer_text and " of " in footer_text, name
        body = [p.text for p in doc.paragraphs]
        assert not any(text.strip() in ("OFFICIAL", "OFFICIAL-SENSITIVE") for text in body), (name, variant)
        if info.marking:
            assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE", name
        else:
            assert "OFFICIAL" not in footer_text and section.header.is_linked_to_previous, name


def test_no_stray_empty_paragraphs_and_header_rows_repeat(matrix: Matrix) -> None:
    for (name, _, variant), content in matrix.items("docx"):
        doc = _docx(content)
        for paragraph in doc.paragraphs:
            has_picture = paragraph._p.find(".//" + qn("w:drawing")) is not None
            assert paragraph.text.strip() or has_picture, (name, variant)
        for table in doc.tables:
            if table._tbl.find(".//" + qn("w:drawing")) is not None:
                continue  # easy read's layout table (a picture beside its words) has no header row
            assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, name


def test_large_print_and_easy_read_word_files_are_styled_like_their_pdfs(matrix: Matrix) -> None:
    expected = {"standard": (12, 1.15), "large-print": (18, 1.5), "easy-read": (16, 1.5)}
    for (name, _, variant), content in matrix.items("docx"):
        normal = _docx(content).styles["Normal"]
        size, spacing = expected[variant]
        assert normal.font.size.pt == size and normal.paragraph_format.line_spacing == spacing, (name, variant)


def test_plain_text_reads_key_facts_as_label_value_lines_without_placeholder_rows(matrix: Matrix) -> None:
    letter = matrix.text(("decision_letter_review", "txt", "standard"))
    assert f"Review reference: {matrix.ref}" in letter and "Item:" not in letter and "Details:" not in letter
    for (name, _, variant), _ in matrix.items("txt"):
        text = matrix.text((name, "txt", variant))
        assert "Item: " not in text and "(no rows yet" not in text, (name, variant)
        lines = text.splitlines()
        assert not any(a == b == "    To be completed" for a, b in zip(lines, lines[1:], strict=False)), name
        assert text.count("- Date and time: To be completed") == 0, name
    chronology = matrix.text(("chronology_template", "txt", "standard"))
    assert "To be completed, with: Date and time, Source record" in chronology


def _easy_read_sections(html: str) -> list[str]:
    main = html[html.index("<main") : html.index("</main>")]
    return re.findall(r"<section>(.*?)</section>", main, re.S)


def test_every_easy_read_section_has_a_picture_with_alt_text_in_every_format(matrix: Matrix) -> None:
    alts = {alt for _, alt in pictures().values()}
    for (name, fmt, variant), content in matrix.items():
        if variant != "easy-read":
            continue
        if fmt == "html":
            sections = _easy_read_sections(content.decode())
            assert len(sections) >= 4, name
            for section in sections:
                found = PICTURE.findall(section)
                assert found and set(found) <= alts, (name, section[:80])
            assert "OpenMoji" in content.decode() and "CC BY-SA 4.0" not in content.decode().split("<main")[0]
            assert "Creative Commons Attribution-ShareAlike 4.0" in content.decode(), name
        elif fmt == "docx":
            described = _docx(content).element.body.xpath(".//wp:docPr/@descr")
            assert len([d for d in described if d in alts]) >= 4, name
        elif fmt == "pdf":
            import pikepdf

            with pikepdf.open(io.BytesIO(content)) as pdf:
                from dhr_workflow.documents.pdf_structure import walk

                figures = [e for e in walk(pdf.Root.StructTreeRoot.K[0]) if str(e.S) == "/Figure"]
                assert len([f for f in figures if str(f.get("/Alt", "")) in alts]) >= 4, name


def test_easy_read_uses_short_sentences_a_short_link_and_a_phone_number(matrix: Matrix) -> None:
    for (name, fmt, variant), _ in matrix.items("txt"):
        if variant != "easy-read":
            continue
        text = matrix.text((name, fmt, variant))
        body = text[: text.index("Pictures: OpenMoji")]
        for sentence in re.split(r"(?<=[.!?])\s+|\n\n", body):
            assert len(" ".join(sentence.split()).split()) <= 16, (name, sentence)
        assert LETTERHEAD["short_link"] in text and LETTERHEAD["letterhead_phone"] in text, name
        html = matrix.outputs[(name, "html", variant)].decode()
        footer = html[html.index("<footer") :]
        assert not URL.search(re.sub(r'href="[^"]*"', "", footer)), name  # no long address printed


def test_easy_read_word_sets_each_picture_beside_its_words_in_a_borderless_table(matrix: Matrix) -> None:
    alts = {alt for _, alt in pictures().values()}
    for (name, _, variant), content in matrix.items("docx"):
        if variant != "easy-read":
            continue
        doc = _docx(content)
        layout = [t for t in doc.tables if t._tbl.find(".//" + qn("w:drawing")) is not None]
        rows = [row for table in layout for row in table.rows]
        assert len(rows) >= 4, name
        for table in layout:
            borders = table._tbl.tblPr.find(qn("w:tblBorders"))
            assert borders is not None and {side.get(qn("w:val")) for side in borders} == {"nil"}, name
        for row in rows:
            picture, words = row.cells
            assert picture.width.cm < 4 < words.width.cm, name
            assert len(picture._tc.xpath(".//wp:docPr")) == 1 and picture._tc.xpath(".//wp:docPr/@descr")[0] in alts
            assert not picture.text.strip() and not words._tc.xpath(".//wp:docPr"), name
            assert words.paragraphs and all(p.text.strip() or p._p.xpath(".//w:hyperlink") for p in words.paragraphs)
            for paragraph in words.paragraphs:
                assert all((run.font.size or paragraph.style.font.size).pt >= 16 for run in paragraph.runs), name
        loose = doc.element.body.xpath("./w:p//wp:docPr/@descr")  # a picture outside the layout tables
        assert not set(loose) & alts, (name, loose)

"""Every template, in every format and variant, for a fully populated demo case, read back with real readers."""

from __future__ import annotations

import io
import re

import pytest

from dhr_workflow.documents.catalogue import catalogue
from tests.documents.conftest import TRICKY, Matrix

pytestmark = pytest.mark.single_db
LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|Undefined|\bNone\b")


def test_the_matrix_covers_every_template_format_and_variant(matrix: Matrix) -> None:
    names = {name for name, _, _ in matrix.outputs}
    assert names == set(catalogue())
    easy = {name for name, _, variant in matrix.outputs if variant == "easy-read"}
    assert easy == {"family_letter", "publication_notice", "accessible_format_response"}
    assert len(matrix.outputs) == len(catalogue()) * 2 * 4 + len(easy) * 4


def test_every_pdf_is_tagged_with_language_title_and_extractable_text(matrix: Matrix) -> None:
    from pypdf import PdfReader

    for (name, _, variant), content in matrix.items("pdf"):
        reader = PdfReader(io.BytesIO(content))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root, (name, variant)
        assert root["/MarkInfo"]["/Marked"], (name, variant)
        assert str(root["/Lang"]).lower().startswith("en"), (name, variant)
        assert reader.metadata is not None and catalogue()[name].title in (reader.metadata.title or ""), name
        text = " ".join((page.extract_text() or "") for page in reader.pages)
        assert matrix.ref in text, (name, variant)


def test_every_word_file_has_heading_styles_header_rows_title_and_language(matrix: Matrix) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    for (name, _, variant), content in matrix.items("docx"):
        doc = Document(io.BytesIO(content))
        styles = [p.style.name for p in doc.paragraphs if p.style is not None]
        assert "Heading 1" in styles, (name, variant)
        assert styles.count("Heading 1") == 1, (name, variant)
        assert doc.core_properties.title == f"{catalogue()[name].title} – {matrix.ref}"
        assert doc.core_properties.language == "en-GB"
        lang = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        assert lang.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
        for table in doc.tables:
            if table._tbl.find(".//" + qn("w:drawing")) is not None:
                continue  # easy read's layout table (a picture beside its words) has no header row
            tr_pr = table.rows[0]._tr.trPr
            assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None, name


def test_large_print_word_files_use_bigger_type(matrix: Matrix) -> None:
    from docx import Document

    standard = Document(io.BytesIO(matrix.outputs[("terms_of_reference", "docx", "standard")]))
    large = Document(io.BytesIO(matrix.outputs[("terms_of_reference", "docx", "large-print")]))
    assert large.styles["Normal"].font.size.pt >= 16 > standard.styles["Normal"].font.size.pt


def test_every_web_page_has_one_h1_ordered_headings_landmarks_and_captioned_tables(matrix: Matrix) -> None:
    for (name, _, _), content in matrix.items("html"):
        html = content.decode()
        assert '<html lang="en-GB">' in html and "<title>" in html, name
        assert html.count("<h1") == 1 and "<main" in html and "<header" in html and "<footer" in html, name
        levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (name, levels)
        assert html.count("<table") == html.count("<caption"), name
        assert "<th>" not in html, name  # every header cell has a scope
        assert "available in other formats" in html, name


def test_no_template_syntax_is_left_in_any_format(matrix: Matrix) -> None:
    for (name, fmt, variant), _ in matrix.items():
        text = matrix.text((name, fmt, variant))
        assert not LEFTOVER.search(text), (name, fmt, variant, LEFTOVER.search(text))


def test_ampersands_and_angle_brackets_survive_in_every_format(matrix: Matrix) -> None:
    using_chair = [n for n, info in catalogue().items() if "chair_name" in info.needs]
    assert len(using_chair) >= 8
    for name in using_chair:
        for fmt in ("html", "pdf", "docx", "txt"):
            text = " ".join(matrix.text((name, fmt, "standard")).split())
            assert TRICKY in text, (name, fmt)
        html = matrix.outputs[(name, "html", "standard")].decode()
        assert "&amp; Associates &lt;Ltd&gt;" in html, name


def test_publication_documents_carry_pseudonyms_not_real_names(matrix: Matrix) -> None:
    for name in ("overview_report", "executive_summary", "action_plan"):
        for fmt in ("html", "pdf", "docx", "txt"):
            text = matrix.text((name, fmt, "standard"))
            assert "Faye" in text and "Fayeson" not in text and "MET/" not in text, (name, fmt)
    letter = matrix.text(("family_letter", "txt", "standard"))
    assert "Demo Victim Fayeson" in letter


@pytest.mark.browser
def test_every_web_page_passes_axe_wcag_22_aa(matrix: Matrix) -> None:
    from tests.browser import axe_violations, chromium

    failures = {}
    with chromium() as browser:
        page = browser.new_page()
        for (name, _, variant), content in matrix.items("html"):
            page.set_content(content.decode(), wait_until="load")
            found = axe_violations(page)
            if found:
                failures[(name, variant)] = found
        page.close()
    assert failures == {}

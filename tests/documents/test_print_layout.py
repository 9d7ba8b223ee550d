"""Print layout of every PDF we make: no trailing page with only the closing lines, headings kept with what
follows, captions with their tables, large print at 18pt or more with 1.5 line spacing, easy read at 16pt or more,
and the short letters on one page. Read from the PDFs' own structure trees (where each element landed)."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest

from dhr_workflow.documents.catalogue import catalogue
from dhr_workflow.documents.pdf_structure import walk
from dhr_workflow.documents.pipeline import stylesheet
from tests.documents.conftest import Matrix
from tests.pdf_paint import scale
from tests.pdf_paint import walk as walk_paint

pytestmark = pytest.mark.single_db


def _pdfs(matrix: Matrix) -> dict[tuple[str, str], bytes]:
    found = {(name, variant): content for (name, _, variant), content in matrix.items("pdf")}
    found |= {(f"plan:{name}", variant): content for (name, variant), content in matrix.plan_pdfs.items()}
    return found


class Placed:
    """Which page each structure element starts and ends on."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        self.count = len(pdf.pages)
        self.root = pdf.Root.StructTreeRoot.K[0]

    def leaves(self, elem: Any) -> list[int]:
        return [self.pages[e.Pg.objgen] for e in walk(elem) if any(isinstance(k, int) for k in e.K)]

    def first(self, elem: Any) -> int:
        return min(self.leaves(elem), default=-1)

    def last(self, elem: Any) -> int:
        return max(self.leaves(elem), default=-1)

    def elements(self, *kinds: str) -> list[Any]:
        return [e for e in walk(self.root) if str(e.S) in kinds]


def _kids(elem: Any) -> list[Any]:
    return [k for k in elem.K if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def test_no_pdf_ends_with_a_page_that_holds_only_the_closing_lines(matrix: Matrix) -> None:
    for key, content in _pdfs(matrix).items():
        with pikepdf.open(io.BytesIO(content)) as pdf:
            placed = Placed(pdf)
            (main,) = placed.elements("/Part")
            assert placed.last(main) == placed.count - 1, key


def test_headings_keep_with_what_follows_them(matrix: Matrix) -> None:
    for key, content in _pdfs(matrix).items():
        with pikepdf.open(io.BytesIO(content)) as pdf:
            placed = Placed(pdf)
            for parent in walk(placed.root):
                kids = _kids(parent)
                for heading, after in zip(kids, kids[1:], strict=False):
                    if str(heading.S) in ("/H1", "/H2", "/H3", "/H4"):
                        assert placed.last(heading) == placed.first(after), (key, str(heading.S))


def test_captions_keep_with_their_tables(matrix: Matrix) -> None:
    for key, content in _pdfs(matrix).items():
        with pikepdf.open(io.BytesIO(content)) as pdf:
            placed = Placed(pdf)
            for table in placed.elements("/Table"):
                kids = {str(k.S): k for k in _kids(table)}
                assert "/Caption" in kids, key
                body_rows = [r for r in _kids(kids["/TBody"]) if str(r.S) == "/TR"]
                assert placed.first(kids["/Caption"]) == placed.first(body_rows[0]), key


def _text_sizes_pt(pdf: pikepdf.Pdf) -> set[float]:
    """The font sizes of the tagged text (artifacts such as page numbers left out), in points on the page: the Tf
    size times the transformation matrix's scale (WeasyPrint writes CSS px under a 0.75 scale, Typst points)."""
    sizes: set[float] = set()
    for page in pdf.pages:
        tagged = 0
        for operands, op, ctm in walk_paint(page, "BDC BMC EMC Tf"):
            if op in ("BDC", "BMC"):
                tagged = tagged + 1 if str(operands[0]) != "/Artifact" else -100
            elif op == "EMC":
                tagged = max(0, tagged - 1) if tagged > 0 else 0
            elif tagged > 0:
                sizes.add(round(float(operands[1]) * scale(ctm), 1))
    return sizes


def test_large_print_is_18pt_or_more_and_easy_read_16pt_or_more_with_generous_spacing(matrix: Matrix) -> None:
    for (name, variant), content in _pdfs(matrix).items():
        if variant == "standard":
            continue
        with pikepdf.open(io.BytesIO(content)) as pdf:
            smallest = min(_text_sizes_pt(pdf))
        assert smallest >= (18 if variant == "large-print" else 16), (name, variant, smallest)
    large = stylesheet("large-print")
    assert "line-height: 1.5" in large[large.index("Large print") :]
    with pikepdf.open(io.BytesIO(matrix.outputs[("terms_of_reference", "pdf", "standard")])) as pdf:
        assert min(_text_sizes_pt(pdf)) < 18  # the check can tell the difference


def test_short_letters_fit_one_page_in_standard_print(matrix: Matrix) -> None:
    one_page = [name for name, info in catalogue().items() if info.one_page]
    assert len(one_page) >= 4
    for name in one_page:
        assert catalogue()[name].layout == "letter"
        with pikepdf.open(io.BytesIO(matrix.outputs[(name, "pdf", "standard")])) as pdf:
            assert len(pdf.pages) == 1, name

"""PDF/UA-1 in substance, for every PDF we make (every toolkit template in every variant, and the Delivery Plan's
documents): every marked-content sequence on every page is referenced from the structure tree or is an Artifact,
a table or list that crosses a page is one structure element, and the `pdfua` checker finds nothing."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest

from dhr_workflow.documents.pdf import to_pdf
from dhr_workflow.documents.pdf_structure import (
    MARKED,
    START_MARKERS,
    make_accessible,
    marked_content,
    split_elements,
    unreferenced,
)
from tests.documents.conftest import Matrix

pytestmark = pytest.mark.single_db

# pdfua 0.1.3's empty-heading rule crashes on pikepdf 10 (it calls getattr(array, "is_integer"), which pikepdf
# answers with ValueError); `test_no_heading_is_empty` below checks the same thing.
PDFUA_BROKEN_RULES = {"UA-14-001"}


def _every_pdf(matrix: Matrix) -> dict[str, bytes]:
    found = {f"{name} ({variant})": content for (name, _, variant), content in matrix.items("pdf")}
    found |= {f"Delivery Plan {name} ({variant})": content for (name, variant), content in matrix.plan_pdfs.items()}
    return found


def _long_table_html(rows: int = 80) -> str:
    body = "".join(f"<tr><th scope='row'>Row {n}</th><td>Value {n}</td></tr>" for n in range(rows))
    items = "".join(f"<li>Item {n}</li>" for n in range(60))
    paragraphs = "".join(f"<p>Paragraph {n}: " + "words that run on " * 120 + "</p>" for n in range(5))
    return (
        "<!DOCTYPE html><html lang='en-GB'><head><title>Long</title><style>@page { size: A4; "
        "@bottom-left { content: 'Page ' counter(page) ' of ' counter(pages) } }</style></head><body><main>"
        "<h1>Long</h1><section><h2>A table</h2><table><caption>Rows</caption><thead><tr><th scope='col'>Name</th>"
        f"<th scope='col'>Value</th></tr></thead><tbody>{body}</tbody></table></section>"
        f"<section><h2>A list</h2><ul>{items}</ul></section>"
        f"<section><h2>Long paragraphs</h2>{paragraphs}</section></main></body></html>"
    )


def test_weasyprint_alone_leaves_the_footer_untagged_and_cuts_tables_lists_and_paragraphs_at_page_breaks() -> None:
    """The checks can fail: WeasyPrint's own output fails both, and the repaired file passes both."""
    from weasyprint import CSS, HTML

    html = _long_table_html()
    raw = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", stylesheets=[CSS(string=START_MARKERS)])
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        assert len(pdf.pages) >= 3
        assert {page for page, _, _ in unreferenced(pdf)} == set(range(len(pdf.pages)))
        assert _count(pdf, "/P") > html.count("<p>")  # a paragraph cut in two counts twice
        problems = split_elements(pdf)  # (joins the cuts in the opened copy)
        for kind in ("/Table", "/L", "/P"):
            assert any(p.startswith(f"{kind} cut") for p in problems), (kind, problems)
    with pikepdf.open(io.BytesIO(make_accessible(raw))) as pdf:
        assert unreferenced(pdf) == [] and split_elements(pdf) == []
        assert _count(pdf, "/P") == html.count("<p>") and _starts_marked(pdf) == 0


def _count(pdf: pikepdf.Pdf, kind: str) -> int:
    return sum(1 for elem in _walk(pdf.Root.StructTreeRoot.K[0]) if str(elem.S) == kind)


def _starts_marked(pdf: pikepdf.Pdf) -> int:
    """Paragraphs and headings that still begin with the empty marker the repair uses and should remove."""
    found = 0
    for elem in _walk(pdf.Root.StructTreeRoot.K[0]):
        kids = elem.get("/K")
        if str(elem.S) in MARKED and isinstance(kids, pikepdf.Array) and len(kids):
            first = kids[0]
            found += isinstance(first, pikepdf.Dictionary) and str(first.get("/S")) == "/NonStruct" and not first.K
    return found


def test_a_table_across_pages_is_one_table_whose_repeated_header_is_an_artifact() -> None:
    with pikepdf.open(io.BytesIO(to_pdf(_long_table_html()))) as pdf:
        part = pdf.Root.StructTreeRoot.K[0].K
        assert [str(e.S) for e in part] == ["/Part"]
        tables = [e for e in _walk(part[0]) if str(e.S) == "/Table"]
        assert len(tables) == 1
        kinds = [str(k.S) for k in tables[0].K]
        assert kinds == ["/Caption", "/THead", "/TBody"]
        rows = [k for k in tables[0].K[2].K if str(k.S) == "/TR"]
        assert len(rows) == 80
        ids = {str(th.ID) for th in _walk(tables[0].K[1]) if str(th.S) == "/TH"}
        for cell in (e for e in _walk(tables[0]) if str(e.S) == "/TD"):
            assert {str(h) for h in cell.A.Headers} - {str(th.ID) for th in _walk(cell.P) if "/ID" in th} <= ids
        assert {str(th.A.Scope) for th in _walk(tables[0]) if str(th.S) == "/TH"} == {"/Column", "/Row"}
        lists = [e for e in _walk(part[0]) if str(e.S) == "/L"]
        assert len(lists) == 1 and len([k for k in lists[0].K if str(k.S) == "/LI"]) == 60
        artifacts = [props for _, tag, props in marked_content(pdf) if tag == "/Artifact"]
        assert sum(1 for p in artifacts if p is None) >= 1  # the repeated header row


def _walk(elem: pikepdf.Object) -> list[pikepdf.Object]:
    found = [elem]
    for kid in elem.get("/K", []) if isinstance(elem.get("/K"), pikepdf.Array) else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += _walk(kid)
    return found


def test_every_marked_content_sequence_is_in_the_structure_tree_or_an_artifact(matrix: Matrix) -> None:
    pdfs = _every_pdf(matrix)
    assert len(pdfs) >= len(matrix.items("pdf")) + 8
    for name, content in pdfs.items():
        with pikepdf.open(io.BytesIO(content)) as pdf:
            assert unreferenced(pdf) == [], name


def test_the_page_numbers_are_pagination_artifacts_and_every_pdf_has_page_labels(matrix: Matrix) -> None:
    for name, content in _every_pdf(matrix).items():
        with pikepdf.open(io.BytesIO(content)) as pdf:
            footers = {
                page
                for page, tag, props in marked_content(pdf)
                if tag == "/Artifact" and props is not None and props.get("/Subtype") == "/Footer"
            }
            assert footers == set(range(len(pdf.pages))), name
            assert str(pdf.Root.PageLabels.Nums[1].S) == "/D", name


def test_no_table_or_list_is_cut_at_a_page_break_and_no_table_is_a_caption_alone(matrix: Matrix) -> None:
    for name, content in _every_pdf(matrix).items():
        with pikepdf.open(io.BytesIO(content)) as pdf:
            assert split_elements(pdf) == [], name
            top = [str(k.S) for k in pdf.Root.StructTreeRoot.K[0].K]
            assert top.count("/Part") == 1, (name, top)  # <main> is one element, however many pages


def _every_pdf_with_html(matrix: Matrix) -> dict[str, tuple[bytes, str]]:
    found = {
        f"{name} ({variant})": (content, matrix.outputs[(name, "html", variant)].decode())
        for (name, _, variant), content in matrix.items("pdf")
    }
    for (name, fmt, variant), content in matrix.plan_outputs.items():
        if fmt == "pdf":
            found[f"Delivery Plan {name} ({variant})"] = (
                content,
                matrix.plan_outputs[(name, "html", variant)].decode(),
            )
    return found


def test_no_paragraph_or_heading_is_cut_at_a_page_break(matrix: Matrix) -> None:
    """Each <p> and <h1>-<h6> of the HTML is exactly one structure element, however many pages it runs over (a
    cut one would count twice), and no start marker is left behind."""
    cut_somewhere = 0
    for name, (content, html) in _every_pdf_with_html(matrix).items():
        with pikepdf.open(io.BytesIO(content)) as pdf:
            assert _count(pdf, "/P") == len(re.findall(r"<p[\s>]", html)), name
            for level in range(1, 7):
                assert _count(pdf, f"/H{level}") == len(re.findall(rf"<h{level}[\s>]", html)), (name, level)
            assert _starts_marked(pdf) == 0, name
            cut_somewhere += any(
                len({kid.Pg.objgen for kid in _walk(p) if "/Pg" in kid}) > 1
                for p in _walk(pdf.Root.StructTreeRoot.K[0])
                if str(p.S) == "/P"
            )
    assert cut_somewhere >= 1  # some paragraph did run over a page break, and is still one element


def test_no_stylesheet_gives_paragraphs_or_headings_before_content_which_would_hide_the_start_markers() -> None:
    from dhr_workflow.core.paths import templates_dir

    rule = re.compile(r"(^|[\s,}>])(p|h[1-6])([.#:\[][^{,]*)?::?before", re.M)
    sources = [*templates_dir().rglob("*.css"), *templates_dir().rglob("*.j2")]
    assert len(sources) > 20
    assert [path.name for path in sources if rule.search(path.read_text(encoding="utf-8"))] == []
    assert rule.search(START_MARKERS)  # the pattern finds such a rule


def test_no_heading_is_empty_and_every_header_cell_has_a_scope(matrix: Matrix) -> None:
    for name, content in _every_pdf(matrix).items():
        with pikepdf.open(io.BytesIO(content)) as pdf:
            for elem in _walk(pdf.Root.StructTreeRoot.K[0]):
                kind = str(elem.S)
                if kind in ("/H1", "/H2", "/H3", "/H4"):
                    assert len(elem.K) > 0, (name, kind)
                if kind == "/TH":
                    assert _scope(elem) in ("/Column", "/Row"), name


def _scope(cell: pikepdf.Object) -> str:
    """A header cell's /Scope: its attribute object may stand alone (WeasyPrint) or in an array of them (Typst)."""
    found = cell.get("/A")
    for attributes in found if isinstance(found, pikepdf.Array) else [found]:
        if isinstance(attributes, pikepdf.Dictionary) and "/Scope" in attributes:
            return str(attributes.Scope)
    return ""


def test_the_pdfua_checker_finds_nothing_in_any_pdf(matrix: Matrix, tmp_path: Path) -> None:
    from pdfua import validate

    for name, content in _every_pdf(matrix).items():
        path = tmp_path / "document.pdf"
        path.write_bytes(content)
        report = validate(str(path))
        assert [(f.rule_id, f.message) for f in report.findings] == [], name
        assert {o.rule_id for o in report.skipped} <= PDFUA_BROKEN_RULES, name

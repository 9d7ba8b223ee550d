"""Documents typeset by Typst (ADR 0063): the same PDF/UA checks as WeasyPrint's, the closing lines never alone on
the last page however the rows fall, every text set as text (never Typst markup), and nothing Typst cannot yet set
accepted silently."""

from __future__ import annotations

import io

import pikepdf
import pytest

from dhr_workflow.documents import typeset
from dhr_workflow.documents.pdf import to_pdf
from dhr_workflow.documents.pdf_structure import split_elements, unreferenced

pytestmark = pytest.mark.single_db

PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="  # a 1x1 PNG
MARKUP = "#set page(width: 1cm) *not bold* _not em_ $x^2$ @ref <label> `raw` = not a heading \\ [box]"


def _html(rows: int, variant: str = "standard", last_paragraph: str = "", marker: bool = True) -> str:
    meta = f'<meta name="dhr-typesetter" content="typst" data-page="landscape" data-variant="{variant}">'
    body = "".join(
        f"<tr><td>2021-01-{1 + n % 28:02d} 10:00</td><td>Metropolitan Police</td>"
        f"<td>Officers attended after a call from a neighbour; risk assessment completed ({n})</td>"
        f"<td>CAD {n}</td></tr>"
        for n in range(rows)
    )
    return (
        f"<!DOCTYPE html><html lang='en-GB'><head><title>Merged chronology – DHR-1</title>{meta if marker else ''}"
        "</head><body><header><p class='org'>A Partnership</p><p class='marking'>OFFICIAL-SENSITIVE</p></header>"
        "<main><div class='title-page'><h1>Merged chronology</h1><p>Review reference DHR-1</p></div>"
        "<table><caption>About</caption><thead><tr><th scope='col'>Item</th><th scope='col'>Details</th></tr></thead>"
        "<tbody><tr><th scope='row'>Entries</th><td>Many</td></tr></tbody></table>"
        "<table><caption>Entries in January 2021</caption><thead><tr><th scope='col'>Date and time</th>"
        "<th scope='col'>Agency</th><th scope='col'>What happened</th><th scope='col'>Source record</th></tr></thead>"
        f"<tbody>{body}</tbody></table>{last_paragraph}</main>"
        "<footer><p>This document is available in other formats. <a href='https://example.org/formats'>Ask for "
        "another format online</a>.</p><p>Review reference DHR-1.</p></footer></body></html>"
    )


def _structure(pdf: pikepdf.Pdf) -> tuple[pikepdf.Object, list[pikepdf.Object]]:
    document = pdf.Root.StructTreeRoot.K[0]
    return document, [k for k in document.K if isinstance(k, pikepdf.Dictionary)]


def _last_page(pages: dict, elem: pikepdf.Object) -> int:
    while True:
        kids = [k for k in elem.get("/K", []) if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        if not kids:
            return pages[elem.Pg.objgen]
        elem = kids[-1]


@pytest.mark.parametrize("variant", ["standard", "large-print"])
def test_the_closing_lines_never_stand_alone_on_the_last_page_and_the_last_table_stays_one(
    variant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row counts from 1 to 45 fall every way against the page end; some need the last row carried over."""
    carried: list[int | None] = []
    keep = typeset.keep_with_closing
    monkeypatch.setattr(typeset, "keep_with_closing", lambda blocks: carried.append(keep(blocks)) or carried[-1])
    counts = range(1, 46, 1 if variant == "standard" else 3)
    for rows in counts:  # typeset in this process, so the spy sees it (to_pdf runs the same in a child)
        with pikepdf.open(io.BytesIO(typeset.typeset(_html(rows, variant)))) as pdf:
            pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
            _, top = _structure(pdf)
            assert [str(k.S) for k in top] == ["/NonStruct", "/Part", "/NonStruct"], rows
            (main,) = [k for k in top if str(k.S) == "/Part"]
            assert _last_page(pages, main) == len(pdf.pages) - 1, (variant, rows)
            tables = [k for k in main.K if str(k.S) == "/Table"]
            assert len(tables) == 2, rows
            body = [k for k in tables[1].K if str(k.S) == "/TBody"]
            assert len(body) == 1 and len(body[0].K) == rows, rows
            ids = pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree)
            for row in body[0].K:
                for cell in row.K:
                    headers = [a.Headers for a in cell.A if "/Headers" in a]
                    assert headers and all(str(h) in ids for h in headers[0]), rows
            assert unreferenced(pdf) == [] and split_elements(pdf) == [], rows
    assert any(n is not None for n in carried)  # the case that needs a row carried over did come up


def test_a_carried_over_table_passes_the_pdfua_checker(tmp_path, monkeypatch) -> None:
    from pdfua import validate

    carried: list[int | None] = []
    keep = typeset.keep_with_closing
    monkeypatch.setattr(typeset, "keep_with_closing", lambda blocks: carried.append(keep(blocks)) or carried[-1])
    checked = 0
    for rows in range(1, 46):
        before = len(carried)
        content = typeset.typeset(_html(rows))
        if len(carried) == before or carried[-1] is None:
            continue
        path = tmp_path / "document.pdf"
        path.write_bytes(content)
        report = validate(str(path))
        assert [(f.rule_id, f.message) for f in report.findings] == [], rows
        checked += 1
    assert checked


def test_the_pdf_is_made_in_a_child_process_and_typsts_cache_goes_with_it() -> None:
    """Typst keeps a process-wide cache typst-py never empties: about 90 MB more a 1,000-row table in the process
    that typesets (measured); the parent must not keep it."""

    def resident_mb() -> int:
        with open("/proc/self/status", encoding="ascii") as status:
            return int(status.read().split("VmRSS:")[1].split()[0]) // 1024

    to_pdf(_html(50))  # imports and the like, once
    before = resident_mb()
    for n in range(3):
        with pikepdf.open(io.BytesIO(to_pdf(_html(1000).replace("neighbour", f"neighbour {n}")))) as pdf:
            assert "Typst" in str(pdf.docinfo.get("/Creator", ""))
    assert resident_mb() - before < 60


def test_row_labels_are_row_headers_and_column_headers_keep_their_scope() -> None:
    with pikepdf.open(io.BytesIO(to_pdf(_html(3)))) as pdf:
        _, top = _structure(pdf)
        about = [k for k in top[1].K if str(k.S) == "/Table"][0]
        body = [k for k in about.K if str(k.S) == "/TBody"][0]
        label = body.K[0].K[0]
        assert str(label.S) == "/TH" and str(label.A.Scope) == "/Row"
        head = [k for k in about.K if str(k.S) == "/THead"][0]
        scopes = {str(a.Scope) for cell in head.K[0].K for a in cell.A if "/Scope" in a}
        assert scopes == {"/Column"}


def test_every_text_is_set_as_text_never_as_typst_markup() -> None:
    from pypdf import PdfReader

    html = _html(2, last_paragraph=f"<p>{MARKUP.replace('<', '&lt;').replace('>', '&gt;')}</p>")
    content = to_pdf(html)
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "#set page(width: 1cm) *not bold* _not em_ $x^2$ @ref <label> `raw` = not a heading" in text
    assert float(reader.pages[0].mediabox.width) > 800  # the page was not set 1 cm wide


def test_only_templates_that_ask_for_typst_get_it() -> None:
    with pikepdf.open(io.BytesIO(to_pdf(_html(2)))) as pdf:
        assert "Typst" in str(pdf.docinfo.get("/Creator", ""))
    with pikepdf.open(io.BytesIO(to_pdf(_html(2, marker=False)))) as pdf:
        assert "WeasyPrint" in str(pdf.docinfo.get("/Producer", ""))


def test_what_typst_cannot_set_weasyprint_sets_and_the_log_names_no_text(caplog) -> None:
    """A picture, or a character no installed font has (PDF/UA-1 forbids Typst to draw it as a blank box): the
    document is still made, by WeasyPrint, with every word in it; the warning says why without quoting the text."""
    from pypdf import PdfReader

    picture = _html(
        2,
        last_paragraph=f"<img src='data:image/png;base64,{PIXEL}' alt='A logo'>",
    )
    emoji = _html(2, last_paragraph="<p>Called 999 \U0001f693 then left the address</p>")
    for html, reason in ((picture, "a picture"), (emoji, "a character no installed font has")):
        with pytest.raises(typeset.CannotTypeset, match=reason):
            typeset.to_pdf(html)
        caplog.clear()
        content = to_pdf(html)
        with pikepdf.open(io.BytesIO(content)) as pdf:
            assert "WeasyPrint" in str(pdf.docinfo.get("/Producer", ""))
        assert [r.getMessage() for r in caplog.records if r.name == "dhr_workflow.documents.pdf"] == [
            f"Typst could not set a document ({reason}); WeasyPrint sets it instead"
        ]
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    assert "then left the address" in text.replace("\x00", "")  # pypdf reads WeasyPrint's fallback font as UTF-16


def test_tables_with_the_same_header_share_their_column_widths() -> None:
    from dhr_workflow.documents.blocks import Table

    short = Table("A", ["Date", "What happened"], [["2021-01-01", "A long account of what happened " * 3]])
    long = Table("B", ["Date", "What happened"], [["2 February 2021, 21:40", "Short"]])
    shared = typeset.shared_columns([short, long])
    assert list(shared) == [("Date", "What happened")]
    columns = shared[("Date", "What happened")]
    assert columns.shares[1] > columns.shares[0]
    assert columns.longest == ["2 February 2021, 21:40", "happened"]  # from either table: they line up


def test_a_structure_tree_not_as_expected_is_refused_and_never_passed_off_as_accessible(monkeypatch) -> None:
    """A tree whose top-level elements do not match the blocks one for one (here: one already grouped into its three
    parts, against eight blocks): regroup cannot say which element is which, so it refuses, and typeset hands the
    document back for WeasyPrint to set rather than vouch for a tree it cannot group."""
    from dhr_workflow.documents import typeset_structure

    html = _html(3)
    grouped = typeset.typeset(html)
    places = ["header", "header", "title", "title", "main", "main", "footer", "footer"]
    with pytest.raises(ValueError, match="Typst made 3 top-level structure elements for 8 blocks"):
        typeset_structure.regroup(grouped, places, [False] * 8)

    def refuse(*args, **kwargs):
        raise ValueError("Typst made 7 top-level structure elements for 8 blocks")

    monkeypatch.setattr(typeset_structure, "regroup", refuse)
    with pytest.raises(typeset.CannotTypeset, match="a structure tree not as expected"):
        typeset.typeset(html)


@pytest.mark.parametrize("variant", ["standard", "large-print"])
def test_an_entry_longer_than_a_page_runs_over_pages_and_no_word_falls_off_the_bottom(variant) -> None:
    """Rows are kept whole, as the stylesheet keeps them, except one that might take half a page: a whole row
    taller than a page ran 4,900 pt off the page's bottom, its words there but unseen."""
    from pypdf import PdfReader

    from tests.pdf_paint import walk

    words = " ".join(f"word{n}" for n in range(3000))
    content = typeset.typeset(_html(3, variant).replace("risk assessment completed (1)", f"{words} THE-END"))
    with pikepdf.open(io.BytesIO(content)) as pdf:
        lowest = min(ctm[5] for page in pdf.pages for _, _, ctm in walk(page, "TJ Tj"))
        assert lowest >= 0, lowest  # every line of text stands on its page
        assert len(pdf.pages) > 4
        assert unreferenced(pdf) == [] and split_elements(pdf) == []
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    assert "word2999 THE-END" in " ".join(text.split())
    short = typeset.breakable_rows([["2021-01-01", "An ordinary entry"]], [10, 60], large=False)
    assert short == []  # an ordinary row stays whole

"""Typst's structure tree grouped as the HTML groups it, so a Typst PDF reads as a WeasyPrint one does (ADR 0063).

Typst puts every block straight under /Document. The HTML has a header (the partnership, the marking), a <main>
(with a report's title page as a <div>) and a footer (the closing lines), which WeasyPrint tags /NonStruct, /Part
(/Div) and /NonStruct: a reader can skip to the main content, and `test_print_layout` finds the main part by it.
Typst cannot yet mark a row's label cell as a row header without a feature flag, so each such cell is turned from
/TD into /TH with /Scope /Row here. Page labels are added as WeasyPrint adds them."""

from __future__ import annotations

import io
from itertools import groupby
from typing import Any

import pikepdf

from dhr_workflow.documents.pdf_structure import add_page_labels, children, elements

GROUPS = {"header": "/NonStruct", "main": "/Part", "footer": "/NonStruct"}


def closing_alone(content: bytes, places: list[str]) -> bool:
    """Whether the closing lines (the footer's paragraphs) start on a page after the one the main content ends on:
    a last page holding only them, which `.doc-footer { break-before: avoid }` prevents in WeasyPrint."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        kids = elements(_document(pdf))
        main = [kid for kid, place in zip(kids, places, strict=False) if place in ("main", "title")]
        footer = [kid for kid, place in zip(kids, places, strict=False) if place == "footer"]
        if not main or not footer:
            return False
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        return _page(pages, footer[0], first=True) > _page(pages, main[-1], first=False)


def _page(pages: dict[tuple[int, int], int], elem: Any, first: bool) -> int:
    """The page of an element's first (or last) marked content, going down its first (or last) kids."""
    while True:
        kids = elements(elem)
        if not kids:
            return pages[elem.Pg.objgen] if "/Pg" in elem else -1
        elem = kids[0] if first else kids[-1]


def regroup(content: bytes, places: list[str], row_labels: list[bool], continued: int | None = None) -> bytes:
    """`continued`: the index of the block whose table Typst set in two parts (its last rows on the next page, with
    the closing lines); the parts are joined into one table element."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        document = _document(pdf)
        kids = [_table_of_figure(kid) for kid in elements(document)]
        if continued is not None and len(kids) == len(places) + 1:
            join_tables(pdf, kids[continued], kids.pop(continued + 1))
        if len(kids) != len(places) or len(kids) != len(children(document)) - (continued is not None):
            raise ValueError(f"Typst made {len(kids)} top-level structure elements for {len(places)} blocks")
        for kid, labelled in zip(kids, row_labels, strict=True):
            if labelled and str(kid.S) == "/Table":
                _row_headers(kid)
        document.K = pikepdf.Array(_grouped(pdf, document, kids, places))
        add_page_labels(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _document(pdf: pikepdf.Pdf) -> Any:
    top = pdf.Root.StructTreeRoot.K
    document = top[0] if isinstance(top, pikepdf.Array) else top
    if str(document.S) != "/Document":
        raise ValueError(f"Typst's structure tree starts with {document.S}, not /Document")
    return document


def _grouped(pdf: pikepdf.Pdf, document: Any, kids: list[Any], places: list[str]) -> list[Any]:
    """Runs of blocks in the same place wrapped in their group; the title page a /Div inside the main /Part."""
    top: list[Any] = []
    pairs = list(zip(kids, places, strict=True))
    for group_place, run in groupby(pairs, key=lambda pair: "main" if pair[1] == "title" else pair[1]):
        if group_place not in GROUPS:  # outside every landmark: straight under /Document, as WeasyPrint has it
            top += [_adopt(document, kid) for kid, _ in run]
            continue
        group = _element(pdf, GROUPS[group_place], document)
        for on_title_page, inner in groupby(run, key=lambda pair: pair[1] == "title"):
            holder = group
            if on_title_page:
                holder = _element(pdf, "/Div", group)
                group.K.append(holder)
            for kid, _ in inner:
                holder.K.append(_adopt(holder, kid))
        top.append(group)
    return top


def _element(pdf: pikepdf.Pdf, kind: str, parent: Any) -> Any:
    return pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name(kind), P=parent, K=pikepdf.Array())
    )


def _adopt(parent: Any, kid: Any) -> Any:
    kid.P = parent
    return kid


def _table_of_figure(kid: Any) -> Any:
    """A table's figure that ran over a page break comes out of Typst as /Div [/Caption, /Div [/Table]]: the
    caption belongs inside the table (as Typst tags a figure that fits on one page, and as WeasyPrint tags
    <caption>), and the two /Div are layout only."""
    if str(kid.S) != "/Div":
        return kid
    parts = elements(kid)
    if len(parts) != 2 or str(parts[0].S) != "/Caption" or str(parts[1].S) != "/Div":
        return kid
    inner = elements(parts[1])
    if len(inner) != 1 or str(inner[0].S) != "/Table" or len(children(parts[1])) != 1 or len(children(kid)) != 2:
        return kid
    table, caption = inner[0], parts[0]
    caption.P = table
    table.K = pikepdf.Array([caption, *children(table)])
    return table


def join_tables(pdf: pikepdf.Pdf, table: Any, rest: Any) -> None:
    """The continuation's body rows moved into the table's body, their cells pointed at the table's own header
    cells; the continuation's header (an artifact, drawn only) and its IDs dropped."""
    body = [k for k in elements(table) if str(k.S) == "/TBody"][-1]
    ids = [cell.get("/ID") for cell in elements(elements(_section(table, "/THead"))[0])]
    ids_tree = pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree)
    for cell in elements(elements(_section(rest, "/THead"))[0]):
        if "/ID" in cell and str(cell.ID) in ids_tree:
            del ids_tree[str(cell.ID)]
    for row in elements(_section(rest, "/TBody")):
        row.P = body
        body.K.append(row)
        for n, cell in enumerate(elements(row)):
            for attributes in _attribute_objects(cell):
                if str(attributes.get("/O")) == "/Table" and n < len(ids) and ids[n] is not None:
                    attributes.Headers = pikepdf.Array([ids[n]])


def _section(table: Any, kind: str) -> Any:
    return next(k for k in elements(table) if str(k.S) == kind)


def _attribute_objects(elem: Any) -> list[Any]:
    found = elem.get("/A")
    items = list(found) if isinstance(found, pikepdf.Array) else [found]
    return [a for a in items if isinstance(a, pikepdf.Dictionary)]


def _row_headers(table: Any) -> None:
    """The first cell of each body row is that row's label (<th scope="row"> in the HTML)."""
    for section in elements(table):
        if str(section.S) != "/TBody":
            continue
        for row in elements(section):
            cells = elements(row)
            if cells and str(cells[0].S) == "/TD":
                cells[0].S = pikepdf.Name.TH
                cells[0].A = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Row)

"""PDF/UA-1 in substance, after WeasyPrint: WeasyPrint builds the structure tree one page at a time and leaves the
page margin boxes (our "Page N of M" footer) as marked content that nothing references (WeasyPrint issue #1836).
This pass, with pikepdf, makes three repairs:

1. Every element that a page break cut in two (the body, a section, a table, a list, a list item, a paragraph, a
   heading) is joined back into one structure element. Two neighbours of the same kind on consecutive pages are one
   element cut in two unless the second starts the way a new one must: a table with its caption, a section with its
   heading, a list item with its label. (Every table in our templates has a caption and every section a heading;
   the matrix test holds the templates to it.) A paragraph or heading carries no such sign of its own, so we give it
   one: `START_MARKERS`, added to every PDF we make, gives each one an empty `::before` box, which WeasyPrint tags
   as an empty /NonStruct at the start of the element and leaves out of the part continued on the next page. The
   markers are removed once the parts are joined.
2. The header rows a table repeats on its later pages become artifacts (they are read once, at the top), and the
   data cells there point at the first header row; every header cell gets its /Scope.
3. Marked content that no structure element references (the margin boxes) becomes a pagination artifact, header
   or footer by where it sits on the page; the document gets page labels.

`unreferenced(pdf)` and `split_elements(pdf)` are the checks the tests run on every PDF we make."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

# Kinds that a page break may cut, and the first child that proves the second part is a new element instead.
JOINABLE = {
    "/Part": (),
    "/Art": (),
    "/Sect": ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"),
    "/Div": ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"),
    "/NonStruct": ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"),
    "/BlockQuote": (),
    "/L": (),
    "/LI": ("/Lbl",),
    "/LBody": (),
    "/Table": ("/Caption",),
    "/TBody": (),
    "/TFoot": (),
}
# Kinds that have no first child to tell a new element by: their start is marked (START_MARKERS) instead.
MARKED = ("/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6")
# No template may give these ::before content: the marker must stay empty to be told from real content.
START_MARKERS = "p::before, h1::before, h2::before, h3::before, h4::before, h5::before, h6::before { content: ''; }"


def _is_elem(obj: Any) -> bool:
    return isinstance(obj, Dictionary) and "/S" in obj


def children(elem: Any) -> list[Any]:
    """Everything in an element's /K: structure elements, marked-content ids and references."""
    kids = elem.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def elements(elem: Any) -> list[Any]:
    """The structure elements among an element's children."""
    return [k for k in children(elem) if _is_elem(k)]


def _marked_start(elem: Any) -> bool:
    """Whether `elem` begins with the empty /NonStruct that START_MARKERS puts at the start of an element."""
    kids = elem.get("/K")
    first = kids[0] if isinstance(kids, Array) and len(kids) else None
    return first is not None and _is_elem(first) and str(first.S) == "/NonStruct" and not children(first)


def walk(elem: Any) -> Iterator[Any]:
    """Every structure element under `elem`, in reading order, `elem` first."""
    yield elem
    for kid in elements(elem):
        yield from walk(kid)


class _Joiner:
    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.page_of = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        self.last_page: dict[tuple[int, int], int] = {}
        self.repeated: set[tuple[int, int]] = set()  # (page, mcid) of repeated header rows
        self.joined: list[tuple[str, int]] = []  # (kind, page) of every cut joined

    def page(self, elem: Any) -> int:
        pg = elem.get("/Pg")
        return self.page_of.get(pg.objgen, -1) if pg is not None else -1

    def last(self, elem: Any) -> int:
        return self.last_page.get(elem.objgen, self.page(elem))

    def continues(self, first: Any, second: Any) -> bool:
        kind = str(first.S)
        if kind != str(second.S) or self.page(second) <= self.last(first):
            return False
        if kind in MARKED:  # without markers (a PDF not made by to_pdf) nothing is joined
            return _marked_start(first) and not _marked_start(second)
        if kind not in JOINABLE:
            return False
        opening = elements(second)
        return not (opening and str(opening[0].S) in JOINABLE[kind])

    def join(self, elem: Any) -> None:
        kids = children(elem)
        kept: list[Any] = []
        for kid in kids:
            if kept and _is_elem(kid) and _is_elem(kept[-1]) and self.continues(kept[-1], kid):
                self.absorb(kept[-1], kid)
            else:
                kept.append(kid)
        if str(elem.S) in MARKED and _marked_start(elem):
            kept = kept[1:]  # the marker has told what it had to tell
        if len(kept) != len(kids) and isinstance(elem.get("/K"), Array):  # rewritten only where something changed
            elem.K = Array(kept)
        for kid in kept:
            if _is_elem(kid):
                self.join(kid)

    def absorb(self, first: Any, second: Any) -> None:
        kids = children(first)
        moved = children(second)
        if str(first.S) == "/Table":
            moved = self.drop_repeated_head(first, moved)
        for kid in moved:
            if _is_elem(kid):
                kid.P = first
        first.K = Array(kids + moved)
        self.joined.append((str(first.S), self.page(second)))
        self.last_page[first.objgen] = self.last(second)

    def drop_repeated_head(self, table: Any, moved: list[Any]) -> list[Any]:
        head = next((k for k in elements(table) if str(k.S) == "/THead"), None)
        again = next((k for k in moved if _is_elem(k) and str(k.S) == "/THead"), None)
        if head is None or again is None:
            return moved
        ids = {str(a.ID): str(b.ID) for a, b in zip(_cells(again), _cells(head), strict=False) if "/ID" in a}
        for elem in walk(again):
            for kid in children(elem):
                if not _is_elem(kid) and isinstance(kid, int):
                    self.repeated.add((self.page(elem), int(kid)))
        rest = [k for k in moved if not (_is_elem(k) and k.objgen == again.objgen)]
        for part in rest:
            for cell in walk(part) if _is_elem(part) else ():
                headers = cell.get("/A", {}).get("/Headers") if str(cell.S) == "/TD" else None
                if headers is not None:
                    cell.A.Headers = Array([pikepdf.String(ids.get(str(h), str(h))) for h in headers])
        return rest


def _cells(elem: Any) -> list[Any]:
    return [e for e in walk(elem) if str(e.S) == "/TH"]


def _scope_headers(root: Any) -> list[tuple[str, Any]]:
    """Every header cell gets /Scope (a column header in the table head, else a row header); returns (ID, cell)."""
    ids = []
    every = (e for top in elements(root) for e in walk(top))
    for section in (e for e in every if str(e.S) in ("/THead", "/TBody", "/TFoot", "/Table")):
        for row in (k for k in elements(section) if str(k.S) == "/TR"):
            for cell in (k for k in elements(row) if str(k.S) == "/TH"):
                attrs = cell.get("/A")
                if attrs is None:
                    cell.A = attrs = Dictionary(O=Name.Table)
                if "/Scope" not in attrs:
                    attrs.Scope = Name.Column if str(section.S) == "/THead" else Name.Row
                if "/ID" in cell:
                    ids.append((str(cell.ID), cell))
    return ids


def referenced(pdf: pikepdf.Pdf) -> dict[int, set[int]]:
    """page index -> the MCIDs that some structure element reachable from the root references."""
    page_of = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    found: dict[int, set[int]] = {}
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return found
    for top in elements(tree):
        for elem in walk(top):
            pg = elem.get("/Pg")
            for kid in children(elem):
                if isinstance(kid, int):
                    found.setdefault(page_of.get(pg.objgen, -1) if pg is not None else -1, set()).add(int(kid))
                elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
                    kpg = kid.get("/Pg", pg)
                    found.setdefault(page_of.get(kpg.objgen, -1), set()).add(int(kid.MCID))
    return found


def _stream(page: Any) -> bytes:
    contents = page.obj.Contents
    if isinstance(contents, Array):
        return b"\n".join(part.read_bytes() for part in contents)
    return bytes(contents.read_bytes())


def marked_content(pdf: pikepdf.Pdf) -> Iterator[tuple[int, str, Any]]:
    """(page index, tag, properties) of every marked-content sequence on every page, read with pikepdf's parser."""
    for n, page in enumerate(pdf.pages):
        found: list[Any] = pikepdf.parse_content_stream(page, "BDC BMC")
        for operands, op in found:
            yield n, str(operands[0]), operands[1] if str(op) == "BDC" else None


def unreferenced(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """Marked content that is neither an Artifact nor referenced from the structure tree: (page, tag, MCID)."""
    refs = referenced(pdf)
    out = []
    for n, tag, props in marked_content(pdf):
        if tag == "/Artifact":
            continue
        mcid = props.get("/MCID") if isinstance(props, Dictionary) else None
        if mcid is None or int(mcid) not in refs.get(n, set()):
            out.append((n, tag, -1 if mcid is None else int(mcid)))
    return out


def split_elements(pdf: pikepdf.Pdf) -> list[str]:
    """Tables with no rows (a caption stranded alone) and tables, lists, paragraphs or headings that a page break
    cut in two (paragraphs and headings only where START_MARKERS marks their starts: WeasyPrint's output before the
    repair). It finds the cuts by joining them, so it changes the opened copy (never the file)."""
    tree = pdf.Root.StructTreeRoot
    joiner = _Joiner(pdf)
    problems = [
        f"/Table with no rows on page {joiner.page(elem) + 1}"
        for top in elements(tree)
        for elem in walk(top)
        if str(elem.S) == "/Table" and not any(str(k.S) in ("/TR", "/THead", "/TBody") for k in elements(elem))
    ]
    for top in elements(tree):
        joiner.join(top)
    cuts = ("/Table", "/L", *MARKED)
    return problems + [f"{kind} cut at page {page + 1}" for kind, page in joiner.joined if kind in cuts]


# WeasyPrint writes each sequence as "/Span\n<</MCID 25>>\nBDC"; a regular expression over the decoded stream is a
# tenth of the cost of pikepdf's parse and unparse, which matters because every PDF passes through here.
_MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_TEXT_MATRIX = re.compile(rb"(?:[-\d.]+\s+){5}([-\d.]+)\s+Tm")


def _artifacts(pdf: pikepdf.Pdf, repeated: set[tuple[int, int]]) -> None:
    refs = referenced(pdf)
    # Grouped by page and keyed once, so the pass stays linear in pages (a chronology has hundreds).
    again: dict[int, set[int]] = {}
    for on, mcid in repeated:
        again.setdefault(on, set()).add(mcid)
    parents = _parent_arrays(pdf)
    for n, page in enumerate(pdf.pages):
        height = float(page.MediaBox[3]) / 0.75  # WeasyPrint draws in CSS px, y down
        rewritten, dropped = _page_artifacts(_stream(page), refs.get(n, set()), again.get(n, set()), height)
        if dropped:
            page.obj.Contents = pdf.make_stream(rewritten)
            _forget(parents.get(int(page.obj.get("/StructParents", -1))), dropped)


def _page_artifacts(content: bytes, known: set[int], repeated: set[int], height: float) -> tuple[bytes, list[int]]:
    """One page's stream with every unreferenced sequence made an artifact: a repeated table header plainly, the
    rest as pagination, a header above the middle of the page and a footer below it."""
    dropped: list[int] = []

    def replace(match: re.Match[bytes]) -> bytes:
        mcid = int(match.group(2))
        if mcid in known:
            return match.group(0)
        dropped.append(mcid)
        if mcid in repeated:
            return b"/Artifact BMC"
        place = _TEXT_MATRIX.search(content, match.end())
        where = b"Header" if (float(place.group(1)) if place else height) < height / 2 else b"Footer"
        return b"/Artifact <</Type /Pagination /Subtype /" + where + b">> BDC"

    return _MARKED.sub(replace, content), dropped


def _parent_arrays(pdf: pikepdf.Pdf) -> dict[int, Any]:
    """The parent tree's arrays by key: the structure element of each MCID on the page with that /StructParents."""
    nums: Any = pdf.Root.StructTreeRoot.ParentTree.get("/Nums")
    found: dict[int, Any] = {}
    for i in range(0, len(nums) if nums is not None else 0, 2):
        if isinstance(nums[i + 1], Array):
            found.setdefault(int(nums[i]), nums[i + 1])
    return found


def _forget(parents: Any, mcids: list[int]) -> None:
    """The parent tree maps no artifact to a structure element."""
    for mcid in mcids if parents is not None else ():
        if mcid < len(parents):
            parents[mcid] = None


def add_page_labels(pdf: pikepdf.Pdf) -> None:
    """Pages numbered 1, 2, 3 in a viewer, as the "Page N of M" footers number them."""
    pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D)]))


def make_accessible(content: bytes) -> bytes:
    """WeasyPrint's tagged PDF -> one structure element per table, list and section, the repeated table headers
    and the margin boxes as artifacts, scoped header cells, an ID tree and page labels."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return content
        joiner = _Joiner(pdf)
        for top in elements(tree):
            joiner.join(top)
        ids = sorted(_scope_headers(tree), key=lambda pair: pair[0])
        if ids:
            names = Array()
            for key, cell in ids:
                names.append(pikepdf.String(key))
                names.append(cell)
            tree.IDTree = Dictionary(Names=names)
        _artifacts(pdf, joiner.repeated)
        add_page_labels(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()

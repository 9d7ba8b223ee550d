"""Tagged PDF (PDF/UA-1) typeset by Typst, for the templates that ask for it with
`<meta name="dhr-typesetter" content="typst">` (ADR 0063): the merged chronology, thousands of table rows that
WeasyPrint lays out and draws at about 4 ms a row, so 5,000 rows took 28 s against a 10 s target. Typst, a compiled
typesetter, makes the same tagged tables (Table > Caption, THead, TBody; the repeated header rows artifacts) in a
few seconds.

The document is read from the template's own HTML with `blocks.read_html`, as the Word file is, so the words come
from the one rendering; `templates/documents/typst/document.typ` lays it out, and every text reaches Typst as a
JSON string, never as markup. `typeset_structure.regroup` then groups the structure tree as the HTML groups it
(header, main, footer), which Typst cannot express, and marks each row's label cell as a row header."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dhr_workflow.core.paths import templates_dir
from dhr_workflow.documents.blocks import Block, Document, Heading, Image, ListBlock, Paragraph, Table, read_html

MARKER = '<meta name="dhr-typesetter" content="typst"'
HEAD_CHARS = 4096  # where a page has no </head>, the marker is looked for this far in
SHORT_CELL = 24  # characters: a cell this short stays on one line in standard print
SAMPLE_ROWS = 500  # rows enough to tell a long column from a short one
CHILD_TIMEOUT = 600  # seconds; 5,000 rows take about 3
CANNOT_TYPESET = 3  # the child's exit code for CannotTypeset, with the reason as its last line of error output
REASONS = ("a picture", "a character no installed font has", "a structure tree not as expected", "Typst refused it")


@dataclass(frozen=True)
class Columns:
    """A table's columns: each one's share of the width, and what each must hold on one line (document.typ)."""

    shares: list[int]
    longest: list[str]


class CannotTypeset(Exception):
    """Typst cannot set this document (a character no installed font has, which PDF/UA-1 forbids it to draw as a
    blank box; a picture): `pdf.to_pdf` has WeasyPrint set it instead. The reason names no text from the document."""


def wants_typst(html: str) -> bool:
    end = html.find("</head>")
    return MARKER in (html[:end] if end >= 0 else html[:HEAD_CHARS])


def to_pdf(html: str) -> bytes:
    """The PDF, typeset in a child process (`typeset_process`): Typst's compiler keeps what it computed in a
    process-wide cache that typst-py never empties (about 380 MB more after each 5,000-row chronology, measured),
    and a panic in its Rust code would end the process it runs in, a web server included."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "dhr_workflow.documents.typeset_process"],
        input=html.encode("utf-8"),
        capture_output=True,
        timeout=CHILD_TIMEOUT,
        env=_child_env(),
        check=False,
    )
    if done.returncode == CANNOT_TYPESET:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CannotTypeset(said[-1] if said and said[-1] in REASONS else REASONS[-1])
    if done.returncode:  # its error output may quote the document: not passed on
        raise RuntimeError(f"the Typst process ended with exit code {done.returncode}")
    return done.stdout


def _child_env() -> dict[str, str]:
    """The parent's environment, with the folder this package is imported from first on the child's path."""
    import os
    from pathlib import Path

    import dhr_workflow

    root = str(Path(dhr_workflow.__file__).resolve().parents[1])
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, path) if p)}


def typeset(html: str) -> bytes:
    """The PDF, typeset in this process (`typeset_process` runs this)."""
    from dhr_workflow.documents.typeset_structure import closing_alone, regroup

    doc = read_html(html)
    blocks, places = _with_marking(doc)
    payload = {
        "title": doc.title,
        "lang": doc.lang.split("-")[0] or "en",
        "region": (doc.lang.split("-") + [""])[1] or "GB",
        "variant": doc.variant or "standard",
        "landscape": doc.page == "landscape",
        "marking": doc.marking,
        "blocks": _blocks(blocks, places, large=doc.variant == "large-print"),
    }
    pdf, continued = _compile(payload), None
    if closing_alone(pdf, places):
        continued = keep_with_closing(payload["blocks"])
        pdf = _compile(payload)
    try:
        return regroup(pdf, places, [isinstance(b, Table) and b.row_labels for b in blocks], continued)
    except ValueError:  # Typst tagged it otherwise than the blocks say: not a PDF to vouch for as accessible
        raise CannotTypeset(REASONS[2]) from None


def _compile(payload: dict[str, Any]) -> bytes:
    import typst

    try:
        pdf: bytes = _compiler().compile(
            input=str(_source()), sys_inputs={"document": json.dumps(payload)}, pdf_standards=["ua-1"]
        )
    except typst.TypstError as err:
        missing = "could not be displayed with font" in str(getattr(err, "message", err))
        raise CannotTypeset(REASONS[1] if missing else REASONS[-1]) from None
    return pdf


def keep_with_closing(blocks: list[dict[str, Any]]) -> int | None:
    """What goes over to the last page with the closing lines: the last row of the table the main content ends
    with (returned: that table is set in two parts), else the whole last block of the main content."""
    main = [n for n, block in enumerate(blocks) if block["place"] in ("main", "title")]
    if not main:
        return None
    last = blocks[main[-1]]
    if last["kind"] == "table" and len(last["rows"]) > 1:
        last["tail"] = 1
        return main[-1]
    last["break_before"] = True
    return None


def _source() -> Any:
    return templates_dir() / "documents" / "typst" / "document.typ"


@lru_cache(maxsize=1)
def _compiler() -> Any:
    """One compiler a process: it loads the fonts once (DejaVu Sans, as the other documents use) and reads only the
    template's own folder."""
    import typst

    return typst.Compiler(root=str(_source().parent))


def _with_marking(doc: Document) -> tuple[list[Block], list[str]]:
    """The blocks with the protective marking put back as the header's last paragraph, where the HTML has it (the
    reader keeps it aside for Word's header and footer)."""
    # document.typ sets the header first and the footer last, whatever stood between them
    order = sorted(range(len(doc.blocks)), key=lambda n: {"header": 0, "footer": 2}.get(doc.places[n], 1))
    blocks, places = [doc.blocks[n] for n in order], [doc.places[n] for n in order]
    if doc.marking:
        at = max((n + 1 for n, place in enumerate(places) if place == "header"), default=0)
        blocks.insert(at, Paragraph(doc.marking))
        places.insert(at, "header" if at else "")
    return blocks, places


def _blocks(blocks: list[Block], places: list[str], large: bool) -> list[dict[str, Any]]:
    """The blocks as JSON; tables with the same header share their column widths, so a month's table lines up with
    the next; the title page's last block ends its page."""
    columns = shared_columns([b for b in blocks if isinstance(b, Table)], large)
    found = [_block(block, place, columns, large) for block, place in zip(blocks, places, strict=True)]
    titled = [n for n, place in enumerate(places) if place == "title"]
    if titled:
        found[titled[-1]]["page_break_after"] = True
    return found


def _block(block: Block, place: str, columns: dict[tuple[str, ...], Columns], large: bool) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "place": place, "level": block.level, "text": block.text}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "place": place, "segments": segments(block.text, block.links)}
    if isinstance(block, Table):
        return _table(block, place, columns[tuple(_squared(block)[0])], large)
    if isinstance(block, ListBlock):
        return {"kind": "list", "place": place, "ordered": block.ordered, "items": block.items}
    assert isinstance(block, Image)
    raise CannotTypeset(REASONS[0])  # document.typ does not set pictures yet


def segments(text: str, links: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The paragraph's text cut into plain runs, links (their words, in order) and line breaks."""
    found: list[dict[str, str]] = []
    rest = text
    for words, target in links:
        before, hit, after = rest.partition(words)
        if not hit:
            continue
        found += _runs(before)
        found.append({"kind": "link", "text": words, "target": target})
        rest = after
    return found + _runs(rest)


def _runs(text: str) -> list[dict[str, str]]:
    runs: list[dict[str, str]] = []
    for n, line in enumerate(text.split("\n")):
        if n:
            runs.append({"kind": "break", "text": ""})
        if line:
            runs.append({"kind": "text", "text": line})
    return runs


def _table(table: Table, place: str, columns: Columns, large: bool) -> dict[str, Any]:
    header, rows = _squared(table)
    return {
        "kind": "table",
        "place": place,
        "caption": table.caption,
        "header": header,
        "rows": rows,
        "row_labels": table.row_labels,
        "columns": columns.shares,
        "longest": columns.longest,
        "breakable": breakable_rows(rows, columns.shares, large),
    }


def _squared(table: Table) -> tuple[list[str], list[list[str]]]:
    """Header and rows padded to the widest row, so every row has a cell in every column."""
    width = max([len(table.header), *(len(row) for row in table.rows)], default=1)
    rows = [row + [""] * (width - len(row)) for row in table.rows]
    header = table.header + [""] * (width - len(table.header)) if table.header else [""] * width
    return header, rows


def breakable_rows(rows: list[list[str]], shares: list[int], large: bool) -> list[int]:
    """The rows that may run over a page break: those that might take half a page or more, estimated from their
    longest cell's length against its column's share of a landscape page. Every other row is kept whole, as
    `tr { break-inside: avoid }` keeps it; a row kept whole that is taller than a page would run off its bottom."""
    size_cm = (18 if large else 10) * 2.54 / 72
    lines_a_page = 17 / (size_cm * 1.4)  # a landscape page's text height (the tallest tables are landscape)
    total = sum(shares)
    per_line = [max(1.0, 25.7 * share / total / (size_cm * 0.55)) for share in shares]  # DejaVu's mean advance
    return [
        n
        for n, row in enumerate(rows)
        if max(len(cell) / per_line[i] + cell.count("\n") for i, cell in enumerate(row)) >= lines_a_page / 2
    ]


def longest(header: list[str], rows: list[list[str]], whole_cells: bool) -> list[str]:
    """What each column must hold on one line: its longest cell where that is short (a date and time, a record
    number), else its longest word (at most 30 characters; a longer one wraps anyway). Large print keeps to words:
    at 18pt whole dates would leave the narrative column too little room."""
    found = []
    for n, title in enumerate(header):
        cells = [row[n] for row in rows]
        longest_cell = max(cells, key=len, default="")
        if whole_cells and len(longest_cell) <= SHORT_CELL:
            found.append(max([longest_cell, *title.split()], key=len))
            continue
        words = [word for cell in cells for word in cell.split()] + title.split()
        found.append(max(words, key=len, default="")[:30])
    return found


def shared_columns(tables: list[Table], large: bool = False) -> dict[tuple[str, ...], Columns]:
    """Per header, the columns every table with that header uses: shares from their first rows, the longest words
    (or short cells) from all of them, so one month's table lines up with the next."""
    rows: dict[tuple[str, ...], list[list[str]]] = {}
    for table in tables:
        header, squared = _squared(table)
        rows.setdefault(tuple(header), []).extend(squared)
    return {
        header: Columns(shares(list(header), found[:SAMPLE_ROWS]), longest(list(header), found, whole_cells=not large))
        for header, found in rows.items()
    }


def shares(header: list[str], rows: list[list[str]]) -> list[int]:
    """Each column's share of the table's width: its texts' average length (over the first rows; enough to tell a
    long column from a short one), at least its header's longest word and 8 characters, at most 60, so a date keeps
    to a line or two and the narrative column takes what is left. Fixed shares cost Typst no measuring."""
    width = len(header) or (len(rows[0]) if rows else 1)
    sample = rows[:SAMPLE_ROWS] or [[""] * width]
    found = []
    for n in range(width):
        average = sum(len(row[n]) for row in sample) / len(sample)
        longest_word = max((len(word) for word in header[n].split()), default=0)
        found.append(round(min(60, max(8, longest_word + 2, average))))
    return found

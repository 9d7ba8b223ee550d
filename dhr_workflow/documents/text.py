"""Plain text from the block model: readable in an email body or a screen reader's text view. Key facts read as
"Label: value" lines; rows still to be filled in are said once, not printed as placeholder rows; a link's address
follows its words when the sentence does not already give it."""

from __future__ import annotations

import textwrap

from dhr_workflow.documents.blocks import Document, Heading, ListBlock, Paragraph, Table

WIDTH = 78
PLACEHOLDER = "To be completed"


def _wrap(text: str, indent: str = "", first: str = "") -> str:
    lines = []
    for i, line in enumerate(text.split("\n")):
        lines.append(
            textwrap.fill(line, WIDTH, initial_indent=first if i == 0 else indent, subsequent_indent=indent)
            or first.rstrip()
        )
    return "\n".join(lines)


def _heading(block: Heading) -> str:
    if block.level == 1:
        return f"{block.text}\n{'=' * min(len(block.text), WIDTH)}"
    if block.level == 2:
        return f"{block.text}\n{'-' * min(len(block.text), WIDTH)}"
    return block.text.upper()


def _paragraph(block: Paragraph) -> str:
    text = block.text
    for _, href in block.links:
        target = href.removeprefix("mailto:")
        if target not in text:
            text += f" ({target})"
    return _wrap(text)


def _table(block: Table) -> str:
    out = [block.caption] if block.caption else []
    rows = [row for row in block.rows if any(cell != PLACEHOLDER for cell in row)]
    if block.row_labels and len(block.header) <= 2:
        out.append("\n".join(_wrap(f"{row[0]}: {' '.join(row[1:])}".rstrip(": "), "    ") for row in rows))
        return "\n\n".join(part for part in out if part)
    for row in rows:
        if len(row) == 1 and len(block.header) > 1:  # one cell across the table: "Nothing recorded yet."
            out.append(_wrap(row[0], "    ", "  "))
            continue
        cells = []
        for i, cell in enumerate(row):
            label = block.header[i] if i < len(block.header) and block.header[i] else ""
            cells.append(f"{label}: {cell}" if label else cell)
        out.append("\n".join(_wrap(c, "    ", "  - " if n == 0 else "    ") for n, c in enumerate(cells)))
    if len(rows) < len(block.rows) or not block.rows:
        out.append(_wrap(f"{PLACEHOLDER}, with: " + ", ".join(block.header) + ".", "    ", "  "))
    return "\n\n".join(out)


def to_text(doc: Document) -> str:
    parts: list[str] = [doc.marking] if doc.marking else []
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append(_heading(block))
        elif isinstance(block, Paragraph):
            parts.append(_paragraph(block))
        elif isinstance(block, ListBlock):
            parts.append(
                "\n".join(
                    _wrap(item, "   ", f"{n}. " if block.ordered else "-  ") for n, item in enumerate(block.items, 1)
                )
            )
        elif isinstance(block, Table):
            parts.append(_table(block))
    if doc.marking:
        parts.append(doc.marking)
    return "\n\n".join(parts).rstrip() + "\n"

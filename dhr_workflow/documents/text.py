"""Plain text from the block model: readable in an email body or a screen reader's text view."""

from __future__ import annotations

import textwrap

from dhr_workflow.documents.blocks import Document, Heading, ListBlock, Paragraph, Table

WIDTH = 78


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


def _table(block: Table) -> str:
    out = [block.caption] if block.caption else []
    for row in block.rows:
        cells = []
        for i, cell in enumerate(row):
            label = block.header[i] if i < len(block.header) and block.header[i] else ""
            cells.append(f"{label}: {cell}" if label else cell)
        out.append("\n".join(_wrap(c, "    ", "  - " if n == 0 else "    ") for n, c in enumerate(cells)))
    if not block.rows:
        out.append("  (no rows yet: " + ", ".join(block.header) + ")")
    return "\n\n".join(out)


def to_text(doc: Document) -> str:
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append(_heading(block))
        elif isinstance(block, Paragraph):
            parts.append(_wrap(block.text))
        elif isinstance(block, ListBlock):
            parts.append(
                "\n".join(
                    _wrap(item, "   ", f"{n}. " if block.ordered else "-  ") for n, item in enumerate(block.items, 1)
                )
            )
        elif isinstance(block, Table):
            parts.append(_table(block))
    return "\n\n".join(parts).rstrip() + "\n"

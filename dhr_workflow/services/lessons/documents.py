"""The lessons documents (agenda pack, collated plan, Board report, learning briefing) in HTML, tagged PDF
(PDF/UA-1), Word and plain text. Templates are Jinja2 with StrictUndefined in templates/lessons/.

This is a small stand-in for the shared document pipeline (dhr_workflow.documents, issue 5): the same HTML-first
approach, kept here so the lessons documents work before that pipeline lands.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, UndefinedError, select_autoescape

from dhr_workflow.domain.errors import InvalidInput
from dhr_workflow.paths import templates_dir
from dhr_workflow.services.context import AppContext
from dhr_workflow.services.lessons import queries

FORMATS = ("html", "pdf", "docx", "txt")
DOCUMENTS = {
    "agenda_pack": "Delivery Group agenda pack",
    "collated_plan": "Collated Delivery Plan",
    "board_report": "Delivery Plan report to the Board",
    "learning_briefing": "Learning briefing",
}


def long_date(value: object) -> str:
    if value in (None, ""):
        return "not set"
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{day.day} {day:%B %Y}"


@lru_cache(maxsize=2)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    return env


def render_html(name: str, context: dict[str, Any]) -> str:
    env = _environment()
    assert env.loader is not None
    css, _, _ = env.loader.get_source(env, "lessons/lessons.css")
    try:
        return env.get_template(f"lessons/{name}.html.j2").render(**context, stylesheet=css)
    except UndefinedError as err:
        raise InvalidInput(f"the {DOCUMENTS[name].lower()} needs data it was not given: {err.message}") from None


def convert(html: str, fmt: str) -> bytes:
    if fmt == "html":
        return html.encode("utf-8")
    if fmt == "pdf":
        from weasyprint import HTML

        return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]
    blocks = _Blocks.read(html)
    return _docx(blocks) if fmt == "docx" else _text(blocks).encode("utf-8")


def render(
    ctx: AppContext, name: str, fmt: str, *, subject: str | int | None = None, viewer: str | None = None
) -> bytes:
    """`name` is one of DOCUMENTS; `subject` is the meeting id (agenda pack), the round id (collated plan, latest if
    None) or the review reference (learning briefing)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"'{fmt}' is not a format; choose one of: {', '.join(FORMATS)}")
    return convert(render_html(name, context_for(ctx, name, subject, viewer)), fmt)


def context_for(ctx: AppContext, name: str, subject: str | int | None, viewer: str | None) -> dict[str, Any]:
    if name == "agenda_pack":
        if subject is None:
            raise InvalidInput("give the meeting id: `dhr meeting agenda ID`")
        data = queries.theme_agenda(ctx, int(subject))
        return {**data, "title": f"Agenda pack: {data['meeting']['theme_label']}", "as_of": ctx.today()}
    if name == "collated_plan":
        data = queries.collated_plan(ctx, round_id=int(subject) if subject else None)
        return {**data, "title": f"Collated Delivery Plan: {data['round']['title']}"}
    if name == "board_report":
        return {**queries.board_report(ctx, viewer=viewer), "title": "Delivery Plan: report to the Board"}
    if name == "learning_briefing":
        if subject is None:
            raise InvalidInput("give the review reference")
        data = queries.learning_briefing(ctx, str(subject), viewer=viewer)
        with ctx.db.read() as session:
            plan = queries._plan_dict(session, queries.current_plan(session))
        return {**data, "plan": plan, "title": f"Learning briefing: {data['ref']}"}
    raise InvalidInput(f"no lessons document '{name}'; documents: {', '.join(DOCUMENTS)}")


class _Blocks(HTMLParser):
    """Our own semantic HTML as (kind, level, text or rows) blocks, for Word and plain text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, Any]] = []
        self._text: list[str] | None = None
        self._tag = ""
        self._skip = 0
        self._rows: list[list[str]] | None = None

    @classmethod
    def read(cls, html: str) -> list[tuple[str, Any]]:
        parser = cls()
        parser.feed(html)
        return parser.blocks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title", "header", "footer"):
            self._skip += 1
        elif tag == "table":
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("h1", "h2", "h3", "p", "li", "th", "td", "caption"):
            self._text, self._tag = [], tag

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "header", "footer"):
            self._skip -= 1
        elif tag == "table" and self._rows is not None:
            self.blocks.append(("table", self._rows))
            self._rows = None
        elif tag == self._tag and self._text is not None:
            text = " ".join("".join(self._text).split())
            if tag in ("th", "td") and self._rows is not None:
                self._rows[-1].append(text)
            elif not self._skip and text:
                self.blocks.append((tag, text))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _docx(blocks: list[tuple[str, Any]]) -> bytes:
    from io import BytesIO

    from docx import Document

    doc = Document()
    for kind, content in blocks:
        if kind in ("h1", "h2", "h3"):
            doc.add_heading(content, level=int(kind[1]))  # real Heading 1-3 styles
        elif kind == "li":
            doc.add_paragraph(content, style="List Bullet")
        elif kind == "table" and content:
            _docx_table(doc, content)
        elif kind in ("p", "caption"):
            doc.add_paragraph(content)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_table(doc: Any, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for r in rows:
        cells = table.add_row().cells
        for i, text in enumerate(r):
            cells[i].text = text


def _text(blocks: list[tuple[str, Any]]) -> str:
    lines: list[str] = []
    for kind, content in blocks:
        if kind == "h1":
            lines += [content.upper(), ""]
        elif kind in ("h2", "h3"):
            lines += ["", content, "-" * len(content)]
        elif kind == "li":
            lines.append(f"  - {content}")
        elif kind == "table":
            lines += [" | ".join(r) for r in content] + [""]
        else:
            lines += [content, ""]
    return "\n".join(lines).strip() + "\n"

"""Reads our own semantic HTML into a handful of blocks (headings, paragraphs, lists, tables) so Word and plain
text come from the very same rendering as the web page and the PDF: one source, no second template to drift."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
TEXT_TAGS = {*HEADINGS, "p", "li", "caption", "th", "td"}
PLACES = {"header": "header", "main": "main", "footer": "footer"}
_SPACES = re.compile(r"[ \t\r\n]+")


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    text: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (link text, target), in order
    idea: int = 0  # easy read: the number of the idea (picture and words) it belongs to; 0 for none


@dataclass
class Image:
    """A picture: the letterhead's logo (its bytes) or an easy-read picture (its name in pictures.yaml)."""

    alt: str
    data: bytes = b""
    picture: str = ""
    idea: int = 0  # easy read: the idea whose picture this is; 0 for none


@dataclass
class ListBlock:
    ordered: bool
    items: list[str] = field(default_factory=list)


@dataclass
class Table:
    caption: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    row_labels: bool = False  # each body row starts with its own header cell (a label and its value)


Block = Heading | Paragraph | ListBlock | Table | Image


@dataclass
class Document:
    lang: str = ""
    title: str = ""
    marking: str = ""  # the protective marking, for a Word header and footer; not a body paragraph
    blocks: list[Block] = field(default_factory=list)
    # Where each block stood, one entry per block: "header", "title" (a report's title page), "main" or "footer",
    # from the enclosing <header>, <div class="title-page">, <main> and <footer>; "" outside them. Typst's PDF
    # is grouped by it as WeasyPrint's is by the HTML.
    places: list[str] = field(default_factory=list)
    typesetter: str = ""  # "typst" where the template asks for it (<meta name="dhr-typesetter">); "" otherwise
    page: str = ""  # "landscape" where the template sets its pages so
    variant: str = ""  # the print variant the HTML was rendered for, where the template says (Typst needs it)

    def add(self, block: Block, place: str) -> None:
        self.blocks.append(block)
        self.places.append(place)


def _clean(parts: list[str]) -> str:
    lines = "".join(parts).split("\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in lines).strip()


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = Document()
        self._skip = 0
        self._title: list[str] | None = None
        self._text: list[str] | None = None
        self._lists: list[ListBlock] = []
        self._table: Table | None = None
        self._row: list[str] | None = None
        self._row_all_th = True
        self._in_thead = False
        self._href: str | None = None
        self._link_start = 0
        self._links: list[tuple[str, str]] = []
        self._marking = False
        self._ideas = 0  # easy-read ideas seen so far
        self._idea = 0  # the idea being read (0: none) and how deep in its <div>s we are
        self._idea_depth = 0
        self._places: list[str] = []  # the open landmarks (and title page), innermost last
        self._title_depth = 0  # how deep in the title page's <div>s we are (0: not in it)

    @property
    def _place(self) -> str:
        return self._places[-1] if self._places else ""

    def _add(self, block: Block) -> None:
        self.doc.add(block, self._place)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "html":
            self.doc.lang = attr.get("lang") or ""
        elif tag in ("style", "script", "template"):
            self._skip += 1
        elif tag == "title":
            self._title = []
        elif tag in TEXT_TAGS:
            self._text, self._links = [], []
            self._marking = tag == "p" and "marking" in (attr.get("class") or "").split()
            self._row_all_th = self._row_all_th and tag != "td"
        elif tag == "br" and self._text is not None:
            self._text.append("\n")
        elif tag == "a":
            self._href = attr.get("href")
            self._link_start = len("".join(self._text or []))
        elif tag == "img":
            self._image(attr)
        elif tag == "meta" or tag in PLACES:
            self._head_or_place(tag, attr)
        elif tag == "div":
            self._open_div(attr.get("class") or "")
        else:
            self._open_structure(tag)

    def _head_or_place(self, tag: str, attr: dict[str, str | None]) -> None:
        if tag in PLACES:
            self._places.append(PLACES[tag])
        elif attr.get("name") == "dhr-typesetter":
            self.doc.typesetter = attr.get("content") or ""
            self.doc.page = attr.get("data-page") or ""
            self.doc.variant = attr.get("data-variant") or ""

    def _image(self, attr: dict[str, str | None]) -> None:
        alt, src, name = attr.get("alt") or "", attr.get("src") or "", attr.get("data-picture") or ""
        if name:
            self._add(Image(alt, picture=name, idea=self._idea))
        elif src.startswith("data:") and ";base64," in src:
            self._add(Image(alt, data=base64.b64decode(src.split(",", 1)[1]), idea=self._idea))

    def _open_div(self, classes: str) -> None:
        """An easy-read idea (`<div class="idea">`, the picture and its words) numbers the blocks inside it, so
        Word can set the picture beside the words. A report's title page is a place of its own."""
        if self._title_depth:
            self._title_depth += 1
        elif "title-page" in classes.split():
            self._title_depth = 1
            self._places.append("title")
        if self._idea:
            self._idea_depth += 1
        elif "idea" in classes.split():
            self._ideas += 1
            self._idea, self._idea_depth = self._ideas, 1

    def _close_div(self) -> None:
        if self._title_depth:
            self._title_depth -= 1
            if not self._title_depth:
                self._places.pop()
        if self._idea:
            self._idea_depth -= 1
            if not self._idea_depth:
                self._idea = 0

    def _open_structure(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self._lists.append(ListBlock(ordered=tag == "ol"))
        elif tag == "table":
            self._table = Table()
        elif tag == "thead":
            self._in_thead = True
        elif tag == "tr":
            self._row, self._row_all_th = [], True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "template"):
            self._skip -= 1
        elif tag == "title" and self._title is not None:
            self.doc.title, self._title = _clean(self._title), None
        elif tag in TEXT_TAGS and self._text is not None:
            text = _clean(self._text)
            if tag in ("li", "th", "td"):  # no hyperlinks there in Word: the address goes into the text
                targets = [href.removeprefix("mailto:") for _, href in self._links]
                text += "".join(f" ({t})" for t in targets if t not in text)
            self._end_text(tag, text)
            self._text = None
        elif tag == "a":
            self._link_suffix()
        else:
            self._close_structure(tag)

    def _close_structure(self, tag: str) -> None:
        if tag in ("ul", "ol") and self._lists:
            self._add(self._lists.pop())
        elif tag == "thead":
            self._in_thead = False
        elif tag == "tr":
            self._end_row()
        elif tag == "table" and self._table is not None:
            self._add(self._table)
            self._table = None
        elif tag == "div":
            self._close_div()
        elif tag in PLACES and self._places:
            self._places.pop()

    def _link_suffix(self) -> None:
        href, self._href = self._href, None
        if self._text is None or not href or href.startswith("#"):
            return
        words = _clean(["".join(self._text)[self._link_start :]])
        if words:
            self._links.append((words, href))

    def _end_text(self, tag: str, text: str) -> None:
        if tag in HEADINGS:
            self._add(Heading(HEADINGS[tag], text))
        elif tag == "li" and self._lists:
            self._lists[-1].items.append(text)
        elif tag == "caption" and self._table is not None:
            self._table.caption = text
        elif tag in ("th", "td") and self._row is not None:
            if tag == "th" and not self._row and not self._in_thead and self._table is not None:
                self._table.row_labels = True
            self._row.append(text)
        elif tag == "p" and self._marking:
            self.doc.marking = text
        elif text:
            self._add(Paragraph(text, self._links, self._idea))

    def _end_row(self) -> None:
        if self._table is None or self._row is None:
            return
        if (self._in_thead or self._row_all_th) and not self._table.header and not self._table.rows:
            self._table.header = self._row
        else:
            self._table.rows.append(self._row)
        self._row = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._title is not None:
            self._title.append(data)
        elif self._text is not None:
            self._text.append(data)


def read_html(html: str) -> Document:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.doc

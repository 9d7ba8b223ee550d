"""render(template, context, format, variant) -> bytes: the one entry point every feature uses for documents.

HTML is the source rendering. The variant picks a stylesheet (large print) or, for easy read, a sibling template
under `easy-read/` written in easy-read language (easy read is different words, not just bigger type)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.documents.blocks import read_html
from dhr_workflow.documents.easy_read import easy_read_name, has_easy_read
from dhr_workflow.documents.errors import MissingData
from dhr_workflow.documents.text import to_text

if TYPE_CHECKING:
    from jinja2 import UndefinedError

# Jinja2 (the environment) and python-docx (Word) are imported where they are used: `dhr docs list` reads the
# catalogue through this module and renders nothing (issue 17).

FORMATS = ("html", "pdf", "docx", "txt")
VARIANTS = ("standard", "large-print", "easy-read")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}
STYLESHEETS = {"standard": "standard.css", "large-print": "large-print.css", "easy-read": "easy-read.css"}


@lru_cache(maxsize=8)
def stylesheet(variant: str, root: Path | None = None) -> str:
    from dhr_workflow.documents.environment import environment

    env = environment(root)
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, f"documents/styles/{STYLESHEETS[variant]}")
    if variant != "standard":
        base, _, _ = env.loader.get_source(env, "documents/styles/standard.css")
        source = base + "\n" + source
    return source


def render_html(template: str, context: dict[str, Any], variant: str = "standard", root: Path | None = None) -> str:
    """The semantic HTML of `template` for `context`; a value the template needs but `context` lacks raises
    MissingData naming it."""
    from jinja2 import UndefinedError

    from dhr_workflow.documents.environment import environment

    check_choice(variant, VARIANTS, "variant")
    name = template
    if variant == "easy-read":
        if not has_easy_read(template, root):
            raise InvalidInput(f"there is no easy-read version of {template}; easy read is offered for family letters")
        name = easy_read_name(template)
    try:
        return (
            environment(root)
            .get_template(name)
            .render(**context, stylesheet=stylesheet(variant, root), variant=variant)
        )
    except UndefinedError as err:
        raise MissingData(f"the document {template}", [_undefined_name(err)]) from None


def _undefined_name(err: UndefinedError) -> str:
    # Jinja says "'dict object' has no attribute 'chair_name'" or "'x' is undefined": keep the name.
    text = str(err.message or err)
    quoted = [part for i, part in enumerate(text.split("'")) if i % 2 == 1]
    return quoted[-1] if quoted else text


def check_choice(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise InvalidInput(f"'{value}' is not a {what}; choose one of: {', '.join(allowed)}")


def convert(html: str, fmt: str, variant: str = "standard") -> bytes:
    """One HTML rendering -> the bytes of `fmt`."""
    check_choice(fmt, FORMATS, "format")
    if fmt == "html":
        return html.encode("utf-8")
    if fmt == "pdf":
        from dhr_workflow.documents.pdf import to_pdf

        return to_pdf(html)
    doc = read_html(html)
    if fmt == "docx":
        from dhr_workflow.documents.word import to_docx

        return to_docx(doc, variant)
    return to_text(doc).encode("utf-8")


def render(
    template: str, context: dict[str, Any], fmt: str, variant: str = "standard", root: Path | None = None
) -> bytes:
    check_choice(fmt, FORMATS, "format")
    return convert(render_html(template, context, variant, root), fmt, variant)

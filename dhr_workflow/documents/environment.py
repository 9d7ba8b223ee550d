"""The Jinja2 environment every document uses: StrictUndefined (a missing value is an error naming it) and
autoescaping for HTML, so `&` and `<` in case data survive in every format."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from dhr_workflow.core.paths import templates_dir

if TYPE_CHECKING:
    from jinja2 import Environment


def long_date(value: object) -> str:
    """'2026-11-20' or a date -> '20 November 2026' (GOV.UK style: no ordinals, no leading zero)."""
    if value in (None, ""):
        return "not yet known"
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{day.day} {day:%B %Y}"


def humanise(value: object) -> str:
    """'criminal_proceedings' -> 'Criminal proceedings'."""
    text = str(value).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=8)
def environment(root: Path | None = None) -> Environment:
    # Jinja2 is imported here: the filters above are used by modules that render nothing (issue 17).
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(root or templates_dir())),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2", "xml"), default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    env.filters["humanise"] = humanise
    return env

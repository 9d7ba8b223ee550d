"""The Jinja2 environment every document uses: StrictUndefined (a missing value is an error naming it) and
autoescaping for HTML, so `&` and `<` in case data survive in every format."""

from __future__ import annotations

import base64
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from dhr_workflow.core.errors import InvalidInput
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


IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


@lru_cache(maxsize=16)
def data_uri(path: str) -> str:
    """A picture file (the letterhead's logo, an easy-read symbol) embedded in the page, so one HTML file carries
    everything and WeasyPrint and the Word writer need no file access."""
    file = Path(path)
    kind = IMAGE_TYPES.get(file.suffix.lower())
    if kind is None or not file.is_file():
        raise InvalidInput(f"the picture {path} is not a PNG, JPEG or SVG file that can be read (DHR_LETTERHEAD_LOGO?)")
    return f"data:{kind};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"


PICTURES = "documents/easy-read/pictures"


@lru_cache(maxsize=4)
def pictures(root: Path | None = None) -> dict[str, tuple[str, str]]:
    """The easy-read pictures shipped with the app (OpenMoji, CC BY-SA 4.0): name -> (OpenMoji code, alt text)."""
    import yaml  # imported here: most commands never render an easy-read document (issue 17)

    folder = (root or templates_dir()) / PICTURES
    raw = yaml.safe_load((folder / "pictures.yaml").read_text(encoding="utf-8"))
    return {name: (str(code), str(alt)) for name, (code, alt) in raw.items()}


def picture(name: str, root: Path | None = None) -> dict[str, str]:
    """For templates: `picture("phone")` -> the SVG embedded as a data URI and its alt text."""
    known = pictures(root)
    if name not in known:
        raise InvalidInput(f"no easy-read picture '{name}'; pictures.yaml lists: {', '.join(sorted(known))}")
    code, alt = known[name]
    return {"name": name, "src": data_uri(str((root or templates_dir()) / PICTURES / f"{code}.svg")), "alt": alt}


def picture_png(name: str, root: Path | None = None) -> bytes:
    """The PNG rendering of an easy-read picture, for Word (which cannot show SVG alone)."""
    code, _ = pictures(root)[name]
    return ((root or templates_dir()) / PICTURES / f"{code}.png").read_bytes()


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
    env.filters["data_uri"] = data_uri
    env.globals["picture"] = partial(picture, root=root)
    return env

"""The partnership's own branding for every page: its name, optional logo (with its text alternative) and footer
links, from settings. A partnership's service is not on GOV.UK, so pages use GOV.UK Frontend's patterns without the
crown, the GOV.UK logotype, Crown copyright or the Open Government Licence.

The accessibility statement and privacy notice are plain text an admin edits on /admin/site-pages (stored versions,
dhr_workflow/documents/site_pages.py); until then, the files settings name, or the defaults in
templates/web/statements/: paragraphs separated by a blank line, `# ` and `## ` headings, `- ` bullet lines. Nothing
in them is markup, so nothing in them can break a page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dhr_workflow.core.settings import Settings

LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@dataclass(frozen=True)
class Branding:
    name: str
    logo_alt: str
    has_logo: bool
    footer_links: tuple[dict[str, str], ...]


def branding_for(settings: Settings) -> Branding:
    links = [
        {"href": "/accessibility", "text": "Accessibility statement"},
        {"href": "/privacy", "text": "Privacy notice"},
    ]
    if settings.partnership_contact_url:
        links.append({"href": settings.partnership_contact_url, "text": "Contact us"})
    links.append({"href": "/accessible-formats/request", "text": "Request a document in an accessible format"})
    logo = logo_file(settings)
    name = settings.partnership_name.strip() or settings.letterhead_name.strip() or "Community Safety Partnership"
    alt = settings.partnership_logo_alt if settings.partnership_logo else settings.letterhead_logo_alt
    return Branding(
        name=name,
        logo_alt=alt.strip() or f"{name} logo",
        has_logo=bool(logo and logo.is_file() and logo.suffix.lower() in LOGO_TYPES),
        footer_links=tuple(links),
    )


def logo_file(settings: Settings) -> Path | None:
    """The logo pages show: the partnership's own setting, else the documents' letterhead logo."""
    return settings.partnership_logo or settings.letterhead_logo


def statement_blocks(text: str, values: dict[str, str]) -> list[dict[str, Any]]:
    """The statement's text as blocks a template renders with escaping: headings, paragraphs and bullet lists.
    `{partnership}`-style placeholders are filled from `values` (unknown ones are left as they are)."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    blocks: list[dict[str, Any]] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            blocks.append({"kind": "list", "items": [line[2:].strip() for line in lines]})
        elif len(lines) == 1 and lines[0].startswith("## "):
            blocks.append({"kind": "h2", "text": lines[0][3:].strip()})
        elif len(lines) == 1 and lines[0].startswith("# "):
            blocks.append({"kind": "h1", "text": lines[0][2:].strip()})
        else:
            blocks.append({"kind": "p", "text": " ".join(line.strip() for line in lines)})
    return blocks

"""The pages about the service that the partnership words itself: the accessibility statement and the privacy
notice. Each save is a new stored version (earlier ones are kept, with who saved them and when) in one transaction
with its audit event, which names the page and version, never the text. Until the first save, the file named by
settings (or the shipped default in templates/web/statements/) is the page.

The text is plain text, never markup: paragraphs separated by a blank line, `# ` and `## ` headings and `- ` bullet
lines; pages escape everything in it, so HTML typed into it is shown as typed, not run. Only admins edit it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.paths import templates_dir
from dhr_workflow.core.settings import Settings
from dhr_workflow.core.text import clean_text
from dhr_workflow.documents.tables import SitePageVersion
from dhr_workflow.people.users import actor_for

# kind -> (title, the setting naming its default file)
PAGES = {
    "accessibility": ("Accessibility statement", "accessibility_statement_file"),
    "privacy": ("Privacy notice", "privacy_notice_file"),
}
MAX_CHARS = 50_000


def _kind(kind: str) -> str:
    if kind not in PAGES:
        raise NotFound(f"no page '{kind[:40]}'; pages: {', '.join(PAGES)}")
    return kind


def default_source(settings: Settings, kind: str) -> Path:
    """The file shown until the page is first edited: the partnership's own when set, otherwise the shipped one."""
    own = getattr(settings, PAGES[_kind(kind)][1])
    if own is not None:
        return Path(own)
    return templates_dir(settings.templates_dir) / "web" / "statements" / f"{kind}.txt"


def current(ctx: AppContext, kind: str) -> dict[str, Any]:
    """The page as shown now: its text, and its version, who saved it and when (version 0 and `source` "file"
    while the default file is in use; its text is None when that file cannot be read)."""
    with ctx.db.read() as session:
        row = session.scalars(
            select(SitePageVersion).where(SitePageVersion.kind == _kind(kind)).order_by(SitePageVersion.version.desc())  # type: ignore[attr-defined]
        ).first()
        if row is not None:
            return _as_dict(row) | {"source": "stored"}
    try:
        text: str | None = default_source(ctx.settings, kind).read_text(encoding="utf-8")[:MAX_CHARS]
    except OSError:
        text = None
    return {"kind": kind, "version": 0, "text": text, "saved_by": None, "saved_at": None, "source": "file"}


def versions(ctx: AppContext, kind: str) -> list[dict[str, Any]]:
    """Every stored version, newest first, without the text."""
    with ctx.db.read() as session:
        rows = session.scalars(
            select(SitePageVersion).where(SitePageVersion.kind == _kind(kind)).order_by(SitePageVersion.version.desc())  # type: ignore[attr-defined]
        )
        return [{k: v for k, v in _as_dict(r).items() if k != "text"} for r in rows]


def save(ctx: AppContext, kind: str, text: str, *, by: str | None = None) -> dict[str, Any]:
    """A new version of the page; the same text as the current version is not a change (nothing is stored)."""
    body = clean_text(text.replace("\r\n", "\n"), "the page's text", MAX_CHARS).strip()
    if len(body) < 20:
        raise InvalidInput("the page's text is too short to be a statement: write at least a sentence")
    with ctx.db.write() as session:
        actor = actor_for(session, by)
        if actor.user is not None and actor.user.role != "admin":
            raise NotPermitted("only an administrator edits the accessibility statement and privacy notice")
        last = session.scalars(
            select(SitePageVersion).where(SitePageVersion.kind == _kind(kind)).order_by(SitePageVersion.version.desc())  # type: ignore[attr-defined]
        ).first()
        if last is not None and last.text == body:
            return _as_dict(last) | {"source": "stored", "changed": False}
        top = session.scalar(select(func.max(SitePageVersion.version)).where(SitePageVersion.kind == kind))
        row = SitePageVersion(kind=kind, version=(top or 0) + 1, text=body, saved_by=actor.label)
        session.add(row)
        session.flush()
        audit.append(
            session,
            actor=actor.label,
            action="site_page_saved",
            occurred_on=ctx.today(),
            payload={"page": kind, "version": row.version, "characters": len(body)},
        )
        return _as_dict(row) | {"source": "stored", "changed": True}


def _as_dict(row: SitePageVersion) -> dict[str, Any]:
    saved_at: datetime = row.saved_at
    return {
        "kind": row.kind,
        "version": row.version,
        "text": row.text,
        "saved_by": row.saved_by,
        "saved_at": saved_at,
    }

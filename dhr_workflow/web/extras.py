"""What other features add to pages, behind one small interface each so a page never depends on whether a feature
is installed: in-app notifications (reminders), documents (the toolkit), and the workflow diagram."""

from __future__ import annotations

from typing import Any

from dhr_workflow.db.tables import User
from dhr_workflow.services.context import AppContext


def notifications_for(ctx: AppContext, viewer: User) -> list[dict[str, Any]]:
    """In-app notifications for `viewer` (the reminders feature provides them once it is installed)."""
    return []


def documents_for(ctx: AppContext, ref: str, viewer: User) -> list[dict[str, Any]]:
    """Documents of a case that `viewer` may see (the documents feature provides them once it is installed)."""
    return []


_SVG_CACHE: dict[tuple[str, str, str], str] = {}


def diagram_svg(ctx: AppContext, name: str, version: str, state: str) -> str:
    """The workflow drawn with `state` highlighted; Graphviz runs once per (workflow, version, state)."""
    key = (name, version, state)
    if key not in _SVG_CACHE:
        from dhr_workflow.workflow.diagram import draw

        _SVG_CACHE[key] = draw(ctx.workflows.get(name, version), state, fmt="svg")
    return _SVG_CACHE[key]


# Accessible-format requests: the documents feature owns the queue and its deadline; this page only collects them.
ACCESSIBLE_FORMATS = {
    "large_print": "Large print",
    "easy_read": "Easy read",
    "plain_text": "Plain text",
    "word": "Word document",
    "braille": "Braille",
    "audio": "Audio",
    "other": "Another format",
}


def accessible_formats() -> dict[str, str]:
    return dict(ACCESSIBLE_FORMATS)


def accessible_requests_available() -> bool:
    """Whether the accessible-format request service is installed (documents feature)."""
    return False


def submit_accessible_request(ctx: AppContext, form: dict[str, str], errors: Any) -> str | None:
    """Record a member of the public's request; returns its reference, or None with `errors` filled in."""
    errors.add("document", "Requests cannot be taken online yet. Email the Community Safety Partnership instead.")
    return None

"""What other features add to pages, behind one small interface each: in-app notifications (reminders), documents
and accessible-format requests (documents), and the workflow diagram."""

from __future__ import annotations

from typing import Any

from dhr_workflow.core.context import AppContext
from dhr_workflow.people.roles import sees_real_names
from dhr_workflow.people.tables import User


def notifications_for(ctx: AppContext, viewer: User) -> list[dict[str, Any]]:
    """`viewer`'s unread in-app notifications, newest first; links only ever point inside this site."""
    try:
        from notifications.in_app import list_in_app
    except ImportError:  # the reminders feature is not installed
        return []
    items = list_in_app(ctx, viewer, unread_only=True, limit=20)
    for item in items:
        link = item.get("link") or ""
        item["href"] = link if link.startswith("/") and not link.startswith("//") else ""
    return items


def may_see_documents(viewer: User) -> bool:
    """Toolkit documents carry real names (letters to families, the overview report): the same roles as names."""
    return sees_real_names(viewer.role)


def documents_for(ctx: AppContext, ref: str, viewer: User) -> list[dict[str, Any]]:
    """The toolkit documents of a case that `viewer` may see (empty for roles that see pseudonyms only)."""
    if not may_see_documents(viewer):
        return []
    from dhr_workflow.documents.versions import list_documents

    return list_documents(ctx, ref, viewer)


_SVG_CACHE: dict[tuple[str, str, str], str] = {}


def diagram_svg(ctx: AppContext, name: str, version: str, state: str) -> str:
    """The workflow drawn with `state` highlighted; Graphviz runs once per (workflow, version, state)."""
    key = (name, version, state)
    if key not in _SVG_CACHE:
        from dhr_workflow.workflow.diagram import draw

        _SVG_CACHE[key] = draw(ctx.workflows.get(name, version), state, fmt="svg")
    return _SVG_CACHE[key]


def accessible_formats() -> dict[str, str]:
    from dhr_workflow.documents.access_formats import FORMAT_LABELS

    return dict(FORMAT_LABELS)


def accessible_requests_available() -> bool:
    """Whether the accessible-format request service is installed (documents feature)."""
    return True


# form field -> the words the service uses for it in its messages
_REQUEST_FIELDS = (
    ("format", "format"),
    ("language", "language"),
    ("email", "email"),
    ("phone", "phone"),
    ("postal_address", "address"),
    ("postal_address", "reach the person"),
    ("details", "details"),
    ("document", "document"),
    ("name", "name"),
)


def submit_accessible_request(ctx: AppContext, form: dict[str, str], errors: Any) -> str | None:
    """Record a member of the public's request (never tied to a case from this form: a case reference would let
    anyone probe which cases exist); returns its reference, or None with `errors` filled in."""
    from dhr_workflow.core.errors import InvalidInput
    from dhr_workflow.documents.access_formats import RequestInput
    from dhr_workflow.documents.access_requests import new_request

    if not form.get("document", "").strip():
        errors.add("document", "Enter the document you need")
    if not form.get("format"):
        errors.add("format", "Choose the format you need")
    if not form.get("name", "").strip():
        errors.add("name", "Enter your name")
    if errors:
        return None
    try:
        row = new_request(
            ctx,
            RequestInput(
                requester_name=form.get("name", ""),
                document=form.get("document", ""),
                format=form.get("format", ""),
                email=form.get("email") or None,
                phone=form.get("phone") or None,
                postal_address=form.get("postal_address") or None,
                language=form.get("language") or None,
                details=form.get("details") or None,
            ),
        )
    except InvalidInput as err:
        text = str(err).lower()
        errors.add(next((f for f, words in _REQUEST_FIELDS if words in text), "document"), str(err))
        return None
    return f"AFR-{row.id}"


def task_documents_for(ctx: AppContext, ref: str, viewer: User) -> dict[int, list[dict[str, Any]]]:
    """The stored document versions shared with each task of the case that `viewer` may open."""
    from dhr_workflow.documents.task_sharing import shared_with_tasks

    return shared_with_tasks(ctx, ref, viewer)


def shareable_documents(ctx: AppContext, ref: str, viewer: User) -> dict[str, str]:
    """The toolkit documents of the case a task can carry now, as {template: title}."""
    from dhr_workflow.documents.task_sharing import shareable

    return shareable(ctx, ref, viewer)


def my_task_documents(ctx: AppContext, viewer: User) -> dict[int, list[dict[str, Any]]]:
    """The stored document versions shared with `viewer`'s open tasks, by task id."""
    from dhr_workflow.documents.task_sharing import shared_with_my_tasks

    return shared_with_my_tasks(ctx, viewer)

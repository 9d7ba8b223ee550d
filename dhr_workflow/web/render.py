"""Rendering pages: every template gets the signed-in person (or None), the form token and the navigation."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from dhr_workflow.people.roles import may_change_cases, sees_only_own_cases
from dhr_workflow.web.security import form_token

# Page titles for each error status, used by every error page.
TITLES = {
    400: "There is a problem with the request",
    401: "You need to sign in",
    403: "You cannot do that",
    404: "Page not found",
    405: "Page not found",
    409: "Someone else changed this",
    422: "There is a problem",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env = request.app.state.templates
    active = getattr(request.state, "session", None)
    user = active.user if active else None
    html = env.get_template(template).render(
        user=user,
        csrf_token=form_token(request),
        path=request.url.path,
        navigation=_navigation(request.url.path, user),
        service_name="Domestic Homicide Reviews",
        branding=request.app.state.branding,
        **context,
    )
    return HTMLResponse(html, status_code=status)


def _navigation(path: str, user: Any) -> list[dict[str, Any]]:
    if user is None:
        return []
    items = [("/", "Dashboard"), ("/cases", "Cases"), ("/tasks", "My tasks"), ("/plan", "Delivery Plan")]
    if user.role == "agency_contact":
        items.append(("/agency-requests", "Requests for my agency"))
    if may_change_cases(user.role) and not sees_only_own_cases(user.role):
        items.append(("/cases/new", "Log a notification"))
    if user.role in ("admin", "coordinator"):
        items += [
            ("/agencies", "Agencies"),
            ("/admin/users", "People"),
            ("/admin/holidays", "Bank holidays"),
            ("/admin/access-requests", "Accessible formats"),
            ("/admin/retention", "Retention"),
        ]
    if user.role == "admin":
        items.append(("/admin/site-pages", "Site pages"))
    return [
        {
            "href": href,
            "text": text,
            "active": path == href
            or (href == "/cases" and path.startswith("/cases/") and path != "/cases/new")
            or (href == "/plan" and path.startswith("/plan/")),
        }
        for href, text in items
    ]


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    from dhr_workflow.web.forms import without_commands

    title = TITLES.get(status, "There is a problem")
    shown = without_commands(message) if message else ""
    return render(request, "error.html", status=status, title=title, message=shown)

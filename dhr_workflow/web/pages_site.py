"""The admin pages that edit the accessibility statement and privacy notice (documents/site_pages.py): each save is
a stored version with who saved it and when; the public pages show the latest. The text is plain text with a few
conventions (blank lines, `#` headings, `- ` bullets): the public pages escape all of it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import DhrError, NotFound, NotPermitted
from dhr_workflow.documents import site_pages
from dhr_workflow.people.tables import User
from dhr_workflow.web.deps import Ctx, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False, prefix="/admin/site-pages")


def _admin(viewer: User) -> None:
    if viewer.role != "admin":
        raise Forbidden("Only an administrator edits the accessibility statement and privacy notice.")


def _kind(kind: str) -> str:
    if kind not in site_pages.PAGES:
        raise NotFound("no such page")
    return kind


@router.get("")
def pages(request: Request, ctx: Ctx, viewer: Viewer, done: str = "") -> Response:
    _admin(viewer)
    rows = [
        {"kind": kind, "title": title, "page": site_pages.current(ctx, kind)}
        for kind, (title, _setting) in site_pages.PAGES.items()
    ]
    saved = site_pages.PAGES[done][0] if done in site_pages.PAGES else ""
    return render(request, "admin_site_pages.html", pages=rows, saved=saved)


@router.get("/{kind}")
def edit(request: Request, ctx: Ctx, viewer: Viewer) -> Response:
    _admin(viewer)
    return _edit_page(request, ctx, _kind(request.path_params["kind"]), Errors(), None, 200)


def _edit_page(
    request: Request, ctx: AppContext, kind: str, errors: Errors, typed: str | None, status: int
) -> Response:
    page = site_pages.current(ctx, kind)
    return render(
        request,
        "admin_site_page.html",
        status=status,
        kind=kind,
        title=site_pages.PAGES[kind][0],
        page=page,
        text=(page["text"] or "") if typed is None else typed,
        versions=site_pages.versions(ctx, kind),
        max_chars=site_pages.MAX_CHARS,
        errors=errors,
    )


@router.post("/{kind}")
def save(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    _admin(viewer)
    kind = _kind(request.path_params["kind"])
    typed = form.get("text", "")
    errors = Errors()
    try:
        site_pages.save(ctx, kind, typed, by=viewer.email)
    except NotPermitted:
        raise
    except DhrError as err:
        errors.add("page-text", str(err))
        return _edit_page(request, ctx, kind, errors, typed[: site_pages.MAX_CHARS * 2], 422)
    return RedirectResponse(f"/admin/site-pages?done={kind}", status_code=303)

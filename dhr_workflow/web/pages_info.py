"""Pages about the service itself, for anyone without signing in: the partnership's accessibility statement and
privacy notice (the latest version an admin saved, else the file settings name: documents/site_pages.py), and its
logo."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from dhr_workflow.core.errors import NotFound
from dhr_workflow.documents import site_pages
from dhr_workflow.web.branding import LOGO_TYPES, logo_file, statement_blocks
from dhr_workflow.web.deps import Ctx, MaybeSession
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False)


def _statement(request: Request, ctx: Ctx, kind: str) -> Response:
    title = site_pages.PAGES[kind][0]
    text = site_pages.current(ctx, kind)["text"] or f"# {title}\n\nThis page is not available at the moment."
    blocks = statement_blocks(text[:100_000], {"partnership": request.app.state.branding.name})
    if blocks and blocks[0]["kind"] == "h1":
        title = blocks.pop(0)["text"]
    return render(request, "statement.html", title=title, blocks=blocks)


@router.get("/accessibility")
def accessibility(request: Request, ctx: Ctx, _active: MaybeSession) -> Response:
    return _statement(request, ctx, "accessibility")


@router.get("/privacy")
def privacy(request: Request, ctx: Ctx, _active: MaybeSession) -> Response:
    return _statement(request, ctx, "privacy")


@router.get("/branding/logo")
def logo(request: Request, ctx: Ctx) -> Response:
    path = logo_file(ctx.settings)
    if not request.app.state.branding.has_logo or path is None:
        raise NotFound("no logo")
    return Response(path.read_bytes(), media_type=LOGO_TYPES[path.suffix.lower()])

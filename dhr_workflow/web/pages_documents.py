"""Documents of a case (generate and download the toolkit, the whole pack), the accessible-format request queue,
and marking in-app notifications read. Visibility of the case first (404), then the role (403)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.cases import views as case_views
from dhr_workflow.core.errors import DhrError
from dhr_workflow.people.tables import User
from dhr_workflow.web import extras
from dhr_workflow.web.deps import Ctx, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_input
from dhr_workflow.web.pages_admin import Admin
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False)
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}
_NAME = re.compile(r"^[a-z0-9_]{1,60}$")


def document_reader(request: Request, ctx: Ctx, viewer: Viewer) -> tuple[str, User]:
    ref = case_views.ensure_visible(ctx, request.path_params["ref"], viewer)
    if not extras.may_see_documents(viewer):
        raise Forbidden("Documents carry real names: ask the case coordinator for what you need.")
    return ref, viewer


DocumentReader = Annotated[tuple[str, User], Depends(document_reader)]


def _download(content: bytes, filename: str, fmt: str) -> Response:
    return Response(
        content,
        media_type=MEDIA_TYPES.get(fmt, "application/octet-stream"),
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/cases/{ref}/tasks/{task_id}/documents/{document_id}.{fmt}")
def task_document(
    request: Request,
    ctx: Ctx,
    viewer: Viewer,
    task_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    document_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    fmt: Annotated[str, Path(max_length=10)],
) -> Response:
    """A document version shared with a task: for its assignee, exactly that version (the read is audited)."""
    from dhr_workflow.documents.task_sharing import open_shared

    opened = open_shared(ctx, request.path_params["ref"], task_id, document_id, fmt, viewer)
    return Response(
        opened.content,
        media_type=opened.media_type,
        headers={"Content-Disposition": f'attachment; filename="{opened.filename}"'},
    )


@router.get("/cases/{ref}/documents/pack.zip")
def document_pack(ctx: Ctx, reader: DocumentReader) -> Response:
    from dhr_workflow.documents.versions import pack

    ref, viewer = reader
    content, _skipped = pack(ctx, ref, by=viewer.email)
    return Response(
        content, media_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{ref}-pack.zip"'}
    )


@router.get("/cases/{ref}/documents/{name}.{fmt}")
def document_file(
    ctx: Ctx,
    reader: DocumentReader,
    name: Annotated[str, Path(max_length=60)],
    fmt: Annotated[str, Path(max_length=10)],
    variant: str = "standard",
) -> Response:
    from dhr_workflow.core.errors import NotFound
    from dhr_workflow.documents.versions import render_for_case

    ref, viewer = reader
    if not _NAME.match(name) or fmt not in MEDIA_TYPES:
        raise NotFound(f"no document {name}")
    rendered = render_for_case(ctx, ref, name, fmt, variant[:20], by=viewer.email, viewer=viewer)
    return _download(rendered.content, rendered.filename, fmt)


@router.post("/notifications/{notification_id}/read")
def notification_read(
    ctx: Ctx, viewer: Viewer, form: Form, notification_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> Response:
    from notifications.in_app import mark_read

    mark_read(ctx, viewer, notification_id)
    return RedirectResponse("/", status_code=303)


@router.get("/admin/access-requests")
def access_requests(request: Request, ctx: Ctx, viewer: Admin, done: str = "", show: str = "open") -> Response:
    return _queue(request, ctx, viewer, Errors(), 200, "The request was updated." if done else "", show == "all")


def _queue(
    request: Request, ctx: Ctx, viewer: User, errors: Errors, status: int, done: str, show_all: bool, posted: Any = None
) -> Response:
    from dhr_workflow.documents.access_queue import queue_for

    return render(
        request,
        "admin_access_requests.html",
        status=status,
        requests=queue_for(ctx, viewer, open_only=not show_all),
        posted=posted or {},
        show_all=show_all,
        errors=errors,
        done=done,
        today=ctx.today().isoformat(),
    )


@router.post("/admin/access-requests/{request_id}/{step}")
def access_request_step(
    request: Request,
    ctx: Ctx,
    viewer: Admin,
    form: Form,
    request_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    step: str,
) -> Response:
    from dhr_workflow.core.errors import NotFound
    from dhr_workflow.documents.access_requests import acknowledge, fulfil

    errors = Errors()
    anchor = f"request-{request_id}-on"
    on = date_input(form, "on", anchor, "the date", errors, today=ctx.today())
    if not errors:
        try:
            if step == "acknowledge":
                acknowledge(ctx, request_id, on=on, by=viewer.email)
            elif step == "fulfil":
                fulfil(
                    ctx,
                    request_id,
                    on=on,
                    supplier=form.get("supplier") or None,
                    note=form.get("note") or None,
                    by=viewer.email,
                )
            else:
                raise NotFound(f"no step {step}")
        except NotFound:
            raise
        except DhrError as err:
            errors.add(anchor, str(err))
        else:
            return RedirectResponse("/admin/access-requests?done=1", status_code=303)
    return _queue(request, ctx, viewer, errors, 422, "", False, posted={**form, "request": str(request_id)})

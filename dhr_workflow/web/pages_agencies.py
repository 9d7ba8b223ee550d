"""Pages for agencies and their evidence (issue 12): the agency directory, the "Agencies and evidence" section of the
case page and its forms, and an agency contact's "Requests for my agency". Every route goes through the services
with the viewer: a case they may not see, or another agency's request, is a 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.accuracy import views as accuracy_views
from dhr_workflow.agencies import directory, evidence
from dhr_workflow.agencies.rules import AGENCY_KINDS
from dhr_workflow.cases import views as case_views
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import DhrError, NotFound
from dhr_workflow.people.roles import may_change_cases
from dhr_workflow.people.tables import User
from dhr_workflow.web.case_page import changeable_case, render_case_page
from dhr_workflow.web.deps import Ctx, Files, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_input
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]

DONE = {
    "agency_added": "The agency was added to the directory.",
    "received": "What your agency sent is recorded.",
    "answered": "Your agency's factual-accuracy answer is recorded.",
}


@router.get("/agencies")
def agencies_page(request: Request, ctx: Ctx, viewer: Viewer, done: str = "") -> Response:
    _directory_keeper(viewer)
    return _agencies(request, ctx, Errors(), {}, 200, DONE.get(done, ""))


def _agencies(
    request: Request, ctx: AppContext, errors: Errors, form: dict[str, str], status: int, done: str
) -> Response:
    return render(
        request,
        "agencies.html",
        status=status,
        agencies=directory.list_agencies(ctx),
        kinds=AGENCY_KINDS,
        errors=errors,
        form=form,
        done=done,
    )


@router.post("/agencies")
def add_agency(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    _directory_keeper(viewer)
    errors = Errors()
    try:
        directory.add_agency(
            ctx,
            form.get("name", ""),
            form.get("kind", ""),
            contact_email=form.get("contact_email", "").strip() or None,
            by=viewer.email,
        )
    except DhrError as err:
        _not_found_stays_404(err)
        errors.add("agency-name", str(err))
        return _agencies(request, ctx, errors, form, 422, "")
    return RedirectResponse("/agencies?done=agency_added", status_code=303)


def _directory_keeper(viewer: User) -> None:
    if viewer.role not in ("admin", "coordinator", "csp_chair"):
        raise Forbidden("Only the community safety team keeps the agency directory.")


@router.post("/cases/{ref}/agencies")
def change_scope(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    agency = form.get("agency", "")
    adding = form.get("change") == "add"
    try:
        directory.change_scope(
            ctx,
            ref,
            add=[agency] if adding else [],
            remove=[] if adding else [agency],
            reason=form.get("reason") or None,
            by=viewer.email,
        )
    except DhrError as err:
        _not_found_stays_404(err)
        return _case_error(request, ctx, viewer, ref, "scope-agency" if adding else "remove-reason", err, form)
    return RedirectResponse(f"/cases/{ref}?done=scope_changed#agencies", status_code=303)


@router.post("/cases/{ref}/evidence")
def request_evidence(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    due = date_input(form, "due", "evidence-due", "the due date", errors)
    on = date_input(form, "on", "evidence-on", "the date it was asked for", errors, today=ctx.today())
    if not errors:
        try:
            evidence.request_evidence(
                ctx, ref, form.get("agency", ""), form.get("kind", ""), due=due, on=on, by=viewer.email
            )
        except DhrError as err:
            _not_found_stays_404(err)
            errors.add("evidence-agency", str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=requested#agencies", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/evidence/{request_id}/receive")
def receive(request: Request, ctx: Ctx, viewer: Viewer, form: Form, files: Files, request_id: Id) -> Response:
    ref = case_views.ensure_visible(ctx, request.path_params["ref"], viewer)
    if not (may_change_cases(viewer.role) or viewer.role == "agency_contact"):
        raise Forbidden("Your role can see this case but not record evidence. Ask the case coordinator.")
    anchor = f"receive-{request_id}-file"
    errors = Errors()
    on = date_input(form, "on", f"receive-{request_id}-on", "the date it came in", errors, today=ctx.today())
    upload = files.get("file")
    content = upload.file.read(20 * 1024 * 1024 + 1) if upload is not None and upload.filename else b""
    sent = evidence.Upload(upload.filename or "", content) if upload is not None and upload.filename else None
    back = "/agency-requests" if form.get("back") == "agency" else f"/cases/{ref}"
    if not errors:
        try:
            evidence.receive(
                ctx,
                ref,
                request_id,
                upload=sent,
                nil_return=form.get("nil_return") == "yes",
                on=on,
                note=form.get("note") or None,
                by=viewer.email,
            )
        except DhrError as err:
            _not_found_stays_404(err)
            errors.add(anchor, str(err))
        else:
            return RedirectResponse(f"{back}?done=received", status_code=303)
    if form.get("back") == "agency":
        return _requests_page(request, ctx, viewer, errors, 422, "")
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/evidence/{request_id}/extend")
def extend(request: Request, ctx: Ctx, viewer: Viewer, form: Form, request_id: Id) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    anchor = f"extend-{request_id}-to"
    to = date_input(form, "to", anchor, "the new due date", errors, required=True)
    if not errors and to is not None:
        try:
            evidence.extend(
                ctx,
                ref,
                request_id,
                to=to,
                agreed_by=form.get("agreed_by", ""),
                reason=form.get("reason", ""),
                by=viewer.email,
            )
        except DhrError as err:
            _not_found_stays_404(err)
            errors.add(anchor, str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=extended#agencies", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/evidence/{request_id}/not-required")
def not_required(request: Request, ctx: Ctx, viewer: Viewer, form: Form, request_id: Id) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    try:
        evidence.settle_without_evidence(
            ctx, ref, request_id, "not_required", reason=form.get("reason", ""), by=viewer.email
        )
    except DhrError as err:
        _not_found_stays_404(err)
        return _case_error(request, ctx, viewer, ref, f"not-required-{request_id}-reason", err, form)
    return RedirectResponse(f"/cases/{ref}?done=not_required#agencies", status_code=303)


@router.get("/cases/{ref}/evidence/{request_id}/files/{file_id}")
def evidence_file(request: Request, ctx: Ctx, viewer: Viewer, request_id: Id, file_id: Id) -> Response:
    row = evidence.open_file(ctx, request.path_params["ref"], request_id, file_id, viewer)
    return Response(
        row.content,
        media_type=row.media_type,
        headers={"Content-Disposition": f'attachment; filename="{row.filename}"'},
    )


@router.get("/agency-requests")
def agency_requests(request: Request, ctx: Ctx, viewer: Viewer, done: str = "") -> Response:
    return _requests_page(request, ctx, viewer, Errors(), 200, DONE.get(done, ""))


def _requests_page(request: Request, ctx: AppContext, viewer: User, errors: Errors, status: int, done: str) -> Response:
    return render(
        request,
        "agency_requests.html",
        status=status,
        requests=evidence.requests_for_my_agency(ctx, viewer),
        accuracy=accuracy_views.for_my_agency(ctx, viewer),
        errors=errors,
        done=done,
    )


def _case_error(
    request: Request, ctx: AppContext, viewer: User, ref: str, anchor: str, err: DhrError, form: dict[str, str]
) -> Response:
    errors = Errors()
    errors.add(anchor, str(err))
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


def _not_found_stays_404(err: DhrError) -> None:
    """A request or case the viewer may not see is a 404 page, never a form error that would confirm it exists; an
    unknown agency or person typed into a form is the form's error."""
    if isinstance(err, NotFound) and not str(err).startswith(("no agency", "no user")):
        raise err

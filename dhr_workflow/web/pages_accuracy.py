"""Pages for the factual-accuracy round (issue 12): circulating a stored draft from the case page, recording answers
(the case's team for anyone, an agency contact for their own agency, also from "Requests for my agency"), the
chair's responses, closing the round, and the comment files. Every route goes through the services with the viewer:
a case they may not see, or another agency's answer, is a 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.accuracy import rounds, views
from dhr_workflow.agencies import evidence
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
MAX_UPLOAD = 20 * 1024 * 1024


async def posted_agencies(request: Request, _form: Form) -> list[str]:
    """The agencies ticked in the circulate form (one checkbox group, so several values under one name)."""
    form = await request.form()
    return [v for v in form.getlist("agency") if isinstance(v, str)]


Agencies = Annotated[list[str], Depends(posted_agencies)]


@router.post("/cases/{ref}/accuracy")
def circulate(request: Request, ctx: Ctx, viewer: Viewer, form: Form, agencies: Agencies) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    version = form.get("version", "")
    if not version.isdigit() or len(version) > 6:
        errors.add("accuracy-version", "Select the version of the draft to send")
    due = date_input(form, "due", "accuracy-due", "the deadline", errors)
    named = [line.strip() for line in form.get("recipients", "").splitlines() if line.strip()]
    if not errors:
        try:
            rounds.circulate(ctx, ref, int(version), agencies=agencies, recipients=named, due=due, by=viewer.email)
        except DhrError as err:
            _not_found_stays_404(err)
            errors.add("accuracy-recipients" if "recipient" in str(err) else "accuracy-agency", str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=recorded#accuracy", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/accuracy/answers/{recipient_id}")
def answer(request: Request, ctx: Ctx, viewer: Viewer, form: Form, files: Files, recipient_id: Id) -> Response:
    ref = case_views.ensure_visible(ctx, request.path_params["ref"], viewer)
    if not (may_change_cases(viewer.role) or viewer.role == "agency_contact"):
        raise Forbidden("Your role can see this case but not record answers. Ask the case coordinator.")
    anchor = f"answer-{recipient_id}-kind"
    errors = Errors()
    on = date_input(form, "on", f"answer-{recipient_id}-on", "the date the answer came in", errors, today=ctx.today())
    kind = form.get("answer", "")
    if kind not in ("comments", "no_comments"):
        errors.add(anchor, "Select whether they sent comments or had none")
    sent = files.get("file")
    upload = rounds.Upload(sent.filename or "", sent.file.read(MAX_UPLOAD + 1)) if sent is not None else None
    back_to_agency = form.get("back") == "agency"
    if not errors:
        try:
            rounds.answer(
                ctx,
                ref,
                recipient_id,
                comments=form.get("comments") if kind == "comments" else None,
                upload=upload if kind == "comments" else None,
                no_comments=kind == "no_comments",
                on=on,
                by=viewer.email,
            )
        except DhrError as err:
            _not_found_stays_404(err)
            errors.add(f"answer-{recipient_id}-comments" if kind == "comments" else anchor, str(err))
        else:
            where = "/agency-requests?done=answered" if back_to_agency else f"/cases/{ref}?done=recorded#accuracy"
            return RedirectResponse(where, status_code=303)
    if back_to_agency:
        return agency_requests_page(request, ctx, viewer, errors, 422, "")
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/accuracy/comments/{comment_id}/response")
def respond(request: Request, ctx: Ctx, viewer: Viewer, form: Form, comment_id: Id) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    try:
        rounds.respond(ctx, ref, comment_id, response=form.get("response", ""), by=viewer.email)
    except DhrError as err:
        _not_found_stays_404(err)
        errors = Errors()
        errors.add(f"response-{comment_id}", str(err))
        return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)
    return RedirectResponse(f"/cases/{ref}?done=recorded#accuracy", status_code=303)


@router.post("/cases/{ref}/accuracy/close")
def close(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    on = date_input(form, "closed_on", "accuracy-close", "the date the round closed", errors, today=ctx.today())
    if not errors:
        try:
            rounds.close(ctx, ref, on=on, by=viewer.email)
        except DhrError as err:
            _not_found_stays_404(err)
            errors.add("accuracy-close", str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=recorded#accuracy", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.get("/cases/{ref}/accuracy/comments/{comment_id}/file")
def comment_file(request: Request, ctx: Ctx, viewer: Viewer, comment_id: Id) -> Response:
    row = views.open_comment_file(ctx, request.path_params["ref"], comment_id, viewer)
    return Response(
        row.content,
        media_type=row.media_type or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{row.filename}"'},
    )


def agency_requests_page(
    request: Request, ctx: AppContext, viewer: User, errors: Errors, status: int, done: str
) -> Response:
    """ "Requests for my agency", with the factual-accuracy answers asked of the viewer's agency."""
    return render(
        request,
        "agency_requests.html",
        status=status,
        requests=evidence.requests_for_my_agency(ctx, viewer),
        accuracy=views.for_my_agency(ctx, viewer),
        errors=errors,
        done=done,
    )


def _not_found_stays_404(err: DhrError) -> None:
    """A case or answer the viewer may not see is a 404 page, never a form error that would confirm it exists; an
    unknown agency typed into a form is the form's error."""
    if isinstance(err, NotFound) and not str(err).startswith(("no agency", "no user")):
        raise err

"""The merged chronology page (issue 12): every agency's entries by date, time and agency with likely duplicates
marked, the upload of an agency's chronology with a row-by-row error summary, the template to fill in, and
excluding an entry with a reason. Only roles that see real names, and agency contacts for their own agency's entries,
see the page: the entries are agencies' own words."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.agencies import chronology, directory
from dhr_workflow.agencies.chronology_files import MAX_BYTES, ChronologyRejected
from dhr_workflow.cases import views as case_views
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import DhrError, NotFound
from dhr_workflow.people.roles import may_change_cases, sees_real_names
from dhr_workflow.people.tables import User
from dhr_workflow.web.deps import Ctx, Files, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False)
DONE = {"imported": "The chronology was imported.", "excluded": "The entry is left out of the merged chronology."}


def _reader(ctx: AppContext, ref: str, viewer: User) -> str:
    ref = case_views.ensure_visible(ctx, ref, viewer)
    if not (sees_real_names(viewer.role) or viewer.role == "agency_contact"):
        raise Forbidden("Your role does not see agencies' chronologies. Ask the case coordinator.")
    return ref


@router.get("/cases/{ref}/chronology")
def chronology_page(request: Request, ctx: Ctx, viewer: Viewer, done: str = "") -> Response:
    ref = _reader(ctx, request.path_params["ref"], viewer)
    return _page(request, ctx, viewer, ref, Errors(), [], 200, DONE.get(done, ""))


def _page(
    request: Request,
    ctx: AppContext,
    viewer: User,
    ref: str,
    errors: Errors,
    row_errors: list[str],
    status: int,
    done: str,
) -> Response:
    scope = directory.case_scope(ctx, ref, viewer) if may_change_cases(viewer.role) else []
    if viewer.role == "agency_contact":
        mine = {a["slug"] for a in directory.list_agencies(ctx) if viewer.email in a["contacts"]}
        agencies = [{"value": a["slug"], "text": a["name"]} for a in directory.list_agencies(ctx) if a["slug"] in mine]
    else:
        agencies = [{"value": s["slug"], "text": s["agency"]} for s in scope if s["in_scope"]]
    return render(
        request,
        "chronology.html",
        status=status,
        ref=ref,
        entries=chronology.merged(ctx, ref, viewer),
        agencies=agencies,
        can_exclude=may_change_cases(viewer.role),
        errors=errors,
        row_errors=row_errors,
        done=done,
    )


@router.post("/cases/{ref}/chronology")
def upload(request: Request, ctx: Ctx, viewer: Viewer, form: Form, files: Files) -> Response:
    ref = _reader(ctx, request.path_params["ref"], viewer)
    errors, row_errors = Errors(), []
    sent = files.get("file")
    if sent is None or not sent.filename:
        errors.add("chronology-file", "Choose the chronology file (.xlsx from the template, or .csv)")
    else:
        try:
            chronology.import_chronology(
                ctx, ref, form.get("agency", ""), sent.filename, sent.file.read(MAX_BYTES + 1), viewer.email
            )
        except ChronologyRejected as err:
            errors.add("chronology-file", f"Nothing was imported: {len(err.errors)} problem(s) in the file")
            row_errors = [str(e)[:1].upper() + str(e)[1:] for e in err.errors[:200]]
        except DhrError as err:
            if isinstance(err, NotFound) and not str(err).startswith("no agency"):
                raise
            errors.add("chronology-file", str(err))
        else:
            return RedirectResponse(f"/cases/{ref}/chronology?done=imported", status_code=303)
    return _page(request, ctx, viewer, ref, errors, row_errors, 422, "")


@router.get("/cases/{ref}/chronology/template.xlsx")
def template(request: Request, ctx: Ctx, viewer: Viewer, agency: str = "") -> Response:
    ref = _reader(ctx, request.path_params["ref"], viewer)
    content = chronology.template_for(ctx, ref, agency[:200], viewer)
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{ref}-chronology.xlsx"'},
    )


@router.post("/cases/{ref}/chronology/{entry_id}/exclude")
def exclude(
    request: Request, ctx: Ctx, viewer: Viewer, form: Form, entry_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> Response:
    ref = _reader(ctx, request.path_params["ref"], viewer)
    if not may_change_cases(viewer.role):
        raise Forbidden("Only the case's coordinators, chairs and reviewers exclude entries.")
    errors = Errors()
    try:
        chronology.exclude(ctx, ref, entry_id, form.get("reason", ""), viewer.email)
    except DhrError as err:
        if isinstance(err, NotFound):
            raise
        errors.add(f"exclude-{entry_id}-reason", str(err))
        return _page(request, ctx, viewer, ref, errors, [], 422, "")
    return RedirectResponse(f"/cases/{ref}/chronology?done=excluded", status_code=303)

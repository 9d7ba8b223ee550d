"""Retention in the browser (ADR 0054): what the schedule has due and the legal holds (coordinators and
administrators), applying the schedule after a confirmation step and the subject-access export (administrators
only). The same services as `dhr retention` and `dhr subject-access`."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.core.errors import DhrError, NotFound
from dhr_workflow.core.text import in_supported_range
from dhr_workflow.people.tables import User
from dhr_workflow.retention import apply as retention
from dhr_workflow.retention import holds
from dhr_workflow.retention.access import may_apply, may_hold
from dhr_workflow.retention.export_text import sections
from dhr_workflow.retention.rules import KINDS
from dhr_workflow.retention.scope import summary
from dhr_workflow.retention.subject_access import export_party, export_user
from dhr_workflow.web.deps import Ctx, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_input
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False, prefix="/admin")
DONE = {
    "held": "The case is under a legal hold: none of its records is due while it stands.",
    "released": "The legal hold is released: the case's records follow the schedule again.",
}


def holder(viewer: Viewer) -> User:
    if not may_hold(viewer.role):
        raise Forbidden("Only coordinators and administrators see the retention schedule and legal holds.")
    return viewer


def controller(viewer: Viewer) -> User:
    if not may_apply(viewer.role):
        raise Forbidden("Only administrators apply the retention schedule or export what is held about a person.")
    return viewer


Holder = Annotated[User, Depends(holder)]
Controller = Annotated[User, Depends(controller)]


@router.get("/retention")
def retention_page(request: Request, ctx: Ctx, viewer: Holder, done: str = "", applied: int = -1) -> Response:
    errors = Errors()
    query = dict(request.query_params)
    on = date_input(query, "on", "on", "the date to check", errors) if "on-day" in query else None
    if on is not None:
        try:
            in_supported_range(on, "The date to check")
        except DhrError as err:
            errors.add("on", str(err))
            on = None
    message = DONE.get(done, "")
    if 0 <= applied < 10**9:
        message = f"The retention schedule was applied: {applied} record(s) anonymised or deleted."
    return _page(request, ctx, viewer, errors, query, 422 if errors else 200, message, on)


def _page(
    request: Request,
    ctx: Ctx,
    viewer: User,
    errors: Errors,
    form: dict[str, str],
    status: int,
    done: str,
    on: date | None = None,
) -> Response:
    day = on or ctx.today()
    try:
        due = retention.due(ctx, day, by=viewer.email)
    except DhrError as err:  # a broken schedule file: say so on the page
        errors.add("on", str(err))
        due = []
    return render(
        request,
        "admin_retention.html",
        status=status,
        groups=summary(due),
        kinds={k: v.label for k, v in KINDS.items()},
        holds=holds.list_holds(ctx),
        errors=errors,
        form=form,
        done=done,
        day=day,
        may_apply=may_apply(viewer.role),
    )


@router.post("/retention/holds")
def set_hold(request: Request, ctx: Ctx, viewer: Holder, form: Form) -> Response:
    errors = Errors()
    if not form.get("ref", "").strip():
        errors.add("ref", "Enter the case reference")
    else:
        try:
            holds.set_hold(ctx, form.get("ref", ""), form.get("reason", ""), by=viewer.email)
        except NotFound:
            errors.add("ref", "There is no case with that reference")
        except DhrError as err:
            errors.add("reason" if "reason" in str(err) else "ref", str(err))
        else:
            return RedirectResponse("/admin/retention?done=held", status_code=303)
    return _page(request, ctx, viewer, errors, form, 422, "")


@router.post("/retention/holds/{hold_id}/release")
def release_hold(request: Request, ctx: Ctx, viewer: Holder, form: Form, hold_id: int) -> Response:
    hold = next((h for h in holds.list_holds(ctx) if h.id == hold_id), None)
    if hold is None:
        raise NotFound("There is no such legal hold.")
    errors = Errors()
    try:
        holds.release_hold(ctx, hold.case_ref, form.get("reason", ""), by=viewer.email)
    except DhrError as err:
        errors.add(f"release-{hold_id}", str(err))
        return _page(request, ctx, viewer, errors, form, 422, "")
    return RedirectResponse("/admin/retention?done=released", status_code=303)


@router.get("/retention/apply")
def confirm_apply(request: Request, ctx: Ctx, viewer: Controller) -> Response:
    return _confirm(request, ctx, viewer, Errors(), 200)


def _confirm(request: Request, ctx: Ctx, viewer: User, errors: Errors, status: int) -> Response:
    plan = retention.apply(ctx, dry_run=True, by=viewer.email)
    rows = [
        {"case_ref": ref, "kind": kind, "count": n} for ref, kinds in plan.done.items() for kind, n in kinds.items()
    ]
    return render(
        request,
        "admin_retention_apply.html",
        status=status,
        rows=rows,
        total=plan.total,
        kinds={k: v.label for k, v in KINDS.items()},
        errors=errors,
        day=ctx.today(),
    )


@router.post("/retention/apply")
def do_apply(request: Request, ctx: Ctx, viewer: Controller, form: Form) -> Response:
    if form.get("confirm") != "yes":
        errors = Errors()
        errors.add("confirm", "Confirm that the records listed may be anonymised or deleted")
        return _confirm(request, ctx, viewer, errors, 422)
    result = retention.apply(ctx, by=viewer.email)
    return RedirectResponse(f"/admin/retention?applied={result.total}", status_code=303)


@router.get("/subject-access")
def subject_access_form(request: Request, ctx: Ctx, viewer: Controller) -> Response:
    return render(request, "admin_subject_access.html", errors=Errors(), form={})


@router.post("/subject-access")
def subject_access_export(request: Request, ctx: Ctx, viewer: Controller, form: Form) -> Response:
    errors = Errors()
    who = form.get("who")
    field = {"user": "email", "party": "party"}.get(who or "")
    if field is None:
        errors.add("who-user", "Select whether the person is a user or a person in a case")
    elif not form.get(field, "").strip():
        errors.add(field, "Enter the email address" if field == "email" else "Enter the case reference and party id")
    if errors:
        return render(request, "admin_subject_access.html", status=422, errors=errors, form=form)
    try:
        if who == "user":
            data = export_user(ctx, form.get("email", ""), by=viewer.email)
        else:
            data = export_party(ctx, form.get("party", ""), by=viewer.email)
    except DhrError as err:
        errors.add(field or "email", "Nobody matches that: check it" if isinstance(err, NotFound) else str(err))
        return render(request, "admin_subject_access.html", status=422, errors=errors, form=form)
    if form.get("format") == "json":
        return Response(
            json.dumps(data, indent=2, ensure_ascii=False),
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="subject-access-export.json"'},
        )
    return render(request, "admin_subject_access_export.html", data=data, sections=sections(data))

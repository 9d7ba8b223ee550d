"""The case page's panel meeting forms: arrange, move and cancel (invitations go out through the reminder ledger,
cases/panel_meetings.py). Same rules as the other case forms: a case you cannot see is a 404, one you cannot
change a 403."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.cases import panel_meetings
from dhr_workflow.cases.meetings import parse_local_time
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import DhrError
from dhr_workflow.web.case_page import changeable_case, render_case_page
from dhr_workflow.web.deps import Ctx, Form, Viewer
from dhr_workflow.web.forms import Errors, date_input, whole_number

router = APIRouter(include_in_schema=False)

MeetingId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/cases/{ref}/panel-meetings")
def arrange(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    when = _when(ctx, form, "meeting", errors)
    minutes = _minutes(form, "meeting", errors)
    if when is not None and minutes is not None:
        try:
            panel_meetings.schedule(ctx, ref, when, minutes, by=viewer.email)
        except DhrError as err:
            errors.add(_field_for(err, "meeting"), str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=meeting_arranged#panel-meetings", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/panel-meetings/{meeting_id}/move")
def move(request: Request, ctx: Ctx, viewer: Viewer, form: Form, meeting_id: MeetingId) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    prefix = f"move-{meeting_id}"
    when = _when(ctx, form, prefix, errors)
    minutes = _minutes(form, prefix, errors)
    if when is not None and minutes is not None:
        try:
            panel_meetings.move(ctx, ref, meeting_id, when, minutes, by=viewer.email)
        except DhrError as err:
            errors.add(_field_for(err, prefix), str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=meeting_moved#panel-meetings", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/panel-meetings/{meeting_id}/cancel")
def cancel(request: Request, ctx: Ctx, viewer: Viewer, meeting_id: MeetingId) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    panel_meetings.cancel(ctx, ref, meeting_id, by=viewer.email)
    return RedirectResponse(f"/cases/{ref}?done=meeting_cancelled#panel-meetings", status_code=303)


def _field_for(err: DhrError, prefix: str) -> str:
    """The service's complaint is about the length or about the day; point the error summary at that field."""
    return f"{prefix}-minutes" if "minutes" in str(err) else f"{prefix}-date"


def _when(ctx: AppContext, form: dict[str, str], prefix: str, errors: Errors) -> datetime | None:
    day = date_input(form, "date", f"{prefix}-date", "the day of the meeting", errors, required=True)
    time = form.get("time", "").strip()
    if not time:
        errors.add(f"{prefix}-time", "Enter the start time, for example 10:00")
    if day is None or not time:
        return None
    try:
        return parse_local_time(f"{day.isoformat()} {time}", ctx.settings.timezone, "the meeting time")
    except DhrError as err:
        errors.add(f"{prefix}-date", str(err))
        return None


def _minutes(form: dict[str, str], prefix: str, errors: Errors) -> int | None:
    minutes = whole_number(form.get("minutes"), f"{prefix}-minutes", "The length in minutes", errors)
    if minutes is None and not errors.for_field(f"{prefix}-minutes"):
        errors.add(f"{prefix}-minutes", "Enter how long the meeting lasts in minutes, for example 120")
    return minutes

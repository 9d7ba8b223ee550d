"""The Delivery Group meetings page: the quarterly themed meetings with their agenda packs and calendar file, and,
for the community safety team and the chairs, the forms `dhr meeting` has: schedule the next meetings, move one,
cancel one, and put the latest commentary round's collated plan on a meeting's agenda. The Board sees the page
without the forms; the service refuses anyone else's changes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import DhrError, NotFound, NotPermitted
from dhr_workflow.lessons import meetings
from dhr_workflow.lessons.rules import THEME_LABELS, Scope, scope_for
from dhr_workflow.people.tables import User
from dhr_workflow.web.deps import Ctx, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_input, whole_number
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
DONE = {
    "scheduled": "The meetings were scheduled. Send the calendar file so people have them.",
    "moved": "The meeting was moved. Send the calendar file again: it updates the same calendar entry.",
    "cancelled": "The meeting was cancelled. Send the calendar file again so calendars drop it.",
    "presented": "The collated plan is on the meeting's agenda.",
}


def _viewer_may_see(viewer: User) -> bool:
    if scope_for(viewer.role) not in (Scope.ALL, Scope.AGGREGATE):
        raise Forbidden("Delivery Group papers are for the community safety team, the chairs and the Board.")
    return scope_for(viewer.role) is Scope.ALL


def _must_organise(viewer: User) -> None:
    if not _viewer_may_see(viewer):
        raise Forbidden("Only the community safety team and the chairs organise Delivery Group meetings.")


@router.get("/plan/meetings")
def meetings_page(request: Request, ctx: Ctx, viewer: Viewer, done: str = "") -> Response:
    return _page(request, ctx, viewer, Errors(), {}, 200, DONE.get(done, ""))


def _page(
    request: Request, ctx: AppContext, viewer: User, errors: Errors, form: dict[str, str], status: int, done: str
) -> Response:
    return render(
        request,
        "plan_meetings.html",
        status=status,
        meetings=meetings.list_meetings(ctx),
        may_organise=_viewer_may_see(viewer),
        themes=THEME_LABELS,
        errors=errors,
        form=form,
        done=done,
    )


def _start_time(value: str, field: str, errors: Errors, *, required: bool) -> time | None:
    text = value.strip()
    if not text:
        if required:
            errors.add(field, "Enter the start time, for example 10:00")
        return None
    found = _TIME.fullmatch(text)
    if not found:
        errors.add(field, "The start time must be a time of day, for example 10:00 or 14:30")
        return None
    return time(int(found.group(1)), int(found.group(2)))


def _attempt(
    request: Request,
    ctx: AppContext,
    viewer: User,
    form: dict[str, str],
    errors: Errors,
    field: str | Callable[[str], str],
    change: Callable[[], Any],
    done: str,
) -> Response:
    if not errors:
        try:
            change()
        except NotPermitted:
            raise
        except DhrError as err:
            if isinstance(err, NotFound) and str(err).startswith("no meeting"):
                raise  # an unknown meeting is a 404 page
            errors.add(field(str(err)) if callable(field) else field, str(err))
        else:
            return RedirectResponse(f"/plan/meetings?done={done}", status_code=303)
    return _page(request, ctx, viewer, errors, form, 422, "")


@router.post("/plan/meetings")
def schedule(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    _must_organise(viewer)
    errors = Errors()
    first = date_input(form, "first", "schedule-first", "the date of the first meeting", errors, required=True)
    count = whole_number(form.get("count"), "schedule-count", "The number of meetings", errors)
    if count is not None and not 1 <= count <= 8:
        errors.add("schedule-count", "The number of meetings must be between 1 and 8")
    at = _start_time(form.get("time", ""), "schedule-time", errors, required=True)
    minutes = whole_number(form.get("minutes"), "schedule-minutes", "The length in minutes", errors)
    location = form.get("location", "").strip()
    if not location:
        errors.add("schedule-location", "Enter where the meetings are held")
    posted = {**form, "form": "schedule"}

    def change() -> None:
        meetings.schedule(
            ctx,
            first or ctx.today(),
            count=count or 4,
            at=at or time(10, 0),
            minutes=minutes or 120,
            location=location,
            first_theme=form.get("theme") or None,
            by=viewer.email,
        )

    return _attempt(request, ctx, viewer, posted, errors, _schedule_field, change, "scheduled")


def _schedule_field(message: str) -> str:
    for words, field in (
        ("minutes", "schedule-minutes"),
        ("location", "schedule-location"),
        ("theme", "schedule-theme"),
    ):
        if words in message:
            return field
    return "schedule-first"


@router.post("/plan/meetings/{meeting_id}/move")
def move(request: Request, ctx: Ctx, viewer: Viewer, form: Form, meeting_id: Id) -> Response:
    _must_organise(viewer)
    errors = Errors()
    field = f"move-{meeting_id}"
    day = date_input(form, "on", f"{field}-on", "the new date", errors, required=True)
    at = _start_time(form.get("time", ""), f"{field}-time", errors, required=False)
    posted = {**form, "meeting": str(meeting_id)}

    def change() -> None:
        meetings.reschedule(ctx, meeting_id, day or ctx.today(), at=at, by=viewer.email)

    return _attempt(request, ctx, viewer, posted, errors, f"{field}-on", change, "moved")


@router.post("/plan/meetings/{meeting_id}/cancel")
def cancel(request: Request, ctx: Ctx, viewer: Viewer, form: Form, meeting_id: Id) -> Response:
    _must_organise(viewer)
    return _attempt(
        request,
        ctx,
        viewer,
        form,
        Errors(),
        f"move-{meeting_id}-on",
        lambda: meetings.cancel(ctx, meeting_id, by=viewer.email),
        "cancelled",
    )


@router.post("/plan/meetings/{meeting_id}/present-round")
def present_round(request: Request, ctx: Ctx, viewer: Viewer, form: Form, meeting_id: Id) -> Response:
    _must_organise(viewer)
    return _attempt(
        request,
        ctx,
        viewer,
        form,
        Errors(),
        f"move-{meeting_id}-on",
        lambda: meetings.present_round_at(ctx, meeting_id, by=viewer.email),
        "presented",
    )

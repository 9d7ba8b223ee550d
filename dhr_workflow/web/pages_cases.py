"""Pages about cases: the dashboard, the case list, logging a police notification, the case page and its forms,
and the workflow diagram. Every route loads the case through the services with the viewer, so people on only
some cases get 404 for the rest."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.agencies import views as agency_views
from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases import panel_meetings, task_files, tasks
from dhr_workflow.cases import views as case_views
from dhr_workflow.cases.intake import Notification
from dhr_workflow.cases.tasks import TASK_KINDS
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import ConcurrentChange, DhrError, InvalidInput, NotPermitted
from dhr_workflow.people.roles import CASE_ROLES, may_change_cases, sees_only_own_cases
from dhr_workflow.people.tables import User
from dhr_workflow.web import extras
from dhr_workflow.web.case_findings import findings_for
from dhr_workflow.web.deps import Changer, Ctx, Files, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_parts, optional_iso_date, whole_number
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False)

DONE_MESSAGES = {
    "fired": "The case moved on.",
    "recorded": "Recorded.",
    "paused": "The clock is paused.",
    "resumed": "The clock is running again.",
    "assigned": "The person was added to the case.",
    "task_added": "The task was added.",
    "task_done": "The task is marked as done.",
    "meeting_arranged": "The panel meeting is arranged; invitations are on their way.",
    "meeting_moved": "The panel meeting has moved; the panel is sent the update.",
    "meeting_cancelled": "The panel meeting is cancelled; the panel is sent the cancellation.",
    "notified": "The notification was logged and the case created.",
    "scope_changed": "The agencies in scope have changed.",
    "requested": "The request was recorded; the agency is reminded before it is due.",
    "received": "What the agency sent is recorded.",
    "extended": "The new due date is recorded.",
    "not_required": "The request is marked not required.",
}


@router.get("/")
def dashboard(request: Request, ctx: Ctx, viewer: Viewer) -> Response:
    attention = case_views.case_page(ctx, viewer, overdue=True, per_page=25)
    return render(
        request,
        "dashboard.html",
        overdue=attention,
        open_cases=case_views.case_page(ctx, viewer, per_page=25),
        tasks=case_views.my_tasks(ctx, viewer),
        notifications=extras.notifications_for(ctx, viewer),
    )


@router.get("/cases")
def case_list(
    request: Request, ctx: Ctx, viewer: Viewer, state: str = "", overdue: bool = False, page: int = 1
) -> Response:
    state = state.strip()[:60]
    found = case_views.case_page(ctx, viewer, state=state or None, overdue=overdue, page=max(1, min(page, 10**6)))
    return render(
        request, "cases.html", found=found, state=state, overdue=overdue, pagination=_pagination(found, state, overdue)
    )


def _pagination(found: case_views.CasePage, state: str, overdue: bool) -> dict[str, Any] | None:
    if found.pages <= 1:
        return None
    from urllib.parse import urlencode

    def href(number: int) -> str:
        query = {"state": state, "overdue": "true" if overdue else "", "page": str(number)}
        return "/cases?" + urlencode({k: v for k, v in query.items() if v})

    numbers = sorted({1, found.page - 1, found.page, found.page + 1, found.pages} & set(range(1, found.pages + 1)))
    items: list[dict[str, Any]] = []
    for i, number in enumerate(numbers):
        if i and number - numbers[i - 1] > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == found.page})
    return {
        "items": items,
        "previous": {"href": href(found.page - 1)} if found.page > 1 else None,
        "next": {"href": href(found.page + 1)} if found.page < found.pages else None,
    }


@router.get("/cases/new")
def new_case_page(request: Request, viewer: Changer) -> Response:
    _not_case_scoped(viewer)
    return render(request, "case_new.html", errors=Errors(), form={})


@router.post("/cases/new")
def new_case(request: Request, ctx: Ctx, viewer: Changer, form: Form) -> Response:
    _not_case_scoped(viewer)
    errors = Errors()
    notification = _notification(form, errors)
    if notification is not None:
        try:
            ref = cases.notify_case(
                ctx, notification, coordinator=viewer.email if viewer.role == "coordinator" else None, by=viewer.email
            )
        except InvalidInput as err:
            errors.add(_field_for(str(err)), str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=notified", status_code=303)
    return render(request, "case_new.html", status=422, errors=errors, form=form)


def changeable_case(ctx: AppContext, ref: str, viewer: User) -> str:
    """The case's reference if `viewer` may change it. Visibility first: a case they may not see is a 404, never a
    403 that would confirm it exists."""
    ref = case_views.ensure_visible(ctx, ref, viewer)
    if not may_change_cases(viewer.role):
        raise Forbidden("Your role can see this case but not change it. Ask the case coordinator.")
    return ref


def _not_case_scoped(viewer: User) -> None:
    if sees_only_own_cases(viewer.role):
        raise Forbidden("Only the community safety team logs police notifications.")


def _notification(form: dict[str, str], errors: Errors) -> Notification | None:
    death = date_parts(form, "death-date", "the date of death", errors)
    notified = date_parts(form, "notified-date", "the date the CSP was notified", errors)
    for name, what in (
        ("police_ref", "the police reference"),
        ("victim_name", "the victim's name"),
        ("pseudonym", "a pseudonym"),
    ):
        if not form.get(name, "").strip():
            errors.add(name, f"Enter {what}")
    age = whole_number(form.get("victim_age"), "victim_age", "The victim's age", errors)
    if errors or death is None or notified is None:
        return None
    return Notification(death, notified, form["police_ref"], form["victim_name"], form["pseudonym"], age)


_FIELD_WORDS = (
    ("date of death", "death-date-day"),
    ("death", "death-date-day"),
    ("notification date", "notified-date-day"),
    ("notified", "notified-date-day"),
    ("police reference", "police_ref"),
    ("pseudonym", "pseudonym"),
    ("name", "victim_name"),
    ("age", "victim_age"),
)


def _field_for(message: str) -> str:
    lowered = message.lower()
    return next((field for words, field in _FIELD_WORDS if words in lowered), "death-date-day")


@router.get("/cases/{ref}")
def case_page(request: Request, ctx: Ctx, viewer: Viewer, done: str = "") -> Response:
    ref = request.path_params["ref"]
    return render_case_page(request, ctx, viewer, ref, Errors(), status=200, done=DONE_MESSAGES.get(done, ""))


def render_case_page(
    request: Request,
    ctx: AppContext,
    viewer: User,
    ref: str,
    errors: Errors,
    status: int,
    done: str = "",
    posted: dict[str, str] | None = None,
) -> Response:
    # A refused form re-shows the page the person just loaded (and whose reading was audited then): a failed request
    # changes nothing, so the re-shown page is not recorded again.
    detail = case_views.view_case(ctx, ref, viewer, record=status < 400)
    history = case_views.case_history(ctx, detail["ref"], viewer)
    definition = ctx.workflows.get(detail["workflow"]["name"], detail["workflow"]["version"])
    from dhr_workflow.workflow.diagram import text_alternative

    return render(
        request,
        "case.html",
        status=status,
        case=detail,
        history=list(reversed(history)),
        fields=definition.fields,
        clock_specs=definition.clocks,
        can_change=may_change_cases(viewer.role),
        case_roles=CASE_ROLES,
        task_kinds=TASK_KINDS,
        diagram_text=text_alternative(definition, detail),
        documents=extras.documents_for(ctx, detail["ref"], viewer),
        task_files=task_files.files_for(ctx, detail["ref"], viewer),
        meetings=panel_meetings.meetings_of(ctx, detail["ref"]),
        findings=findings_for(ctx, detail["ref"], viewer),
        agency_evidence=agency_views.case_section(ctx, detail["ref"], viewer),
        errors=errors,
        done=done,
        posted=posted or {},
        today=ctx.today().isoformat(),
    )


@router.post("/cases/{ref}/actions")
def fire_action(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    trigger = form.get("trigger", "")
    errors = Errors()
    anchor = f"action-{trigger}-on"
    on = optional_iso_date(form.get("on"), anchor, "the date it happened", errors)
    version = whole_number(form.get("version"), anchor, "The page version", errors)
    values = {k.removeprefix("field_"): v for k, v in form.items() if k.startswith("field_")}
    if not errors:
        try:
            cases.fire(ctx, ref, trigger, on=on, by=viewer.email, values=values, expected_version=version)
        except (ConcurrentChange, NotPermitted):
            raise  # a 409 or 403 page: reloading or asking someone else is the fix, not this form
        except DhrError as err:
            errors.add(f"action-{trigger}", str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=fired", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/clocks/{clock}/pause")
def pause(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    clock = request.path_params["clock"]
    anchor = f"pause-{clock}-reason"

    def change(on: date | None) -> Any:
        return cases.pause_clock(
            ctx, ref, clock, form.get("reason", ""), on=on, note=form.get("note") or None, by=viewer.email
        )

    return _clock_change(request, ctx, viewer, ref, form, anchor, change, "paused")


@router.post("/cases/{ref}/clocks/{clock}/resume")
def resume(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    clock = request.path_params["clock"]
    return _clock_change(
        request,
        ctx,
        viewer,
        ref,
        form,
        f"resume-{clock}-on",
        lambda on: cases.resume_clock(ctx, ref, clock, on=on, by=viewer.email),
        "resumed",
    )


def _clock_change(
    request: Request, ctx: AppContext, viewer: User, ref: str, form: dict[str, str], anchor: str, change: Any, done: str
) -> Response:
    errors = Errors()
    on = optional_iso_date(form.get("on"), anchor, "the date", errors)
    if not errors:
        try:
            change(on)
        except InvalidInput as err:
            errors.add(anchor, str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done={done}", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/members")
def add_member(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    try:
        cases.assign(ctx, ref, form.get("email", ""), form.get("role", ""), by=viewer.email)
    except DhrError as err:
        errors.add("member-email", str(err))
        return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)
    return RedirectResponse(f"/cases/{ref}?done=assigned", status_code=303)


@router.post("/cases/{ref}/tasks")
def add_task(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    due = optional_iso_date(form.get("due"), "task-due", "the due date", errors)
    if due is None and not errors:
        errors.add("task-due", "Enter the due date, for example 2026-12-01")
    if not errors and due is not None:
        try:
            tasks.add_task(
                ctx,
                ref,
                form.get("title", ""),
                form.get("assignee", ""),
                due,
                kind=form.get("kind", "general"),
                by=viewer.email,
            )
        except DhrError as err:
            errors.add("task-title", str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=task_added", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/tasks/{task_id}/done")
def task_done(
    request: Request,
    ctx: Ctx,
    viewer: Viewer,
    form: Form,
    files: Files,
    task_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> Response:
    ref = case_views.ensure_visible(ctx, request.path_params["ref"], viewer)
    if not may_change_cases(viewer.role):
        mine = {t["id"] for t in case_views.my_tasks(ctx, viewer)}
        if task_id not in mine:
            raise case_views.task_not_found(task_id)
    upload = files.get("file")
    attached = None
    if upload is not None:
        attached = (upload.filename or "", upload.file.read(task_files.MAX_BYTES + 1))
    tasks.complete_task(ctx, ref, task_id, by=viewer.email, file=attached)
    back = form.get("back", "")
    return RedirectResponse(
        "/tasks?done=task_done" if back == "tasks" else f"/cases/{ref}?done=task_done", status_code=303
    )


@router.get("/cases/{ref}/tasks/{task_id}/files/{file_id}")
def task_file(
    request: Request,
    ctx: Ctx,
    viewer: Viewer,
    task_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    file_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> Response:
    row = task_files.open_file(ctx, request.path_params["ref"], task_id, file_id, viewer)
    return Response(
        row.content,
        media_type=row.media_type,
        headers={"Content-Disposition": f'attachment; filename="{row.filename}"'},
    )


@router.get("/cases/{ref}/diagram.svg")
def diagram(request: Request, ctx: Ctx, viewer: Viewer) -> Response:
    detail = case_views.case_summary(ctx, request.path_params["ref"], viewer)
    svg = extras.diagram_svg(ctx, detail["workflow_name"], detail["workflow_version"], detail["state"])
    return Response(svg, media_type="image/svg+xml")


@router.get("/tasks")
def my_tasks(request: Request, ctx: Ctx, viewer: Viewer, done: str = "") -> Response:
    return render(request, "tasks.html", tasks=case_views.my_tasks(ctx, viewer), done=DONE_MESSAGES.get(done, ""))

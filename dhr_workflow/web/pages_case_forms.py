"""The forms on the case page: steps of the workflow (each asking for the fields it requires), the case details
generated from the workflow's field declarations, the publication check, clock pauses, people and tasks. A failed
form shows the case page again with what was typed; a 409 also says what changed meanwhile."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases import task_files, tasks
from dhr_workflow.cases import views as case_views
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import ConcurrentChange, DhrError, GuardFailed, InvalidInput, NotPermitted
from dhr_workflow.people.roles import may_change_cases
from dhr_workflow.people.tables import User
from dhr_workflow.web import extras
from dhr_workflow.web.case_page import changeable_case, conflict_page, may_check_publication, render_case_page
from dhr_workflow.web.deps import Ctx, Files, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_input, whole_number
from dhr_workflow.workflow.definition import FieldDef
from dhr_workflow.workflow.fields import editable_fields, parse_value

router = APIRouter(include_in_schema=False)


def field_values(
    ctx: AppContext,
    form: dict[str, str],
    prefix: str,
    specs: dict[str, FieldDef],
    errors: Errors,
    *,
    skip_empty: bool = False,
) -> dict[str, str]:
    """The workflow fields posted as field_NAME (date inputs as field_NAME-day/-month/-year), checked one by one
    so that each error is worded with the field's label and links to it (`prefix-NAME`). With skip_empty, a field
    left empty is not a change (the case details form shows every field; a step's form asks only for its own)."""
    values: dict[str, str] = {}
    for name, spec in specs.items():
        field_id = f"{prefix}-{name}"
        if spec.type == "date":
            day = date_input(form, f"field_{name}", field_id, spec.label, errors, today=ctx.today())
            if day is not None:
                values[name] = day.isoformat()
            continue
        raw = form.get(f"field_{name}")
        if raw is None or (skip_empty and not raw.strip()):
            continue
        try:
            parse_value(spec.label, spec, raw, ctx.today())
        except InvalidInput as err:
            errors.add(field_id, _worded(str(err), spec))
            continue
        values[name] = raw
    return values


def _worded(message: str, spec: FieldDef) -> str:
    if spec.type == "choice":
        return f"Select {spec.label[:1].lower() + spec.label[1:]}"
    if message.endswith(" is required"):
        return f"Enter {spec.label[:1].lower() + spec.label[1:]}"
    return message


@router.post("/cases/{ref}/actions")
def fire_action(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    trigger = form.get("trigger", "")[:60]
    errors = Errors()
    prefix = f"action-{trigger}"
    on = date_input(form, "on", f"{prefix}-on", "the date it happened", errors, today=ctx.today())
    version = whole_number(form.get("version"), f"{prefix}-on", "The page version", errors)
    detail = case_views.case_summary(ctx, ref, viewer)
    if version is not None and version != detail["version"]:
        return conflict_page(request, ctx, viewer, ref, form)  # changed since the page was loaded: say so first
    definition = ctx.workflows.get(detail["workflow_name"], detail["workflow_version"])
    wanted = {name for t in definition.transitions_from(detail["state"]) if t.trigger == trigger for name in t.requires}
    values = field_values(ctx, form, prefix, {n: definition.fields[n] for n in wanted}, errors)
    for name in sorted(wanted - set(values)):
        if not errors.for_field(f"{prefix}-{name}"):
            errors.add(f"{prefix}-{name}", _worded(" is required", definition.fields[name]))
    if not errors:
        try:
            cases.fire(ctx, ref, trigger, on=on, by=viewer.email, values=values, expected_version=version)
        except ConcurrentChange:
            return conflict_page(request, ctx, viewer, ref, form)
        except NotPermitted:
            raise  # a 403 page: asking someone with the right role is the fix, not this form
        except GuardFailed as err:  # in the page's words: what is missing (the page links to what supplies it)
            errors.add(prefix, "This cannot happen yet: " + "; ".join(getattr(m, "what", str(m)) for m in err.missing))
        except DhrError as err:
            errors.add(prefix, str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=fired", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/details")
def save_details(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    detail = case_views.case_summary(ctx, ref, viewer)
    definition = ctx.workflows.get(detail["workflow_name"], detail["workflow_version"])
    version = whole_number(form.get("version"), "details", "The page version", errors)
    if version is not None and version != detail["version"]:
        return conflict_page(request, ctx, viewer, ref, form)
    values = field_values(ctx, form, "details", editable_fields(definition), errors, skip_empty=True)
    current = detail["fields"]
    changed = {k: v for k, v in values.items() if v.strip() and str(current.get(k, "")) != v.strip()}
    if not errors:
        if not changed:
            return RedirectResponse(f"/cases/{ref}#details", status_code=303)
        try:
            cases.set_fields(ctx, ref, changed, by=viewer.email, expected_version=version)
        except ConcurrentChange:
            return conflict_page(request, ctx, viewer, ref, form)
        except DhrError as err:
            errors.add(f"details-{next(iter(changed))}", str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=details#details", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/publication-check")
def publication_check(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    if not may_check_publication(viewer):
        raise Forbidden("Only people who may see real names run the publication check.")
    from dhr_workflow.documents.publication import check

    result = check(ctx, ref, by=viewer.email)
    return render_case_page(request, ctx, viewer, ref, Errors(), status=200, publication_check=result)


@router.post("/cases/{ref}/clocks/{clock}/pause")
def pause(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    clock = request.path_params["clock"]

    def change(on: date | None) -> Any:
        return cases.pause_clock(
            ctx, ref, clock, form.get("reason", ""), on=on, note=form.get("note") or None, by=viewer.email
        )

    return _clock_change(request, ctx, viewer, ref, form, f"pause-{clock}", change, "paused", "Paused from")


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
        f"resume-{clock}",
        lambda on: cases.resume_clock(ctx, ref, clock, on=on, by=viewer.email),
        "resumed",
        "The date the clock runs again",
    )


def _clock_change(
    request: Request,
    ctx: AppContext,
    viewer: User,
    ref: str,
    form: dict[str, str],
    prefix: str,
    change: Any,
    done: str,
    label: str,
) -> Response:
    errors = Errors()
    on = date_input(form, "on", f"{prefix}-on", label, errors, today=ctx.today())
    if not errors:
        try:
            change(on)
        except InvalidInput as err:
            errors.add(f"{prefix}-reason" if "reason" in str(err) else f"{prefix}-on", str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done={done}", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/members")
def add_member(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    if not form.get("email", "").strip():
        errors.add("member-email", "Enter the email address of the person to add")
    else:
        try:
            cases.assign(ctx, ref, form.get("email", ""), form.get("role", ""), by=viewer.email)
        except DhrError as err:
            errors.add("member-email", str(err))
    if errors:
        return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)
    return RedirectResponse(f"/cases/{ref}?done=assigned", status_code=303)


@router.post("/cases/{ref}/tasks")
def add_task(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    if not form.get("title", "").strip():
        errors.add("task-title", "Enter what needs doing")
    if not form.get("assignee", "").strip():
        errors.add("task-assignee", "Enter the assignee's email address")
    due = date_input(form, "due", "task-due", "the due date", errors, required=True)
    if form.get("document") and form["document"] not in extras.shareable_documents(ctx, ref, viewer):
        errors.add("task-document", "Select a document the case has the details for, or no document")
    if not errors and due is not None:
        try:
            task = tasks.add_task(
                ctx,
                ref,
                form.get("title", ""),
                form.get("assignee", ""),
                due,
                kind=form.get("kind", "general"),
                by=viewer.email,
            )
            if form.get("document"):
                from dhr_workflow.documents.task_sharing import share

                share(ctx, ref, task.id or 0, form["document"][:60], by=viewer.email)
        except DhrError as err:
            errors.add("task-title", str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=task_added", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted={**form, "form": "task"})


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
    tasks.complete_task(ctx, ref, task_id, by=viewer.email, file=attached)  # the file and the task in one transaction
    back = form.get("back", "")
    return RedirectResponse(
        "/tasks?done=task_done" if back == "tasks" else f"/cases/{ref}?done=task_done", status_code=303
    )

"""Pages about cases: the dashboard, the case list, logging a police notification, the case page and its forms,
and the workflow diagram. Every route loads the case through the services with the viewer, so people on only
some cases get 404 for the rest."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases import task_files
from dhr_workflow.cases import views as case_views
from dhr_workflow.cases.intake import Notification
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.people.roles import sees_only_own_cases
from dhr_workflow.people.tables import User
from dhr_workflow.web import extras
from dhr_workflow.web.case_page import DONE_MESSAGES, render_case_page
from dhr_workflow.web.deps import Changer, Ctx, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_parts, whole_number
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False)


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
        request,
        "cases.html",
        found=found,
        state=state,
        stages=_stages(ctx, state),
        overdue=overdue,
        pagination=_pagination(found, state, overdue),
    )


def _stages(ctx: AppContext, chosen: str) -> list[dict[str, Any]]:
    """The filter's choices: every state of the installed case workflows, in workflow order, by its visible name."""
    items = [{"value": "", "text": "Any stage", "selected": not chosen}]
    seen: set[str] = {""}
    for definition in ctx.workflows.definitions.values():
        if definition.kind != "case":
            continue
        for name, state in definition.states.items():
            if name not in seen:
                seen.add(name)
                items.append({"value": name, "text": f"{state.stage}: {state.label}", "selected": name == chosen})
    return items


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
    return render(
        request,
        "tasks.html",
        tasks=case_views.my_tasks(ctx, viewer),
        task_documents=extras.my_task_documents(ctx, viewer),
        done=DONE_MESSAGES.get(done, ""),
    )

"""The JSON API under /api/v1, over the same services as the pages, authenticated by personal API tokens
(`Authorization: Bearer TOKEN`). People on only some cases get 404 for every other case, as on the pages."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases import tasks
from dhr_workflow.cases import views as case_views
from dhr_workflow.people.roles import may_change_cases
from dhr_workflow.web.deps import ApiUser, Ctx
from dhr_workflow.web.errors import Forbidden

router = APIRouter(prefix="/api/v1", tags=["cases"])

TaskId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such case, or you are not on it (the two are indistinguishable)"}
}
AUTH: dict[int | str, dict[str, Any]] = {401: {"description": "No valid personal API token"}}


class Me(BaseModel):
    email: str
    name: str
    role: str


class FireRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    trigger: str = Field(min_length=1, max_length=60, description="One of the case's available_triggers")
    on: date | None = Field(default=None, description="When it happened (default today); never in the future")
    values: dict[str, str] = Field(default_factory=dict, description="Fields the transition requires")
    expected_version: int | None = Field(
        default=None, ge=1, le=2**31 - 1, description="The case version you read; 409 if it changed since"
    )


class FireResult(BaseModel):
    ref: str
    trigger: str
    source: str
    dest: str


class TaskDone(BaseModel):
    ref: str
    task_id: int
    done_on: date


@router.get("/me", responses=AUTH)
def me(user: ApiUser) -> Me:
    return Me(email=user.email, name=user.name, role=user.role)


@router.get("/cases", responses=AUTH)
def get_cases(
    ctx: Ctx,
    user: ApiUser,
    response: Response,
    state: str | None = Query(default=None, max_length=60),
    overdue: bool = False,
    page: int = Query(default=1, ge=1, le=1_000_000),
    per_page: int = Query(default=100, ge=1, le=500),
) -> list[dict[str, Any]]:
    """The cases you may see, by reference; the total is in the X-Total-Count header."""
    found = case_views.case_page(ctx, user, state=state or None, overdue=overdue, page=page, per_page=per_page)
    response.headers["X-Total-Count"] = str(found.total)
    return found.rows if found.page == page else []


@router.get("/cases/{ref}", responses={**AUTH, **NOT_FOUND})
def get_case(ctx: Ctx, user: ApiUser, ref: str) -> dict[str, Any]:
    detail = case_views.view_case(ctx, ref, user, what="api")
    if not may_change_cases(user.role):
        detail["available_triggers"], detail["actions"] = [], []
    return detail


@router.get("/cases/{ref}/history", responses={**AUTH, **NOT_FOUND})
def get_history(ctx: Ctx, user: ApiUser, ref: str) -> list[dict[str, Any]]:
    return case_views.view_history(ctx, ref, user)


@router.post("/cases/{ref}/fire", responses={**AUTH, **NOT_FOUND, 409: {"description": "Not possible now, or changed"}})
def fire(ctx: Ctx, user: ApiUser, ref: str, body: FireRequest) -> FireResult:
    ref = case_views.ensure_visible(ctx, ref, user)  # visibility first: 404, never a 403 that confirms it exists
    if not may_change_cases(user.role):
        raise Forbidden("Your role can read cases but not change them")
    outcome = cases.fire(
        ctx, ref, body.trigger, on=body.on, by=user.email, values=body.values, expected_version=body.expected_version
    )
    return FireResult(ref=ref, trigger=outcome.trigger, source=outcome.source, dest=outcome.dest)


@router.get("/tasks", responses=AUTH)
def get_my_tasks(ctx: Ctx, user: ApiUser, include_done: bool = False) -> list[dict[str, Any]]:
    return case_views.my_tasks(ctx, user, include_done=include_done)


@router.post("/cases/{ref}/tasks/{task_id}/done", responses={**AUTH, **NOT_FOUND})
def complete(ctx: Ctx, user: ApiUser, ref: str, task_id: TaskId) -> TaskDone:
    ref = case_views.ensure_visible(ctx, ref, user)
    if not may_change_cases(user.role) and task_id not in {t["id"] for t in case_views.my_tasks(ctx, user)}:
        raise case_views.task_not_found(task_id)
    task = tasks.complete_task(ctx, ref, task_id, by=user.email)
    return TaskDone(ref=ref, task_id=task.id or 0, done_on=task.done_on or ctx.today())


def document_states(app: Any, states: list[str]) -> None:
    """Name the installed workflows' states in /openapi.json as the only values of `state` (others get a 422 listing
    them, issue 16), so clients and schema-driven tests know them."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema: dict[str, Any] = build()
        for param in schema.get("paths", {}).get("/api/v1/cases", {}).get("get", {}).get("parameters", []):
            if param.get("name") == "state":
                param["schema"] = {"anyOf": [{"type": "string", "enum": states}, {"type": "null"}], "title": "State"}
        return schema

    app.openapi = openapi

"""The forms that make the Delivery Plan: the plan itself (what `dhr plan create` does: a title, the period as two
GOV.UK date inputs, objectives and the Delivery Group chair), offered on /plan while there is none; and an action
(what `dhr action add` does): the SMART statement, the owner agency, the target date, the theme or the
recommendation it carries out, the lead officer, the outcome, milestones with their own due dates and cross-cutting
topics. Only the community safety team and the CSP chair change the plan itself; the services check it too."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.agencies import directory
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import DhrError
from dhr_workflow.lessons import actions, plans, queries
from dhr_workflow.lessons.rules import THEME_LABELS, Scope, scope_for
from dhr_workflow.people.tables import User
from dhr_workflow.web.action_milestones import milestone_rows, read_milestones
from dhr_workflow.web.deps import Ctx, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_input, whole_number
from dhr_workflow.web.render import render
from dhr_workflow.web.templating import choice_items

router = APIRouter(include_in_schema=False)
MAX_OBJECTIVES = 20


def _plan_keeper(viewer: User) -> None:
    if scope_for(viewer.role) is not Scope.ALL:
        raise Forbidden("Only the community safety team and the CSP chair add actions to the Delivery Plan.")


def new_plan_page(
    request: Request, ctx: AppContext, viewer: User, errors: Errors, form: dict[str, str], status: int = 200
) -> Response:
    """What /plan shows while there is no plan: the form for those who may create one, a note for everyone else."""
    return render(request, "plan_new.html", status=status, errors=errors, form=form, may_create=_may_create(viewer))


def _may_create(viewer: User) -> bool:
    return scope_for(viewer.role) is Scope.ALL


@router.post("/plan/new")
def create_plan(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    if not _may_create(viewer):
        raise Forbidden("Only the community safety team and the CSP chair create the Delivery Plan.")
    errors = Errors()
    if not form.get("title", "").strip():
        errors.add("plan-title", "Enter the plan's title")
    start = date_input(form, "start", "plan-start", "the first day of the plan period", errors, required=True)
    end = date_input(form, "end", "plan-end", "the last day of the plan period", errors, required=True)
    objectives = [line.strip() for line in form.get("objectives", "").splitlines() if line.strip()]
    if len(objectives) > MAX_OBJECTIVES:
        errors.add("plan-objectives", f"Give at most {MAX_OBJECTIVES} objectives, one a line")
    if not errors and start is not None and end is not None:
        try:
            plans.create_plan(
                ctx,
                form.get("title", ""),
                start,
                end,
                objectives,
                chair=form.get("chair", "").strip() or None,
                by=viewer.email,
            )
        except DhrError as err:
            if err.exit_code == 8:
                raise
            errors.add(_plan_field(str(err)), str(err))
        else:
            return RedirectResponse("/plan", status_code=303)
    return new_plan_page(request, ctx, viewer, errors, form, 422)


def _plan_field(message: str) -> str:
    for words, field in (("user", "plan-chair"), ("objective", "plan-objectives"), ("period", "plan-end")):
        if words in message:
            return field
    return "plan-title"


@router.get("/plan/actions/new")
def new_action_page(request: Request, ctx: Ctx, viewer: Viewer) -> Response:
    _plan_keeper(viewer)
    return _page(request, ctx, viewer, Errors(), {}, 200)


def _page(
    request: Request, ctx: AppContext, viewer: User, errors: Errors, form: dict[str, str], status: int
) -> Response:
    recommendations = queries.plan_summary(ctx, viewer=viewer.email)["recommendations"]
    return render(
        request,
        "plan_action_new.html",
        status=status,
        errors=errors,
        form=form,
        agencies=choice_items(
            {"": "Select an agency"} | {a["slug"]: a["name"] for a in directory.list_agencies(ctx)},
            form.get("agency", ""),
        ),
        recommendations=choice_items(
            {"": "None: the partnership's own action"}
            | {str(r["id"]): _recommendation_label(r) for r in recommendations},
            form.get("recommendation", ""),
        ),
        themes=THEME_LABELS,
        milestones=milestone_rows(form),
    )


def _recommendation_label(r: dict[str, Any]) -> str:
    where = f"{r['case_ref']} recommendation {r['number']}" if r["case_ref"] else f"Recommendation {r['number']}"
    text = r["text"] if len(r["text"]) <= 90 else r["text"][:87] + "..."
    return f"{where}: {text}"


@router.post("/plan/actions/new")
def add_action(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    _plan_keeper(viewer)
    errors = Errors()
    if not form.get("description", "").strip():
        errors.add("action-description", "Enter the action, as a SMART statement")
    if not form.get("agency", "").strip():
        errors.add("action-agency", "Select the agency that owns the action")
    target = date_input(form, "target", "action-target", "the target date", errors, required=True)
    recommendation = whole_number(form.get("recommendation"), "action-recommendation", "The recommendation", errors)
    if not form.get("theme") and recommendation is None:
        errors.add("action-theme", "Select a theme, or the recommendation the action carries out")
    milestones = read_milestones(form, errors)
    if not errors and target is not None:
        new = actions.NewAction(
            description=form.get("description", ""),
            agency=form.get("agency", ""),
            target_on=target,
            theme=form.get("theme") or None,
            recommendation_id=recommendation,
            lead=form.get("lead", "").strip() or None,
            outcome=form.get("outcome", "").strip() or None,
            milestones=milestones,
            tags=[t.strip() for t in form.get("tags", "").split(",") if t.strip()][:20],
        )
        try:
            made = actions.add_action(ctx, new, by=viewer.email)
        except DhrError as err:
            errors.add(_field_for(str(err)), str(err))
        else:
            return RedirectResponse(f"/plan/actions/{made.id}?done=added", status_code=303)
    return _page(request, ctx, viewer, errors, form, 422)


def _field_for(message: str) -> str:
    """The field a service refusal is about, from the words it uses (its messages name what they refuse)."""
    for words, field in (
        ("agency", "action-agency"),
        ("lead", "action-lead"),
        ("outcome", "action-outcome"),
        ("milestone", "action-milestone-1"),
        ("tag", "action-tags"),
        ("topic", "action-tags"),
        ("recommendation", "action-recommendation"),
        ("theme", "action-theme"),
    ):
        if words in message:
            return field
    return "action-description"

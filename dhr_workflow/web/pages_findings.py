"""The case page's forms for what the review found: recommendations (add, agree, accept, reject, link to an
action), Home Office QA feedback (a round, its items, their answers) and the family's involvement (members, the
contact log). Same rules as the other case forms: a case
you cannot see is a 404, one you cannot change a 403; the service decides the rest and its refusal is shown against
the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import DhrError, NotFound, NotPermitted
from dhr_workflow.family import involvement
from dhr_workflow.findings import sections
from dhr_workflow.lessons import recommendations
from dhr_workflow.lessons.actions import record_national_response, send_to_national_body
from dhr_workflow.lessons.rules import may_approve_closure
from dhr_workflow.people.tables import User
from dhr_workflow.qa import rounds
from dhr_workflow.web.case_page import changeable_case, render_case_page
from dhr_workflow.web.deps import Ctx, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_input, whole_number

router = APIRouter(include_in_schema=False)
STEP_DATES = {
    "agree": "the day the panel agreed it",
    "accept": "the day the addressee accepted it",
    "send": "the day it was sent to the national body",
}


def _attempt(
    request: Request,
    ctx: AppContext,
    viewer: User,
    ref: str,
    form: dict[str, str],
    field: str,
    change: Callable[[], Any],
    errors: Errors | None = None,
    anchor: str = "recommendations",
) -> Response:
    errors = errors or Errors()
    if not errors:
        try:
            change()
        except NotPermitted:
            raise  # a 403 page: someone else must do it
        except DhrError as err:
            errors.add(field, str(err))
        else:
            return RedirectResponse(f"/cases/{ref}?done=recorded#{anchor}", status_code=303)
    return render_case_page(request, ctx, viewer, ref, errors, status=422, posted=form)


@router.post("/cases/{ref}/recommendations")
def add(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    return _attempt(
        request,
        ctx,
        viewer,
        ref,
        form,
        "recommendation-text",
        lambda: recommendations.add(
            ctx,
            ref,
            text=form.get("text", ""),
            addressee_type=form.get("addressee_type", ""),
            addressee=form.get("addressee") or None,
            single_agency=form.get("single_agency") or None,
            by=viewer.email,
        ),
    )


@router.post("/cases/{ref}/recommendations/{number}/{step}")
def step(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    number, what = request.path_params["number"], request.path_params["step"]
    field = f"recommendation-{number}-{what}"
    errors = Errors()
    on = date_input(form, "on", field, STEP_DATES.get(what, "the date"), errors, today=ctx.today())
    changes: dict[str, Callable[[], Any]] = {
        "agree": lambda: recommendations.agree(ctx, ref, number, on=on, by=viewer.email),
        "accept": lambda: recommendations.accept(ctx, ref, number, on=on, by=viewer.email),
        "reject": lambda: recommendations.reject(ctx, ref, number, form.get("reason", ""), on=on, by=viewer.email),
    }
    if what == "link":
        action = whole_number(form.get("action"), field, "The action number", errors)
        changes["link"] = lambda: recommendations.link(ctx, ref, number, action or 0, by=viewer.email)
        if action is None and not errors:
            errors.add(field, "Enter the number of the action that carries it out")
    if what in ("send", "response"):
        changes |= _national_steps(ctx, viewer, ref, number, form, on, field, errors)
    if what not in changes:
        raise NotFound(f"no such step '{what}'")
    return _attempt(request, ctx, viewer, ref, form, field, changes[what], errors)


def _national_steps(
    ctx: AppContext,
    viewer: User,
    ref: str,
    number: str,
    form: dict[str, str],
    on: Any,
    field: str,
    errors: Errors,
) -> dict[str, Callable[[], Any]]:
    """A national recommendation's steps after the panel agrees it (`dhr recommendation send` and `response`): the
    services take the recommendation's id, found here among the case's own so another case's cannot be reached."""
    if not may_approve_closure(viewer.role):
        raise Forbidden("Only the community safety team or the CSP chair records what a national body was sent.")
    rows = recommendations.list_for_case(ctx, ref, viewer=viewer)
    rec_id = next((r["id"] for r in rows if r["number"] == number), None)
    if rec_id is None:
        raise NotFound(f"{ref} has no recommendation {number}")
    status = form.get("national_status", "")
    if field.endswith("-response") and not status:
        errors.add(field, "Select what the national body said")
    return {
        "send": lambda: send_to_national_body(ctx, rec_id, on=on, by=viewer.email),
        "response": lambda: record_national_response(
            ctx, rec_id, status, form.get("response") or None, by=viewer.email
        ),
    }


@router.post("/cases/{ref}/qa/rounds")
def qa_round(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    letter = date_input(
        form, "letter_date", "qa-letter-date", "the date of the feedback letter", errors, today=ctx.today()
    )
    meeting = date_input(
        form, "meeting_date", "qa-meeting-date", "the date of the QA panel meeting", errors, today=ctx.today()
    )
    return _attempt(
        request,
        ctx,
        viewer,
        ref,
        form,
        "qa-letter-date",
        lambda: rounds.open_round(ctx, ref, letter_date=letter, meeting_date=meeting, by=viewer.email),
        errors,
        "home-office-qa",
    )


@router.post("/cases/{ref}/qa/items")
def qa_item(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    return _attempt(
        request,
        ctx,
        viewer,
        ref,
        form,
        "qa-item-text",
        lambda: rounds.add_item(ctx, ref, form.get("text", ""), by=viewer.email),
        anchor="home-office-qa",
    )


@router.post("/cases/{ref}/qa/items/{number}/answer")
def qa_answer(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    raw = request.path_params["number"]
    number = int(raw) if raw.isdigit() and len(raw) < 6 else 0
    field = f"qa-item-{raw}-response"
    return _attempt(
        request,
        ctx,
        viewer,
        ref,
        form,
        field,
        lambda: rounds.answer_item(
            ctx, ref, number, response=form.get("response", ""), section=form.get("section", ""), by=viewer.email
        ),
        anchor="home-office-qa",
    )


@router.post("/cases/{ref}/family")
def family_add(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    return _attempt(
        request,
        ctx,
        viewer,
        ref,
        form,
        "family-name",
        lambda: involvement.add_member(
            ctx,
            ref,
            name=form.get("name", ""),
            relationship=form.get("relationship", ""),
            advocate=form.get("advocate", "none"),
            wants_involvement=form.get("wants_involvement") or None,
            pseudonym=form.get("pseudonym") or None,
            language=form.get("language") or None,
            accessibility_needs=form.get("needs") or None,
            contact_preference=form.get("contact") or None,
            by=viewer.email,
        ),
        anchor="family",
    )


@router.post("/cases/{ref}/family/contacts")
def family_contact(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    errors = Errors()
    on = date_input(form, "on", "family-contact-on", "the day of the contact", errors, today=ctx.today())
    party = whole_number(form.get("party"), "family-contact-party", "The family member", errors)
    return _attempt(
        request,
        ctx,
        viewer,
        ref,
        form,
        "family-contact-note",
        lambda: involvement.record_contact(
            ctx,
            ref,
            party or 0,
            on=on or ctx.today(),
            how=form.get("how", ""),
            note=form.get("note", ""),
            by=viewer.email,
        ),
        errors,
        "family",
    )


@router.post("/cases/{ref}/report-sections/{name}")
def write_section(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    name = request.path_params["name"]
    return _attempt(
        request,
        ctx,
        viewer,
        ref,
        form,
        f"section-{name}",
        lambda: sections.write_section(ctx, ref, name, form.get("text", ""), by=viewer.email),
        anchor="report-sections",
    )

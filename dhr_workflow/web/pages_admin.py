"""Coordinators' administration: people and their roles, and bank-holiday overrides (which move open clocks)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.cases import calendar_changes, leavers
from dhr_workflow.core.errors import DhrError, NotFound, NotPermitted
from dhr_workflow.core.text import clean_text
from dhr_workflow.people import admin_views, tokens, users
from dhr_workflow.people.roles import ROLES
from dhr_workflow.people.tables import User
from dhr_workflow.web.deps import Ctx, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_input
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False, prefix="/admin")
ADMIN_ROLES = frozenset({"admin", "coordinator"})


def administrator(viewer: Viewer) -> User:
    if viewer.role not in ADMIN_ROLES:
        raise Forbidden("Only coordinators and administrators manage people and bank holidays.")
    return viewer


Admin = Annotated[User, Depends(administrator)]


DONE = {"added": "The person was added.", "deactivated": "The person was deactivated: they are signed out everywhere."}


@router.get("/users")
def people(request: Request, ctx: Ctx, viewer: Admin, done: str = "") -> Response:
    return _people(request, ctx, Errors(), {}, 200, DONE.get(done, ""))


def _people(request: Request, ctx: Ctx, errors: Errors, form: dict[str, str], status: int, done: str) -> Response:
    return render(
        request,
        "admin_users.html",
        status=status,
        people=admin_views.people(ctx),
        roles=ROLES,
        errors=errors,
        form=form,
        done=done,
    )


@router.post("/users")
def add_person(request: Request, ctx: Ctx, viewer: Admin, form: Form) -> Response:
    errors = Errors()
    if form.get("role") == "admin" and viewer.role != "admin":
        errors.add("role", "Only an administrator can add another administrator")
    else:
        try:
            users.add_user(
                ctx,
                form.get("email", ""),
                form.get("name", ""),
                form.get("role", ""),
                form.get("password") or None,
                by=viewer.email,
            )
        except DhrError as err:
            errors.add(_person_field(str(err)), str(err))
        else:
            return RedirectResponse("/admin/users?done=added", status_code=303)
    return _people(request, ctx, errors, form, 422, "")


@router.post("/users/{user_id}/deactivate")
def deactivate_person(request: Request, ctx: Ctx, viewer: Admin, form: Form, user_id: int) -> Response:
    """Switch a leaver off at once (sessions, tokens; reminders go to the case's coordinator)."""
    person = next((p for p in admin_views.people(ctx) if p["id"] == user_id), None)
    if person is None:
        raise NotFound("There is no such person.")
    errors = Errors()
    try:
        leavers.deactivate_user(ctx, person["email"], by=viewer.email)
    except DhrError as err:
        errors.add(f"deactivate-{user_id}", str(err))
        return _people(request, ctx, errors, {}, 403 if isinstance(err, NotPermitted) else 422, "")
    return RedirectResponse("/admin/users?done=deactivated", status_code=303)


@router.get("/tokens")
def api_tokens(request: Request, ctx: Ctx, viewer: Admin, done: str = "") -> Response:
    return _tokens(request, ctx, Errors(), 200, "The API token was revoked." if done == "revoked" else "")


def _tokens(request: Request, ctx: Ctx, errors: Errors, status: int, done: str) -> Response:
    return render(request, "admin_tokens.html", status=status, tokens=tokens.list_tokens(ctx), errors=errors, done=done)


@router.post("/tokens/{token_id}/revoke")
def revoke_api_token(request: Request, ctx: Ctx, viewer: Admin, form: Form, token_id: int) -> Response:
    errors = Errors()
    try:
        tokens.revoke_token(ctx, token_id, by=viewer.email)
    except NotFound:
        raise
    except DhrError as err:
        errors.add(f"revoke-{token_id}", str(err))
        return _tokens(request, ctx, errors, 422, "")
    return RedirectResponse("/admin/tokens?done=revoked", status_code=303)


def _person_field(message: str) -> str:
    lowered = message.lower()
    for word, field in (("password", "password"), ("role", "role"), ("name", "name")):
        if word in lowered:
            return field
    return "email"


@router.get("/holidays")
def holidays(request: Request, ctx: Ctx, viewer: Admin, moved: int = -1) -> Response:
    done = f"The calendar changed; {moved} open clock(s) moved." if 0 <= moved < 10**6 else ""
    return _holidays(request, ctx, Errors(), {}, 200, done)


def _holidays(request: Request, ctx: Ctx, errors: Errors, form: dict[str, str], status: int, done: str) -> Response:
    return render(
        request,
        "admin_holidays.html",
        status=status,
        overrides=admin_views.holiday_overrides(ctx),
        errors=errors,
        form=form,
        done=done,
        today=ctx.today().isoformat(),
    )


@router.post("/holidays")
def set_override(request: Request, ctx: Ctx, viewer: Admin, form: Form) -> Response:
    errors = Errors()
    day = date_input(form, "day", "day", "the date", errors, required=True)
    if form.get("kind") not in ("holiday", "working"):
        errors.add("kind-holiday", "Say whether the day is a bank holiday or a working day")
    if not errors and day is not None:
        try:
            name = clean_text(form.get("name", ""), "the name of the day", 200)
            moves = calendar_changes.set_override(ctx, day, name, form.get("kind") == "holiday", by=viewer.email)
        except DhrError as err:
            errors.add("name", str(err))
        else:
            return RedirectResponse(f"/admin/holidays?moved={len(moves)}", status_code=303)
    return _holidays(request, ctx, errors, form, 422, "")


@router.post("/holidays/{day}/remove")
def remove_override(request: Request, ctx: Ctx, viewer: Admin, form: Form) -> Response:
    errors = Errors()
    # the day is the link's own (YYYY-MM-DD), which date_input reads as a single value
    day = date_input({"day": request.path_params["day"][:20]}, "day", "day", "the date", errors, required=True)
    if day is None:
        return _holidays(request, ctx, errors, form, 422, "")
    moves = calendar_changes.remove_override(ctx, day, by=viewer.email)
    return RedirectResponse(f"/admin/holidays?moved={len(moves)}", status_code=303)

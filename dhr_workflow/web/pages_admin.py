"""Coordinators' administration: people and their roles, and bank-holiday overrides (which move open clocks)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.cases import calendar_changes
from dhr_workflow.core.errors import DhrError
from dhr_workflow.core.text import clean_text
from dhr_workflow.people import admin_views, users
from dhr_workflow.people.roles import ROLES
from dhr_workflow.people.tables import User
from dhr_workflow.web.deps import Ctx, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_input, optional_iso_date
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False, prefix="/admin")
ADMIN_ROLES = frozenset({"admin", "coordinator"})


def administrator(viewer: Viewer) -> User:
    if viewer.role not in ADMIN_ROLES:
        raise Forbidden("Only coordinators and administrators manage people and bank holidays.")
    return viewer


Admin = Annotated[User, Depends(administrator)]


@router.get("/users")
def people(request: Request, ctx: Ctx, viewer: Admin, done: str = "") -> Response:
    return _people(request, ctx, Errors(), {}, 200, "The person was added." if done == "added" else "")


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
    day = optional_iso_date(request.path_params["day"], "day", "the date", errors)
    if day is None:
        return _holidays(request, ctx, errors, form, 422, "")
    moves = calendar_changes.remove_override(ctx, day, by=viewer.email)
    return RedirectResponse(f"/admin/holidays?moved={len(moves)}", status_code=303)

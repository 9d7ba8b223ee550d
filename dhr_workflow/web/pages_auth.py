"""Signing in and out. Sign-in is rate limited per client address and per account (in memory, per process) on top of
the per-account lockout the service keeps in the database."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.people.sign_in import IDLE_TIMEOUT, SignInFailed, sign_in, sign_out
from dhr_workflow.web.deps import Ctx, Form, MaybeSession
from dhr_workflow.web.limits import client_address
from dhr_workflow.web.render import render
from dhr_workflow.web.security import SESSION_COOKIE, set_cookie

router = APIRouter(include_in_schema=False)

ATTEMPTS_PER_MINUTE = 10


_LOCAL_PATH = re.compile(r"^/(?![/\\])[A-Za-z0-9/_.~%?=&+-]*$")


def safe_next(value: str | None) -> str:
    """Only plain paths on this site: never an open redirect (no `//host`, backslashes, or control characters that
    browsers strip into one)."""
    if value and len(value) < 300 and _LOCAL_PATH.match(value):
        return value
    return "/"


@router.get("/login")
def login_page(request: Request, active: MaybeSession, next: str = "/", signed_out: bool = False) -> Response:  # noqa: A002
    if active is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next), errors=[], email="", signed_out=signed_out)


@router.post("/login")
def login(request: Request, ctx: Ctx, form: Form) -> Response:
    email, password = form.get("email", ""), form.get("password", "")
    next_path = safe_next(form.get("next"))
    client = client_address(request)
    errors = []
    if not email.strip():
        errors.append({"text": "Enter your email address", "href": "#email"})
    if not password:
        errors.append({"text": "Enter your password", "href": "#password"})
    account = email.strip().lower()[:320]
    if not errors and not (
        request.app.state.sign_in_limiter.allow(client) and request.app.state.account_limiter.allow(account)
    ):
        errors.append({"text": "Too many sign-in attempts. Wait a minute and try again", "href": "#email"})
        return render(request, "login.html", status=429, next=next_path, errors=errors, email=email, signed_out=False)
    if not errors:
        try:
            new = sign_in(ctx, email, password)
        except SignInFailed as err:
            errors.append({"text": str(err), "href": "#email"})
        else:
            response = RedirectResponse(next_path, status_code=303)
            set_cookie(request, response, SESSION_COOKIE, new.token, max_age=int(IDLE_TIMEOUT.total_seconds()) * 24)
            return response
    return render(request, "login.html", status=422, next=next_path, errors=errors, email=email, signed_out=False)


@router.post("/logout")
def logout(request: Request, ctx: Ctx, form: Form) -> Response:
    sign_out(ctx, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response

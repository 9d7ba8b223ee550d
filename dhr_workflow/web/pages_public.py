"""Pages anyone can use without signing in: the health check and the accessible-format request form."""

from __future__ import annotations

import hashlib
import hmac
import re

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import text

from dhr_workflow.web import extras
from dhr_workflow.web.deps import Ctx, Form, MaybeSession
from dhr_workflow.web.forms import Errors
from dhr_workflow.web.limits import client_address
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz(ctx: Ctx) -> Response:
    try:
        with ctx.db.read() as session:
            session.execute(text("select 1"))
    except Exception:  # noqa: BLE001 - reported as unhealthy, never as a stack trace
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok"})


def signed_reference(secret: str, reference: str) -> str:
    """`AFR-12.SIGNATURE`: the confirmation page shows a reference only if this service issued it, so the page can
    never be made to show text from the web address."""
    mac = hmac.new(secret.encode(), f"access-request:{reference}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{reference}.{mac}"


def reference_from(secret: str, token: str) -> str:
    """The reference in a token signed_reference made, or "" for anything else."""
    reference = token.rsplit(".", 1)[0]
    if re.fullmatch(r"AFR-\d{1,12}", reference) and hmac.compare_digest(signed_reference(secret, reference), token):
        return reference
    return ""


@router.get("/accessible-formats/request")
def request_form(request: Request, ctx: Ctx, _active: MaybeSession, sent: str = "") -> Response:
    return render(
        request,
        "accessible_request.html",
        errors=Errors(),
        form={},
        formats=extras.accessible_formats(),
        sent=reference_from(ctx.settings.secret_key.get_secret_value(), sent[:100]),
        available=extras.accessible_requests_available(),
    )


@router.post("/accessible-formats/request")
def request_submit(request: Request, ctx: Ctx, _active: MaybeSession, form: Form) -> Response:
    errors = Errors()
    limited = _over_limit(request)
    if limited is not None:
        errors.add("document", limited[0])
        response = render(
            request,
            "accessible_request.html",
            status=429,
            errors=errors,
            form=form,
            formats=extras.accessible_formats(),
            sent="",
            available=extras.accessible_requests_available(),
        )
        response.headers["Retry-After"] = str(limited[1])
        return response
    reference = extras.submit_accessible_request(ctx, form, errors)
    if reference is not None:
        token = signed_reference(ctx.settings.secret_key.get_secret_value(), reference)
        return RedirectResponse(f"/accessible-formats/request?sent={token}", status_code=303)
    return render(
        request,
        "accessible_request.html",
        status=422,
        errors=errors,
        form=form,
        formats=extras.accessible_formats(),
        sent="",
        available=extras.accessible_requests_available(),
    )


def _over_limit(request: Request) -> tuple[str, int] | None:
    """(message, seconds to wait) when this client, or everyone together, has sent too many requests this hour."""
    client = client_address(request)
    mine, everyone = request.app.state.access_client_limiter, request.app.state.access_overall_limiter
    if not mine.allow(client):
        minutes = max(1, mine.retry_after(client) // 60)
        return (
            f"You have sent a lot of requests in the last hour. Try again in about {minutes} minutes, or phone or "
            "email the community safety team if you need a document urgently",
            mine.retry_after(client),
        )
    if not everyone.allow("all"):
        return (
            "We are receiving too many requests just now. Try again in an hour, or phone or email the community "
            "safety team if you need a document urgently",
            everyone.retry_after("all"),
        )
    return None

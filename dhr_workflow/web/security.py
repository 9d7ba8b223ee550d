"""Security headers and CSRF tokens for every response and form.

Forms carry a token bound by HMAC to the signed-in session (or, before sign-in, to a random anonymous cookie), so a
page on another site cannot post a form as the person. The cookies are HttpOnly, SameSite=Lax, and Secure outside
development."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from dhr_workflow.people.sign_in import csrf_ok, csrf_token

SESSION_COOKIE = "dhr_session"
ANON_COOKIE = "dhr_form"
CSRF_FIELD = "csrf_token"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
STATIC_PREFIXES = ("/assets/", "/govuk/", "/static/")
# The interactive API docs need scripts from elsewhere; the JSON schema at /openapi.json is enough.
DOCS_PATHS = ("/docs", "/redoc")


def secure_cookies(request: Request) -> bool:
    return request.app.state.ctx.settings.environment != "development"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="lax", secure=secure_cookies(request), path="/"
    )


def form_token(request: Request) -> str:
    active = getattr(request.state, "session", None)
    if active is not None:
        return csrf_token(active.csrf_secret, "form")
    return csrf_token(_secret(request), _anon_scope(request))


def form_token_ok(request: Request, presented: str | None) -> bool:
    active = getattr(request.state, "session", None)
    if active is not None:
        return csrf_ok(active.csrf_secret, "form", presented)
    scope = request.cookies.get(ANON_COOKIE)
    return bool(scope) and csrf_ok(_secret(request), scope or "", presented)


def _secret(request: Request) -> str:
    return request.app.state.ctx.settings.secret_key.get_secret_value()


def _anon_scope(request: Request) -> str:
    scope = request.cookies.get(ANON_COOKIE) or getattr(request.state, "new_anon", None)
    if not scope:
        scope = secrets.token_urlsafe(24)
        request.state.new_anon = scope
    return scope


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith(STATIC_PREFIXES):
            response.headers["Cache-Control"] = "public, max-age=86400"
        else:
            response.headers["Cache-Control"] = "no-store"  # case pages must not linger in any cache
        if secure_cookies(request):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        new_anon = getattr(request.state, "new_anon", None)
        if new_anon:
            set_cookie(request, response, ANON_COOKIE, new_anon)
        return response

"""The one place DhrError subclasses become HTTP responses. Pages get a GOV.UK error page (forms re-render
themselves with an error summary before it comes to this); the API gets JSON `{"detail": message}`.

404 for a case someone may not see is indistinguishable from a case that does not exist."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from dhr_workflow.core.errors import (
    ConcurrentChange,
    DhrError,
    GuardFailed,
    InvalidInput,
    NotFound,
    NotPermitted,
    TriggerNotAvailable,
)
from dhr_workflow.people.sign_in import SignInFailed
from dhr_workflow.web.render import error_page

log = logging.getLogger("dhr_workflow.web")

STATUS = (
    (NotFound, 404),
    (ConcurrentChange, 409),
    (TriggerNotAvailable, 409),
    (GuardFailed, 422),
    (InvalidInput, 422),
    (SignInFailed, 401),
    (NotPermitted, 403),
)


class SignInRequired(Exception):
    """A page needs a signed-in person: redirect to the sign-in page, coming back here afterwards."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class Forbidden(Exception):
    """Signed in, may see the case, but may not make this change (a 403 page, not a 404: they can see it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


def status_for(err: DhrError) -> int:
    for kind, status in STATUS:
        if isinstance(err, kind):
            return status
    return 400


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _dhr_error(request: Request, err: Exception) -> Response:
    assert isinstance(err, DhrError)
    status = status_for(err)
    message = str(err)
    if isinstance(err, NotFound):
        message = "No such page, or you do not have access to it."  # never says which
    if is_api(request):
        body: dict[str, object] = {"detail": message}
        if isinstance(err, NotPermitted) and err.allowed:
            body["allowed_roles"] = list(err.allowed)  # structured, so clients need not parse the wording
        return JSONResponse(body, status_code=status)
    return _page(request, status, message)


async def _sign_in(request: Request, err: Exception) -> Response:
    from urllib.parse import quote

    assert isinstance(err, SignInRequired)
    return RedirectResponse(f"/login?next={quote(err.next_path, safe='/')}", status_code=303)


async def _forbidden(request: Request, err: Exception) -> Response:
    if is_api(request):
        return JSONResponse({"detail": str(err)}, status_code=403)
    return _page(request, 403, str(err))


async def _http(request: Request, err: Exception) -> Response:
    assert isinstance(err, StarletteHTTPException)
    if is_api(request) or err.status_code == 401:
        return JSONResponse({"detail": err.detail}, status_code=err.status_code, headers=err.headers)
    return _page(request, err.status_code, str(err.detail) if err.status_code not in (404, 405) else "")


async def _invalid_request(request: Request, err: Exception) -> Response:
    from fastapi.exception_handlers import request_validation_exception_handler
    from fastapi.exceptions import RequestValidationError

    assert isinstance(err, RequestValidationError)
    if is_api(request):
        return await request_validation_exception_handler(request, err)
    return _page(request, 400, "Part of the web address is not valid. Go back and try again.")


async def _crash(request: Request, err: Exception) -> Response:
    route = request.scope.get("route")
    # The exception type and route template only: exception text can carry case data, which must not reach logs.
    log.error("unhandled %s on %s", type(err).__name__, getattr(route, "path", "?"))
    if is_api(request):
        return JSONResponse({"detail": "Something went wrong; nothing was changed. Try again."}, status_code=500)
    return _page(request, 500, "Something went wrong; nothing was changed. Try again later.")


def _page(request: Request, status: int, message: str) -> Response:

    return error_page(request, status, message)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DhrError, _dhr_error)
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(Exception, _crash)

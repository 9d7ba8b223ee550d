"""Request dependencies, as Annotated aliases: the context, who is signed in (page session or API token), whether
they may change cases, and CSRF-checked form data."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import UploadFile

from dhr_workflow.core.context import AppContext
from dhr_workflow.people.roles import may_change_cases
from dhr_workflow.people.sign_in import ActiveSession, session_user, token_user
from dhr_workflow.people.tables import User
from dhr_workflow.web.errors import Forbidden, SignInRequired
from dhr_workflow.web.security import CSRF_FIELD, SESSION_COOKIE, form_token_ok

MAX_FORM_FIELDS = 60


def get_ctx(request: Request) -> AppContext:
    return request.app.state.ctx


Ctx = Annotated[AppContext, Depends(get_ctx)]


def current_session(request: Request, ctx: Ctx) -> ActiveSession | None:
    active = session_user(ctx, request.cookies.get(SESSION_COOKIE))
    request.state.session = active
    return active


MaybeSession = Annotated[ActiveSession | None, Depends(current_session)]


def signed_in(request: Request, active: MaybeSession) -> User:
    if active is None:
        path = request.url.path if request.method == "GET" else "/"
        raise SignInRequired(path)
    return active.user


Viewer = Annotated[User, Depends(signed_in)]


def case_changer(viewer: Viewer) -> User:
    if not may_change_cases(viewer.role):
        raise Forbidden("Your role can see this case but not change it. Ask the case coordinator.")
    return viewer


Changer = Annotated[User, Depends(case_changer)]


class FormExpired(HTTPException):
    def __init__(self) -> None:
        super().__init__(
            400, "This form has expired or did not come from this service. Go back, reload the page and try again."
        )


async def checked_form(request: Request, _active: MaybeSession) -> dict[str, str]:
    """The posted form, after checking its CSRF token; text fields only."""
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=5)
    token = form.get(CSRF_FIELD)
    if not isinstance(token, str) or not form_token_ok(request, token):
        raise FormExpired()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD}


Form = Annotated[dict[str, str], Depends(checked_form)]


async def uploaded_files(request: Request, _form: Form) -> dict[str, UploadFile]:
    """Files posted with a form whose token was checked (Starlette keeps the parsed form, so this reads nothing
    twice); empty file inputs are left out."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, UploadFile) and v.filename}


Files = Annotated[dict[str, UploadFile], Depends(uploaded_files)]

_bearer = HTTPBearer(auto_error=False, description="A personal API token from `dhr token create --user EMAIL`")


def api_user(ctx: Ctx, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> User:
    user = token_user(ctx, credentials.credentials if credentials else None)
    if user is None:
        raise HTTPException(
            401, "Give a valid personal API token: Authorization: Bearer TOKEN", {"WWW-Authenticate": "Bearer"}
        )
    return user


ApiUser = Annotated[User, Depends(api_user)]


def api_changer(user: ApiUser) -> User:
    if not may_change_cases(user.role):
        raise Forbidden("Your role can read cases but not change them")
    return user


ApiChanger = Annotated[User, Depends(api_changer)]

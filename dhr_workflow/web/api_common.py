"""What the API's routers for a review's records share: the responses they document, the role check that names the
roles allowed, dates held to 1900-2100, and a service's InvalidInput turned into a 422 against the field it is about,
in the same shape as FastAPI's own validation errors (`{"detail": [{"loc", "msg", "type"}]}`)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any

from fastapi import Path, UploadFile
from fastapi.exceptions import RequestValidationError

from dhr_workflow.agencies.chronology_files import ChronologyRejected
from dhr_workflow.cases import views as case_views
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.text import EARLIEST_YEAR, LATEST_YEAR
from dhr_workflow.people.roles import CASE_CHANGER_ROLES
from dhr_workflow.people.tables import User

Responses = dict[int | str, dict[str, Any]]
RESPONSES: Responses = {
    401: {"description": "No valid personal API token"},
    403: {"description": "Your role may not do this; `allowed_roles` names the roles that may"},
    404: {"description": "No such case or record, or you may not see it (the two are indistinguishable)"},
}
CHANGERS = tuple(sorted(CASE_CHANGER_ROLES))
Ref = Annotated[str, Path(min_length=1, max_length=60, description="The case reference, e.g. DHR-2026-003")]
AgencyKey = Annotated[str, Path(min_length=1, max_length=200, description="The agency's slug or name")]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
MAX_UPLOAD = 20 * 1024 * 1024


def check_dates(**days: date | None) -> None:
    """Dates outside 1900-2100 are typing mistakes: a 422 against each such field. Checked in the route, after the
    case's visibility, so a case you may not see is a 404 whatever the body says."""
    wrong = [
        {
            "loc": ("body", name),
            "msg": f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}",
            "type": "value_error",
        }
        for name, day in days.items()
        if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR
    ]
    if wrong:
        raise RequestValidationError(wrong)


def visible(ctx: AppContext, ref: str, user: User, allowed: Collection[str] | None = None, what: str = "") -> str:
    """The case's reference if `user` may see it (404 otherwise, never a 403 that confirms it exists), then, when
    `allowed` is given, a 403 naming the roles that may do `what`."""
    ref = case_views.ensure_visible(ctx, ref, user)
    if allowed is not None and user.role not in allowed:
        roles = sorted(allowed)
        raise NotPermitted(f"{what} may be done only by: {', '.join(roles)} (you are {user.role})", roles)
    return ref


@contextmanager
def about(field: str, lookup: str | None = None, words: dict[str, str] | None = None) -> Iterator[None]:
    """A service's refusal of the input, as a 422 against `field` of the body, or against the field whose `words`
    the message carries; a rejected chronology lists every bad row under `file`. An agency or person named in the
    body that does not exist is the `lookup` field's error (a case or record in the path you may not see stays 404)."""
    try:
        yield
    except NotFound as err:
        if lookup is None or not str(err).startswith(("no agency", "no user")):
            raise
        raise RequestValidationError(
            [{"loc": ("body", lookup), "msg": worded(str(err)), "type": "value_error"}]
        ) from None
    except ChronologyRejected as err:
        raise RequestValidationError(
            [{"loc": ("body", "file", e.number), "msg": e.problem, "type": "value_error"} for e in err.errors]
        ) from None
    except InvalidInput as err:
        message = str(err)
        where = next((f for w, f in (words or {}).items() if w in message), field)
        raise RequestValidationError(
            [{"loc": ("body", where), "msg": worded(message), "type": "value_error"}]
        ) from None


def worded(message: str) -> str:
    """A service's message for an API client: its advice for the command line (`dhr ...`) left out, and its option
    names (`--on`, `--letter-date`) given as the body's field names (`on`, `letter_date`)."""
    text = re.sub(r"[;,:]?\s*[^.;:(]*`dhr [^`]*`[^.;)]*", "", message)
    text = re.sub(r"--([a-z][a-z-]*)", lambda m: m.group(1).replace("-", "_"), text).strip()
    return text or message


def read_upload(upload: UploadFile) -> tuple[str, bytes]:
    """The file's name and content, reading at most one byte past the limit (the service refuses larger files)."""
    return upload.filename or "", upload.file.read(MAX_UPLOAD + 1)

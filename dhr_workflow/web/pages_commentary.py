"""The commentary round page (ADR 0041): who has answered in the round in progress, the round's next steps
(collate, reopen, present, send to the Board) as buttons, and, when no round is in progress, the form that opens
one, showing first whom it will ask, on which action, and by when. Same service as `dhr commentary`; the service
refuses anyone but the community safety team and the chairs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import DhrError, GuardFailed, NotFound, NotPermitted
from dhr_workflow.lessons import commentary, round_owners
from dhr_workflow.people.tables import User
from dhr_workflow.web.deps import Ctx, Form, Viewer
from dhr_workflow.web.forms import Errors, date_input
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False)
STEPS = ("collate", "reopen", "present", "send_to_board")
DONE = {
    "opened": "The commentary round is open: every owner of an open action has been asked for an update.",
    "collate": "The updates were collated into the plan.",
    "reopen": "The round is collecting late updates again.",
    "present": "The collated plan is recorded as presented to the Delivery Group.",
    "send_to_board": "The collated plan is recorded as sent to the Board. The round has ended.",
}


@router.get("/plan/commentary")
def commentary_page(request: Request, ctx: Ctx, viewer: Viewer, done: str = "") -> Response:
    return _page(request, ctx, viewer, Errors(), {}, 200, DONE.get(done, ""))


def _page(
    request: Request, ctx: AppContext, viewer: User, errors: Errors, form: dict[str, str], status: int, done: str
) -> Response:
    asked = round_owners.preview(ctx, by=viewer.email)  # refuses anyone who does not run rounds: a 403
    try:
        current: dict[str, Any] | None = commentary.status(ctx)
    except NotFound:
        current = None
    in_progress = current is not None and bool(current["next_steps"])
    return render(
        request,
        "plan_commentary.html",
        status=status,
        round=current,
        in_progress=in_progress,
        preview=asked,
        errors=errors,
        form=form,
        done=done,
        max_note=_note_length(ctx),
    )


def _note_length(ctx: AppContext) -> int:
    spec = ctx.workflows.latest(round_owners.WORKFLOW).fields.get("collate_note")
    return spec.max_length if spec and spec.max_length else 2000


@router.post("/plan/commentary")
def open_round(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    errors = Errors()
    on = date_input(form, "on", "round-on", "the date the round opens", errors, today=ctx.today())
    title = form.get("title", "").strip()
    if not errors:
        try:
            commentary.open_round(ctx, title=title or None, on=on, by=viewer.email)
        except NotPermitted:
            raise
        except DhrError as err:
            errors.add("round-title" if "title" in str(err) else "round-on", str(err))
        else:
            return RedirectResponse("/plan/commentary?done=opened", status_code=303)
    return _page(request, ctx, viewer, errors, {**form, "form": "open"}, 422, "")


@router.post("/plan/commentary/steps/{trigger}")
def step(request: Request, ctx: Ctx, viewer: Viewer, form: Form) -> Response:
    trigger = request.path_params["trigger"]
    if trigger not in STEPS:
        raise NotFound(f"no such step '{trigger[:40]}'")
    errors = Errors()
    field = f"step-{trigger}"
    on = date_input(form, "on", f"{field}-on", "the date it happened", errors, today=ctx.today())
    if not errors:
        try:
            commentary.advance(ctx, trigger, note=form.get("note", "").strip() or None, on=on, by=viewer.email)
        except NotPermitted:
            raise
        except GuardFailed as err:  # in the page's words: what is missing
            errors.add(
                f"{field}-note", "This cannot happen yet: " + "; ".join(getattr(m, "what", str(m)) for m in err.missing)
            )
        except DhrError as err:
            errors.add(f"{field}-on", str(err))
        else:
            return RedirectResponse(f"/plan/commentary?done={trigger}", status_code=303)
    return _page(request, ctx, viewer, errors, {**form, "form": trigger}, 422, "")

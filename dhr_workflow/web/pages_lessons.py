"""Pages for the Delivery Plan (issue 6): the plan, actions and their updates, Delivery Group meetings, the Board
report and the downloads (the commentary round is web/pages_commentary.py). Thin: each route calls
dhr_workflow.lessons with the signed-in person as `viewer`, which enforces who sees what (an agency contact sees
their agency's actions; the Board sees aggregates), and renders the dict it gets back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.core.errors import DhrError, NotFound
from dhr_workflow.lessons import action_evidence, actions, documents, meetings, plans, queries, reports
from dhr_workflow.lessons.actions import Progress
from dhr_workflow.lessons.export import plan_workbook
from dhr_workflow.lessons.rules import (
    OWNER_STATUSES,
    STATUS_LABELS,
    THEME_LABELS,
    Scope,
    Status,
    normalise_tag,
    scope_for,
)
from dhr_workflow.web.deps import Ctx, Files, Form, Viewer
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors, date_input
from dhr_workflow.web.pages_plan_forms import new_plan_page
from dhr_workflow.web.render import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
DOC_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DONE = {
    "added": "The action was added to the Delivery Plan.",
    "updated": "The action was updated.",
    "closed": "The action was closed.",
    "milestone": "The milestone is recorded as achieved.",
    "evidence": "The evidence was attached to the action.",
}


def _team_or_board(viewer: Any) -> None:
    """Delivery Group papers (agenda packs, the collated plan) are for the team, the chairs and the Board."""
    if scope_for(viewer.role) not in (Scope.ALL, Scope.AGGREGATE):
        raise Forbidden("Delivery Group papers are for the community safety team, the chairs and the Board.")


def _download(data: bytes, fmt: str, name: str) -> Response:
    kind = DOC_TYPES.get(fmt, XLSX)
    disposition = "inline" if fmt in ("html", "txt") else "attachment"
    return Response(data, media_type=kind, headers={"Content-Disposition": f'{disposition}; filename="{name}"'})


@router.get("/plan")
def plan_page(request: Request, ctx: Ctx, viewer: Viewer) -> Response:
    if not plans.has_current_plan(ctx):
        return new_plan_page(request, ctx, viewer, Errors(), {})
    summary = queries.plan_summary(ctx, viewer=viewer.email)
    return render(
        request,
        "plan.html",
        summary=summary,
        sees_actions="actions" in summary,
        team=scope_for(viewer.role) is Scope.ALL,
        papers=scope_for(viewer.role) in (Scope.ALL, Scope.AGGREGATE),
    )


@router.get("/plan/actions")
def action_list(
    request: Request,
    ctx: Ctx,
    viewer: Viewer,
    overdue: bool = False,
    theme: str = "",
    agency: str = "",
    tag: str = "",
) -> Response:
    if scope_for(viewer.role) is Scope.AGGREGATE:
        raise Forbidden("The Board sees the Delivery Plan in aggregate: see the plan page and the Board report.")
    errors, topic = Errors(), _topic(tag[:60])
    if tag.strip() and topic is None:
        errors.add("tag", "A topic has letters, numbers and hyphens only, like coercive-control")
    found = queries.list_actions(
        ctx, viewer=viewer.email, overdue=overdue, theme=theme[:40] or None, agency=agency[:200] or None, tag=topic
    )
    return render(
        request,
        "plan_actions.html",
        status=422 if errors else 200,
        errors=errors,
        actions=[] if errors else found,
        overdue=overdue,
        theme=theme[:40],
        tag=tag[:60],
        themes=THEME_LABELS,
        may_add=scope_for(viewer.role) is Scope.ALL,
    )


def _topic(tag: str) -> str | None:
    """The tag as actions store it ('Coercive control' finds coercive-control), or None when empty or not a tag."""
    if not tag.strip():
        return None
    try:
        return normalise_tag(tag)
    except DhrError:
        return None


@router.get("/plan/actions/{action_id}")
def action_page(request: Request, ctx: Ctx, viewer: Viewer, action_id: Id, done: str = "") -> Response:
    return _action_page(request, ctx, viewer, action_id, Errors(), done=DONE.get(done, ""))


def _action_page(
    request: Request,
    ctx: Ctx,
    viewer: Any,
    action_id: int,
    errors: Errors,
    status: int = 200,
    done: str = "",
    form: dict[str, str] | None = None,
) -> Response:
    detail = queries.show_action(ctx, action_id, viewer=viewer.email)
    scope = scope_for(viewer.role)
    return render(
        request,
        "plan_action.html",
        status=status,
        action=detail,
        errors=errors,
        done=done,
        may_update=scope in (Scope.ALL, Scope.AGENCY) and detail["status"] != Status.CLOSED,
        may_close=scope is Scope.ALL and detail["status"] == Status.COMPLETED and bool(detail["evidence"]),
        statuses={s: STATUS_LABELS[Status(s)] for s in OWNER_STATUSES},
        posted=form or {},
    )


@router.post("/plan/actions/{action_id}/update")
def update(request: Request, ctx: Ctx, viewer: Viewer, form: Form, action_id: Id) -> Response:
    progress = Progress(
        form.get("status") or None, form.get("note") or None, form.get("blockage") or None, form.get("request") or None
    )
    errors = Errors()
    on = date_input(form, "on", "update-on", "the date it happened", errors, today=ctx.today())
    if not errors:
        try:
            actions.update_action(ctx, action_id, progress, on=on, by=viewer.email)
        except DhrError as err:
            if err.exit_code == 4:  # not found, or not theirs: the same 404 for both
                raise
            errors.add("status", str(err))
    if errors:
        return _action_page(request, ctx, viewer, action_id, errors, status=422, form={**form, "form": "update"})
    return RedirectResponse(f"/plan/actions/{action_id}?done=updated", status_code=303)


@router.post("/plan/actions/{action_id}/close")
def close(request: Request, ctx: Ctx, viewer: Viewer, form: Form, action_id: Id) -> Response:
    errors = Errors()
    on = date_input(form, "on", "close-on", "the date it was closed", errors, today=ctx.today())
    if not errors:
        try:
            actions.close_action(ctx, action_id, by=viewer.email, note=form.get("note") or None, on=on)
        except DhrError as err:
            if err.exit_code == 4:
                raise
            errors.add("close-note", str(err))
    if errors:
        return _action_page(request, ctx, viewer, action_id, errors, status=422, form={**form, "form": "close"})
    return RedirectResponse(f"/plan/actions/{action_id}?done=closed", status_code=303)


@router.post("/plan/actions/{action_id}/milestones/{position}/done")
def milestone_done(
    request: Request, ctx: Ctx, viewer: Viewer, form: Form, action_id: Id, position: Annotated[int, Path(ge=1, le=999)]
) -> Response:
    errors = Errors()
    field = f"milestone-{position}-on"
    on = date_input(form, "on", field, "the date it was achieved", errors, today=ctx.today())
    if not errors:
        try:
            actions.complete_milestone(ctx, action_id, position, on=on, by=viewer.email)
        except DhrError as err:
            if err.exit_code == 4:  # not found, or not theirs: the same 404 for both
                raise
            errors.add(field, str(err))
        else:
            return RedirectResponse(f"/plan/actions/{action_id}?done=milestone", status_code=303)
    posted = {**form, "milestone": str(position)}
    return _action_page(request, ctx, viewer, action_id, errors, status=422, form=posted)


@router.post("/plan/actions/{action_id}/evidence")
def add_evidence(request: Request, ctx: Ctx, viewer: Viewer, form: Form, files: Files, action_id: Id) -> Response:
    errors = Errors()
    upload = files.get("file")
    if upload is None or not upload.filename:
        errors.add("evidence-file", "Choose the file that shows the action was done")
    else:
        content = upload.file.read(action_evidence.MAX_EVIDENCE_BYTES + 1)
        try:
            action_evidence.add_evidence(
                ctx, action_id, upload.filename, content, description=form.get("description") or None, by=viewer.email
            )
        except DhrError as err:
            if err.exit_code == 4:
                raise
            errors.add("evidence-description" if "description" in str(err) else "evidence-file", str(err))
        else:
            return RedirectResponse(f"/plan/actions/{action_id}?done=evidence", status_code=303)
    return _action_page(request, ctx, viewer, action_id, errors, status=422, form={**form, "form": "evidence"})


@router.get("/plan/evidence/{evidence_id}")
def evidence(ctx: Ctx, viewer: Viewer, evidence_id: Id) -> Response:
    name, kind, content = action_evidence.evidence_file(ctx, evidence_id, viewer=viewer.email)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
    return Response(content, media_type=kind, headers={"Content-Disposition": f'attachment; filename="{safe}"'})


@router.get("/plan/meetings.ics")
def invites(ctx: Ctx, viewer: Viewer) -> Response:
    _team_or_board(viewer)
    return Response(
        meetings.invites(ctx),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="delivery-group.ics"'},
    )


@router.get("/plan/meetings/{meeting_id}/invite.ics")
def invite(ctx: Ctx, viewer: Viewer, meeting_id: Id) -> Response:
    """One meeting's calendar invite (`dhr meeting invite ID`): its UID is kept, so it replaces an earlier one."""
    _team_or_board(viewer)
    if not any(m["id"] == meeting_id for m in meetings.list_meetings(ctx)):
        raise NotFound(f"no meeting {meeting_id} in the Delivery Plan")
    return Response(
        meetings.invites(ctx, [meeting_id]),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="delivery-group-meeting-{meeting_id}.ics"'},
    )


@router.get("/plan/meetings/{meeting_id}/agenda.{fmt}")
def agenda(ctx: Ctx, viewer: Viewer, meeting_id: Id, fmt: str) -> Response:
    _team_or_board(viewer)
    data = documents.render(ctx, "agenda_pack", fmt, subject=meeting_id)
    return _download(data, fmt, f"agenda-pack-{meeting_id}.{fmt}")


@router.get("/plan/collated.{fmt}")
def collated(ctx: Ctx, viewer: Viewer, fmt: str) -> Response:
    _team_or_board(viewer)
    return _download(documents.render(ctx, "collated_plan", fmt), fmt, f"collated-plan.{fmt}")


@router.get("/plan/board-report")
def board_report_page(request: Request, ctx: Ctx, viewer: Viewer) -> Response:
    return render(request, "plan_board.html", report=reports.board_report(ctx, viewer=viewer.email))


@router.get("/plan/board-report.{fmt}")
def board_report(ctx: Ctx, viewer: Viewer, fmt: str) -> Response:
    data = documents.render(ctx, "board_report", fmt, viewer=viewer.email)
    return _download(data, fmt, f"board-report.{fmt}")


@router.get("/plan/export.xlsx")
def export(ctx: Ctx, viewer: Viewer) -> Response:
    return _download(plan_workbook(ctx, viewer=viewer.email), "xlsx", "delivery-plan.xlsx")


@router.get("/cases/{ref}/learning-briefing.{fmt}")
def briefing(ctx: Ctx, viewer: Viewer, ref: str, fmt: str) -> Response:
    data = documents.render(ctx, "learning_briefing", fmt, subject=ref[:40], viewer=viewer.email)
    return _download(data, fmt, f"learning-briefing-{ref[:40]}.{fmt}")

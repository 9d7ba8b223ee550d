"""Rendering the case page, for its own route and for every form on it that fails (the form is shown again with
what was typed, its errors inline and in the summary, and after a 409 what changed meanwhile)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from dhr_workflow.agencies import views as agency_views
from dhr_workflow.cases import panel_meetings, task_files
from dhr_workflow.cases import timeline as case_timeline
from dhr_workflow.cases import views as case_views
from dhr_workflow.cases.tasks import TASK_KINDS
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.text import long_date
from dhr_workflow.people.roles import (
    CASE_ROLES,
    may_change_cases,
    sees_email_addresses,
    sees_real_names,
)
from dhr_workflow.people.tables import User
from dhr_workflow.web import extras
from dhr_workflow.web.case_accuracy import accuracy_section
from dhr_workflow.web.case_findings import findings_for
from dhr_workflow.web.errors import Forbidden
from dhr_workflow.web.forms import Errors
from dhr_workflow.web.render import render
from dhr_workflow.workflow.diagram import text_alternative
from dhr_workflow.workflow.fields import editable_fields

DONE_MESSAGES = {
    "fired": "The case moved on.",
    "details": "The case details are saved.",
    "paused": "The clock is paused.",
    "resumed": "The clock is running again.",
    "assigned": "The person was added to the case.",
    "task_added": "The task was added.",
    "task_done": "The task is marked as done.",
    "meeting_arranged": "The panel meeting is arranged; invitations are on their way.",
    "meeting_moved": "The panel meeting has moved; the panel is sent the update.",
    "meeting_cancelled": "The panel meeting is cancelled; the panel is sent the cancellation.",
    "notified": "The notification was logged and the case created.",
    "recorded": "Recorded.",
    "scope_changed": "The agencies in scope have changed.",
    "requested": "The request was recorded; the agency is reminded before it is due.",
    "received": "What the agency sent is recorded.",
    "extended": "The new due date is recorded.",
    "not_required": "The request is marked not required.",
}


def changeable_case(ctx: AppContext, ref: str, viewer: User) -> str:
    """The case's reference if `viewer` may change it. Visibility first: a case they may not see is a 404, never a
    403 that would confirm it exists."""
    ref = case_views.ensure_visible(ctx, ref, viewer)
    if not may_change_cases(viewer.role):
        raise Forbidden("Your role can see this case but not change it. Ask the case coordinator.")
    return ref


def may_check_publication(viewer: User) -> bool:
    """The check reads the real names it looks for, so only roles that see them run it."""
    return may_change_cases(viewer.role) and sees_real_names(viewer.role)


def render_case_page(
    request: Request,
    ctx: AppContext,
    viewer: User,
    ref: str,
    errors: Errors,
    status: int,
    done: str = "",
    posted: dict[str, str] | None = None,
    conflict: dict[str, Any] | None = None,
    publication_check: Any = None,
) -> Response:
    # A refused form re-shows the page the person just loaded (and whose reading was audited then): a failed request
    # changes nothing, so the re-shown page is not recorded again.
    detail = case_views.view_case(ctx, ref, viewer, record=status < 400)
    definition = ctx.workflows.get(detail["workflow"]["name"], detail["workflow"]["version"])
    task_documents: dict[int, list[dict[str, Any]]] = extras.task_documents_for(ctx, detail["ref"], viewer)
    return render(
        request,
        "case.html",
        status=status,
        case=detail,
        history=case_timeline.timeline(ctx, detail["ref"], viewer),
        access_log=case_timeline.access_log(ctx, detail["ref"], viewer),
        last_seq=case_timeline.last_seq(ctx, detail["ref"], viewer),
        fields=definition.fields,
        editable_fields=editable_fields(definition),
        wanted_fields=[],
        clock_specs=definition.clocks,
        can_change=may_change_cases(viewer.role),
        show_emails=sees_email_addresses(viewer.role),
        may_check_publication=may_check_publication(viewer),
        case_roles=CASE_ROLES,
        task_kinds=TASK_KINDS,
        diagram_text=text_alternative(definition, detail, dates=long_date),
        documents=extras.documents_for(ctx, detail["ref"], viewer),
        shareable_documents=extras.shareable_documents(ctx, detail["ref"], viewer),
        task_files=task_files.files_for(ctx, detail["ref"], viewer),
        task_documents=task_documents,
        meetings=panel_meetings.meetings_of(ctx, detail["ref"]),
        findings=findings_for(ctx, detail["ref"], viewer),
        today=ctx.today().isoformat(),
        agency_evidence=agency_views.case_section(ctx, detail["ref"], viewer),
        accuracy=accuracy_section(ctx, detail["ref"], viewer),
        errors=errors,
        done=done,
        posted=posted or {},
        conflict=conflict,
        publication_check=publication_check,
    )


def conflict_page(
    request: Request, ctx: AppContext, viewer: User, ref: str, form: dict[str, str], errors: Errors | None = None
) -> Response:
    """A 409: the form again with what was typed, and the changes recorded since the page was loaded."""
    seen = form.get("seen", "")
    changes = case_timeline.changes_since(ctx, ref, viewer, int(seen)) if seen.isdigit() and len(seen) < 12 else []
    return render_case_page(
        request, ctx, viewer, ref, errors or Errors(), status=409, posted=form, conflict={"changes": changes}
    )

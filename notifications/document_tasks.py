"""Celery task wrappers for document rendering. They bind to whichever Celery app is current (`shared_task`), so the
worker that the reminders feature runs picks them up; they only translate arguments and call the service, which is
where the work (and its tests) live: dhr_workflow.documents.versions.render_for_case."""

from __future__ import annotations

from typing import Any

from celery import shared_task


# Limits of its own: the app's default is half the reminder lease (15 s at the defaults, ADR 0053), which bounds a
# send that holds a lease; a render holds none, and a long report may take minutes to lay out.
@shared_task(
    name="dhr.documents.render",
    acks_late=True,
    max_retries=3,
    default_retry_delay=30,
    time_limit=600,
    soft_time_limit=570,
)
def render_document(
    ref: str, template: str, fmt: str, variant: str = "standard", by: str | None = None
) -> dict[str, Any]:
    """Generate (or reuse) the current version of a document and store the requested format. Returns ids only: no
    case content goes through the broker or the result backend."""
    from dhr_workflow.cli.common import app_context
    from dhr_workflow.documents.versions import render_for_case

    rendered = render_for_case(app_context(), ref, template, fmt, variant, by=by)
    return {"document_id": rendered.document_id, "version": rendered.version, "new_version": rendered.new_version}


def render_async_or_inline(
    redis_url: str | None, ref: str, template: str, fmt: str, variant: str = "standard", by: str | None = None
) -> dict[str, Any] | None:
    """In the worker when Redis is configured (returns None: the file appears in the database when done), in this
    process otherwise (returns the result)."""
    if redis_url:
        render_document.delay(ref, template, fmt, variant, by)
        return None
    return render_document.run(ref, template, fmt, variant, by)

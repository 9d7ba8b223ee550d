"""The accessible-format request queue as the people who handle requests see it: each request with the requester's
contact details (so they can reach them) and the case it belongs to, when there is one. Contact details are
personal data: every read of them is written to the audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import NotPermitted
from dhr_workflow.documents.access_requests import list_requests
from dhr_workflow.documents.tables import AccessRequest
from dhr_workflow.people.tables import User

HANDLER_ROLES = frozenset({"admin", "coordinator"})


def handles_requests(viewer: User) -> bool:
    return viewer.role in HANDLER_ROLES


def queue_for(ctx: AppContext, viewer: User, *, open_only: bool = True) -> list[dict[str, Any]]:
    """The requests with their requesters' contact details, for the roles that handle them; the read is audited."""
    if not handles_requests(viewer):
        raise NotPermitted("only the community safety team handles accessible-format requests")
    rows = list_requests(ctx, open_only=open_only)
    ids = [r["id"] for r in rows]
    with ctx.db.write() as session:
        found: list[AccessRequest] = (
            list(session.scalars(select(AccessRequest).where(AccessRequest.id.in_(ids))))  # type: ignore[union-attr]
            if ids
            else []
        )
        contacts = {
            r.id: {"name": r.requester_name, "email": r.email, "phone": r.phone, "postal_address": r.postal_address}
            for r in found
        }
        if ids:
            audit.append(
                session,
                actor=viewer.email,
                action="access_request_contact_viewed",
                occurred_on=ctx.today(),
                case_id=None,
                payload={"requests": ids},
            )
    return [{**r, "contact": contacts.get(r["id"], {})} for r in rows]

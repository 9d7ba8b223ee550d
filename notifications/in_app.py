"""The in-app notification list the web app shows a signed-in person, and marking items read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import NotFound
from dhr_workflow.core.tables import utcnow
from dhr_workflow.people.tables import User
from notifications.tables import InAppNotification


def list_in_app(ctx: AppContext, user: User, *, unread_only: bool = False, limit: int = 50) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        query = select(InAppNotification).where(InAppNotification.user_id == user.id)
        if unread_only:
            query = query.where(InAppNotification.read_at.is_(None))
        rows = session.scalars(query.order_by(InAppNotification.id.desc()).limit(limit)).all()
        return [
            {
                "id": r.id,
                "kind": r.kind,
                "title": r.title,
                "body": r.body,
                "link": r.link,
                "created_at": r.created_at.isoformat(),
                "read": r.read_at is not None,
            }
            for r in rows
        ]


def mark_read(ctx: AppContext, user: User, notification_id: int) -> None:
    """Mark one of `user`'s notifications read; someone else's is reported as missing."""
    with ctx.db.write() as session:
        row = session.get(InAppNotification, notification_id)
        if row is None or row.user_id != user.id:
            raise NotFound(f"no notification {notification_id}")
        if row.read_at is None:
            row.read_at = utcnow()

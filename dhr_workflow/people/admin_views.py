"""What the coordinators' administration pages list: people and bank-holiday overrides."""

from __future__ import annotations

from typing import Any

from dhr_workflow.core.calendar_store import list_overrides
from dhr_workflow.core.context import AppContext
from dhr_workflow.people.users import list_users


def holiday_overrides(ctx: AppContext) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        return [
            {"day": o.day.isoformat(), "name": o.name, "is_holiday": o.is_holiday, "created_by": o.created_by}
            for o in list_overrides(session)
        ]


def people(ctx: AppContext) -> list[dict[str, Any]]:
    return [
        {
            "id": u.id,
            "email": u.email,
            "name": u.name,
            "role": u.role,
            "active": u.active,
            "can_sign_in": bool(u.password_hash),
        }
        for u in list_users(ctx)
    ]

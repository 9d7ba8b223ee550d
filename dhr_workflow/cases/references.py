"""Case references: the next free number for a partnership, prefix and year, taken under a row lock so two
notifications logged at once never share one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases.tables import ReferenceCounter
from dhr_workflow.people.users import insert_ignoring_conflicts


def next_reference(session: Session, partnership_id: int, prefix: str, year: int) -> str:
    """DHR-2026-001: numbered per partnership, prefix and year, under a row lock so two notifications never clash."""
    session.execute(
        insert_ignoring_conflicts(session, ReferenceCounter).values(
            partnership_id=partnership_id, prefix=prefix, year=year, last=0
        )
    )
    counter = session.scalars(
        select(ReferenceCounter)
        .where(
            ReferenceCounter.partnership_id == partnership_id,
            ReferenceCounter.prefix == prefix,
            ReferenceCounter.year == year,
        )
        .with_for_update()
    ).one()
    counter.last += 1
    return f"{prefix}-{year}-{counter.last:03d}"

"""A closed case full of records, built through the real services (shared by the retention and web tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dhr_workflow.demo.seed import email_for
from tests.web.conftest import Demo

COORDINATOR = email_for("coordinator")
ADMIN = email_for("admin")


@dataclass
class ClosedCase:
    ref: str
    closed_on: date
    family_party_id: int
    task_file_id: int


def close_with_records(seeded: Demo, label: str = "no review, with the Home Office") -> ClosedCase:
    """The demo's no-review case with a task file, agency evidence and chronology, a family member and a contact,
    and a working document version; then closed today."""
    from dhr_workflow.cases import lifecycle, tasks
    from dhr_workflow.demo.agencies import reports_in
    from dhr_workflow.documents import versions
    from dhr_workflow.family import involvement

    ctx, ref, today = seeded.ctx, seeded.ref(label), seeded.ctx.today()
    task = tasks.add_task(ctx, ref, "Collect the GP letter", COORDINATOR, today, by=COORDINATOR)
    tasks.complete_task(ctx, ref, task.id or 0, by=COORDINATOR, file=("gp-letter.txt", b"Letter from the GP\n"))
    reports_in(ctx, ref, today - timedelta(days=5), today - timedelta(days=2), COORDINATOR)
    member = involvement.add_member(
        ctx,
        ref,
        name="Greta Sample",
        relationship="sister",
        language="Polish",
        contact_preference="Phone after 6pm",
        by=COORDINATOR,
    )
    involvement.record_contact(
        ctx, ref, member.party_id, on=today, how="phone", note="Talked about the terms of reference", by=COORDINATOR
    )
    versions.generate(ctx, ref, "notification", by=COORDINATOR)
    lifecycle.fire(ctx, ref, "home_office_accepts_no_review", on=today, by=COORDINATOR)
    from sqlalchemy import select

    from dhr_workflow.cases.tables import TaskFile

    with ctx.db.read() as session:
        file_id = session.scalars(select(TaskFile.id).where(TaskFile.task_id == task.id)).one()
    return ClosedCase(ref, today, member.party_id, file_id)

"""Retention due and apply, on both databases: a closed case past its period is anonymised and its files deleted,
each kind leaving a tombstone with no personal data; a held case is not touched; the audit chain still verifies; a
second apply and a dry run change nothing."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from dhr_workflow.agencies.tables import ChronologyEntry, EvidenceFile
from dhr_workflow.cases.tables import Case, Party, TaskFile
from dhr_workflow.core import audit
from dhr_workflow.core.tables import AuditEvent, AuditHead
from dhr_workflow.documents.tables import DocumentFile, GeneratedDocument
from dhr_workflow.family.tables import FamilyContact, FamilyMember
from dhr_workflow.retention import holds
from dhr_workflow.retention.apply import apply, due
from dhr_workflow.schema import TABLE_MODULES
from tests.retention.builders import ADMIN, COORDINATOR, ClosedCase

SIX_YEARS_ON = date(2032, 11, 20)  # the demo's today (closing day) + six years


def _case_kinds(ctx, on: date, ref: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for d in due(ctx, on):
        if d.case_ref == ref and d.kind != "delivery_ledger":
            found[d.kind] = found.get(d.kind, 0) + 1
    return found


def _case_id(session, ref: str) -> int:
    return session.scalars(select(Case.id).where(Case.ref == ref)).one()


def _snapshot(ctx) -> dict[str, object]:
    """Every table's row count and the audit head: nothing else is needed to show that nothing changed."""
    from sqlmodel import SQLModel

    counts: dict[str, object] = {}
    with ctx.db.read() as session:
        for name, table in SQLModel.metadata.tables.items():
            counts[name] = session.scalar(select(func.count()).select_from(table))
        counts["head"] = session.execute(select(AuditHead.seq, AuditHead.hash)).one()
        counts["names"] = sorted(session.scalars(select(Party.real_name)))
    assert TABLE_MODULES
    return counts


def test_nothing_of_a_closed_case_is_due_the_day_before_its_period_ends(demo, closed: ClosedCase):
    assert _case_kinds(demo.ctx, SIX_YEARS_ON - timedelta(days=1), closed.ref) == {}
    assert _case_kinds(demo.ctx, SIX_YEARS_ON, closed.ref) == {
        "working_documents": 1,
        "task_files": 1,
        "evidence_files": 1,
        "chronology_entries": 5,
        "family_contacts": 1,
        "family_members": 1,
        "parties": 2,
    }
    item = next(d for d in due(demo.ctx, SIX_YEARS_ON) if d.kind == "task_files")
    assert item.as_dict() == {
        "kind": "task_files",
        "record_id": closed.task_file_id,
        "case_ref": closed.ref,
        "action": "delete",
        "rule": "delete 6 years after case closed",
        "counted_from": closed.closed_on.isoformat(),
        "due_on": SIX_YEARS_ON.isoformat(),
    }


def test_apply_deletes_files_anonymises_people_leaves_tombstones_and_the_chain_verifies(demo, closed: ClosedCase):
    ctx = demo.ctx
    result = apply(ctx, SIX_YEARS_ON, by=ADMIN)
    assert result.done[closed.ref]["task_files"] == 1
    with ctx.db.read() as session:
        case_id = _case_id(session, closed.ref)
        assert session.get(TaskFile, closed.task_file_id) is None
        for table in (EvidenceFile, ChronologyEntry, FamilyContact):
            assert session.scalar(select(func.count()).select_from(table).where(table.case_id == case_id)) == 0
        drafts = list(session.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)))
        assert drafts and all(d.text == "" and d.data == {} for d in drafts)
        files = select(func.count()).select_from(DocumentFile)
        ids = [d.id for d in drafts]
        assert session.scalar(files.where(DocumentFile.document_id.in_(ids))) == 0
        parties = list(session.scalars(select(Party).where(Party.case_id == case_id)))
        assert all(p.real_name == p.pseudonym and p.date_of_birth is None and p.address is None for p in parties)
        member = session.scalars(select(FamilyMember).where(FamilyMember.case_id == case_id)).one()
        assert (member.language, member.contact_preference) == (None, None)
        tombstones = list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == "retention_applied", AuditEvent.case_id == case_id)
            )
        )
        assert {t.payload["kind"]: t.payload["count"] for t in tombstones}["chronology_entries"] == 5
        assert all(t.actor == ADMIN and t.payload["rule"].endswith("after case closed") for t in tombstones)
        written = json.dumps([t.payload for t in tombstones])
        assert "Greta" not in written and "gp-letter" not in written  # no personal data in a tombstone
        assert audit.verify(session).ok
    with ctx.db.read() as session:  # the other cases are open: untouched
        others = session.scalar(select(func.count()).select_from(TaskFile).where(TaskFile.case_id != case_id))
    assert others is not None


def test_a_second_apply_does_nothing(demo, closed: ClosedCase):
    apply(demo.ctx, SIX_YEARS_ON)
    before = _snapshot(demo.ctx)
    again = apply(demo.ctx, SIX_YEARS_ON)
    assert again.done == {} and again.total == 0
    assert _snapshot(demo.ctx) == before
    assert due(demo.ctx, SIX_YEARS_ON) == []


def test_a_dry_run_says_what_would_be_done_and_changes_nothing(demo, closed: ClosedCase):
    before = _snapshot(demo.ctx)
    dry = apply(demo.ctx, SIX_YEARS_ON, dry_run=True)
    assert dry.done[closed.ref]["task_files"] == 1 and dry.total > 0
    assert _snapshot(demo.ctx) == before


def test_a_held_case_has_nothing_due_and_is_not_touched_until_the_hold_is_released(demo, closed: ClosedCase):
    ctx = demo.ctx
    holds.set_hold(ctx, closed.ref, "Civil claim issued in the County Court", by=COORDINATOR)
    assert _case_kinds(ctx, SIX_YEARS_ON, closed.ref) == {}
    assert all(d.case_ref != closed.ref for d in due(ctx, SIX_YEARS_ON))  # its reminders too
    apply(ctx, SIX_YEARS_ON)
    with ctx.db.read() as session:
        assert session.get(TaskFile, closed.task_file_id) is not None
        events = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert "legal_hold_set" in events
    assert [h.case_ref for h in holds.list_holds(ctx)] == [closed.ref]
    holds.release_hold(ctx, closed.ref, "Claim settled", by=COORDINATOR)
    assert _case_kinds(ctx, SIX_YEARS_ON, closed.ref)["task_files"] == 1
    assert holds.list_holds(ctx) == []
    released = holds.list_holds(ctx, include_released=True)[0]
    assert (released.released_by, released.release_reason) == (COORDINATOR, "Claim settled")


def test_a_case_can_hold_only_once_at_a_time_and_release_needs_a_hold(demo, closed: ClosedCase):
    from dhr_workflow.core.errors import InvalidInput

    holds.set_hold(demo.ctx, closed.ref, "Inquest opened", by=COORDINATOR)
    with pytest.raises(InvalidInput, match="already under a legal hold"):
        holds.set_hold(demo.ctx, closed.ref, "Again", by=COORDINATOR)
    holds.release_hold(demo.ctx, closed.ref, "Inquest concluded", by=COORDINATOR)
    with pytest.raises(InvalidInput, match="not under a legal hold"):
        holds.release_hold(demo.ctx, closed.ref, "Again", by=COORDINATOR)


def test_open_cases_have_nothing_due_however_late(demo):
    late = date(2100, 12, 31)
    assert {d.kind for d in due(demo.ctx, late)} <= {"delivery_ledger", "in_app_notifications", "access_requests"}


def test_a_leaver_is_anonymised_six_years_after_leaving_but_their_events_stay(demo):
    from dhr_workflow.cases.leavers import deactivate_user
    from dhr_workflow.demo.seed import email_for
    from dhr_workflow.people.tables import User

    leaver = email_for("viewer")
    deactivate_user(demo.ctx, leaver, by=ADMIN)
    later = demo.ctx.today() + timedelta(days=6 * 366)
    assert [d.kind for d in due(demo.ctx, demo.ctx.today() + timedelta(days=365)) if d.kind == "leavers"] == []
    assert [d.kind for d in due(demo.ctx, later) if d.kind == "leavers"] == ["leavers"]
    apply(demo.ctx, later)
    with demo.ctx.db.read() as session:
        assert session.scalars(select(User).where(User.email == leaver)).first() is None
        left = session.scalars(select(User).where(User.active.is_(False))).one()
        assert left.name == "[anonymised]" and left.email.endswith("@anonymised.invalid")
        assert left.password_hash is None
        assert audit.verify(session).ok
    assert [d.kind for d in due(demo.ctx, later) if d.kind == "leavers"] == []


def _access_request(demo, case_ref: str | None) -> int:
    from dhr_workflow.documents import access_requests
    from dhr_workflow.documents.access_formats import RequestInput

    row = access_requests.new_request(
        demo.ctx,
        RequestInput(
            requester_name="Sam Requester",
            document="The overview report",
            format="braille",
            email="sam@example.org",
            postal_address="1 High Street",
            case_ref=case_ref,
        ),
    )
    access_requests.fulfil(demo.ctx, row.id, supplier="RNIB", by=COORDINATOR)
    return row.id


def test_a_fulfilled_accessible_format_request_is_anonymised_a_year_on_unless_its_case_is_held(demo):
    from dhr_workflow.documents.tables import AccessRequest

    free = _access_request(demo, None)
    held_ref = demo.ref("published")
    on_held = _access_request(demo, held_ref)
    holds.set_hold(demo.ctx, held_ref, "Claim issued", by=COORDINATOR)
    year_on = demo.ctx.today() + timedelta(days=365)
    assert [d.record_id for d in due(demo.ctx, year_on - timedelta(days=1)) if d.kind == "access_requests"] == []
    assert [d.record_id for d in due(demo.ctx, year_on) if d.kind == "access_requests"] == [free]
    apply(demo.ctx, year_on)
    with demo.ctx.db.read() as session:
        row = session.get(AccessRequest, free)
        assert (row.requester_name, row.email, row.postal_address) == ("[anonymised]", None, None)
        assert (row.document, row.format) == ("The overview report", "braille")  # what was asked for stays
        assert session.get(AccessRequest, on_held).requester_name == "Sam Requester"


def test_settled_reminders_go_after_two_years_and_pending_ones_never(demo):
    from dhr_workflow.core.tables import utcnow
    from notifications.ledger.tables import Reminder

    later = utcnow().date() + timedelta(days=2 * 366)  # reminder rows are dated by the wall clock
    with demo.ctx.db.read() as session:
        pending = set(session.scalars(select(Reminder.id).where(Reminder.status == "pending")))
        settled = set(session.scalars(select(Reminder.id).where(Reminder.status != "pending")))
    assert pending and settled
    ledger = {d.record_id for d in due(demo.ctx, later) if d.kind == "delivery_ledger"}
    assert ledger and ledger <= settled and not ledger & pending
    apply(demo.ctx, later)
    with demo.ctx.db.read() as session:
        assert set(session.scalars(select(Reminder.id).where(Reminder.status == "pending"))) == pending
        assert not set(session.scalars(select(Reminder.id))) & ledger
        assert audit.verify(session).ok
    assert all(d.kind != "delivery_ledger" for d in due(demo.ctx, later))


def test_in_app_notifications_go_after_a_year(demo):
    from datetime import UTC, datetime

    from dhr_workflow.core.tables import utcnow
    from notifications import delivery
    from notifications.channels import transports_from_settings
    from notifications.tables import InAppNotification

    # Deliver what the demo has due: each delivered reminder leaves a copy in the person's in-app list.
    delivery.sweep(demo.ctx, transports_from_settings(demo.ctx.settings), now=datetime(2026, 11, 20, 10, tzinfo=UTC))
    with demo.ctx.db.read() as session:
        count = session.scalar(select(func.count()).select_from(InAppNotification))
    assert count
    later = utcnow().date() + timedelta(days=366)
    assert len([d for d in due(demo.ctx, later) if d.kind == "in_app_notifications"]) == count
    apply(demo.ctx, later)
    with demo.ctx.db.read() as session:
        assert session.scalar(select(func.count()).select_from(InAppNotification)) == 0


def test_published_report_versions_are_never_due_but_the_same_cases_drafts_are(demo):
    """The published demo case, seen as if it had closed six years ago: only its non-publication versions are due."""
    from dhr_workflow.documents import versions
    from dhr_workflow.retention.case_records import find_working_documents
    from dhr_workflow.retention.schedule import load_schedule
    from dhr_workflow.retention.scope import Scope

    ref = demo.ref("published")
    versions.generate(demo.ctx, ref, "notification", by=COORDINATOR)  # a working document beside the report
    with demo.ctx.db.read() as session:
        case_id = _case_id(session, ref)
        docs = {
            d.id: d.publication
            for d in session.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == case_id))
        }
        scope = Scope(SIX_YEARS_ON, closed={case_id: (ref, demo.ctx.today())}, refs={case_id: ref})
        found = {d.record_id for d in find_working_documents(session, scope, load_schedule()["working_documents"])}
    assert any(docs.values()) and not all(docs.values())
    assert found == {doc_id for doc_id, published in docs.items() if not published}

"""Subject-access export: what the system holds about one person, with the redactions marked by rule, and every
export audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.demo.seed import email_for
from dhr_workflow.retention.export_text import as_text
from dhr_workflow.retention.subject_access import (
    CASE_TEXT,
    SECURITY,
    THIRD_PARTY,
    export_party,
    export_user,
    parse_party,
)
from tests.retention.builders import ADMIN, COORDINATOR, ClosedCase


def _last_event(ctx) -> AuditEvent:
    with ctx.db.read() as session:
        return session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()


def test_a_users_export_holds_their_record_roles_files_and_actions_with_case_text_withheld(demo, closed: ClosedCase):
    data = export_user(demo.ctx, COORDINATOR.upper(), by=ADMIN)
    assert data["account"]["email"] == COORDINATOR
    assert data["account"]["password"] == SECURITY
    assert {r["case_ref"] for r in data["case_roles"]} >= {closed.ref}
    assert any(f["filename"] == "gp-letter.txt" and f["case_ref"] == closed.ref for f in data["files_uploaded"])
    assert all(t["title"] == CASE_TEXT for t in data["tasks"])
    contacts = data["family_contacts_recorded"]
    assert contacts and all(c["note"] == CASE_TEXT for c in contacts)
    mine = data["audit_events_by_them"]
    assert mine and all(e["actor"] == COORDINATOR for e in mine)
    assert any(e["case_ref"] == closed.ref and e["action"] == "task_done" for e in mine)
    written = json.dumps(data)
    assert "Talked about the terms of reference" not in written  # a family contact note is case content
    assert "Greta" not in written  # another person's name never appears
    assert "Demo Victim" not in written
    assert "Not a domestic relationship" not in written  # the rationale set with a step, nested in its payload
    nested = [e["details"]["set"] for e in mine if isinstance(e["details"].get("set"), dict)]
    assert any(CASE_TEXT in values.values() for values in nested)  # the chair's name set on the case, withheld
    event = _last_event(demo.ctx)
    assert (event.action, event.actor) == ("subject_access_exported", ADMIN)
    assert event.payload == {"subject": "user", "user_id": data_user_id(demo)}
    assert COORDINATOR not in json.dumps(event.payload)


def data_user_id(demo) -> int:
    from dhr_workflow.people.users import user_by_email

    with demo.ctx.db.read() as session:
        return user_by_email(session, COORDINATOR).id


def test_events_about_a_user_by_someone_else_withhold_who_acted(demo):
    from dhr_workflow.cases.leavers import deactivate_user

    deactivate_user(demo.ctx, email_for("viewer"), by=ADMIN)
    data = export_user(demo.ctx, email_for("viewer"), by=ADMIN)
    about = [e for e in data["audit_events_about_them"] if e["action"] == "user_deactivated"]
    assert about and about[0]["actor"] == THIRD_PARTY
    assert data["account"]["active"] is False


def test_a_partys_export_holds_their_record_and_involvement_with_contacts_redacted(demo, closed: ClosedCase):
    data = export_party(demo.ctx, f"{closed.ref.lower()}:{closed.family_party_id}", by=ADMIN)
    assert data["party"]["real_name"] == "Greta Sample"
    assert data["party"]["relationship"] == "sister"
    assert data["family_involvement"]["language"] == "Polish"
    assert data["contacts_with_them"] == [
        {"occurred_on": closed.closed_on.isoformat(), "how": "phone", "by": THIRD_PARTY, "note": CASE_TEXT}
    ]
    assert "Demo Victim" not in json.dumps(data)
    event = _last_event(demo.ctx)
    assert event.action == "subject_access_exported" and event.payload["party_id"] == closed.family_party_id
    text = as_text(data)
    assert "What we hold about party" in text and "Greta Sample" in text and CASE_TEXT in text


def test_only_administrators_export_and_a_refusal_records_nothing(demo, closed: ClosedCase):
    before = _last_event(demo.ctx).seq
    for role in ("coordinator", "csp_chair", "panel_member", "viewer"):
        with pytest.raises(NotPermitted):
            export_user(demo.ctx, COORDINATOR, by=email_for(role))
        with pytest.raises(NotPermitted):
            export_party(demo.ctx, f"{closed.ref}:{closed.family_party_id}", by=email_for(role))
    assert _last_event(demo.ctx).seq == before


def test_unknown_people_and_malformed_party_references_are_clear_errors(demo, closed: ClosedCase):
    with pytest.raises(NotFound):
        export_user(demo.ctx, "nobody@example.org", by=ADMIN)
    with pytest.raises(NotFound):
        export_party(demo.ctx, f"{closed.ref}:999999", by=ADMIN)
    other = demo.ref("gathering evidence")
    with pytest.raises(NotFound):  # a real party id, but of another case
        export_party(demo.ctx, f"{other}:{closed.family_party_id}", by=ADMIN)
    for bad in ("nonsense", f"{closed.ref}:", ":12", f"{closed.ref}:1e3", f"{closed.ref}:99999999999999999999"):
        with pytest.raises(InvalidInput):
            parse_party(bad)

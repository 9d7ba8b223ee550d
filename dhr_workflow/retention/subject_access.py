"""Subject-access export (UK GDPR Art. 15): what the system holds about one person, for the partnership's Data
Protection Officer to review and release.

The redaction rule (ADR 0054): the export shows the facts held about the person (their record, roles, dates, what
they did and what was done about them) and never another person's data. Free text about a case (task titles, notes,
reasons, the text values of audit payloads) may name other people, so it is withheld and marked; files they uploaded
are listed, not included; other staff who acted are withheld as third parties; security secrets (password hashes,
token hashes) are withheld as security data. Reading the export is itself an audit event."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.tables import Agency, AgencyContact, EvidenceFile
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case, CaseMember, Party, Task, TaskFile
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.family.tables import FamilyContact, FamilyMember
from dhr_workflow.lessons.tables import ActionEvidence
from dhr_workflow.people.tables import ApiToken, User, WebSession
from dhr_workflow.people.users import normalise_email
from dhr_workflow.retention.access import APPLY_ROLES, acting
from notifications.ledger.tables import Reminder
from notifications.tables import InAppNotification, NotificationPreference

CASE_TEXT = "[withheld: case content, may contain third-party data]"
THIRD_PARTY = "[withheld: third-party data]"
SECURITY = "[withheld: security data]"
RULE = (
    "Shown: the facts held about the person. Withheld and marked: free text about a case (it may name other people), "
    "other people who acted, and security secrets. Files are listed, not included."
)


def _when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _payload(payload: Any) -> Any:
    """Identifiers, numbers, dates and single words stay; any text with a space in it is case content, at any depth
    (a step's payload nests the values set on the case)."""
    if isinstance(payload, dict):
        return {k: _payload(v) for k, v in payload.items()}
    if isinstance(payload, list):
        return [_payload(v) for v in payload]
    if isinstance(payload, str) and any(ch.isspace() for ch in payload):
        return CASE_TEXT
    return payload


def export_user(ctx: AppContext, email: str, *, by: str | None = None) -> dict[str, Any]:
    address = normalise_email(email)
    with ctx.db.write() as session:
        actor = acting(session, by, APPLY_ROLES, "export what is held about a person")
        user = session.scalars(select(User).where(User.email == address)).first()
        if user is None:
            raise NotFound(f"no user {address}")
        uid = user.id or 0
        refs: dict[int, str] = dict(session.execute(select(Case.id, Case.ref)).all())
        data = {
            "subject": {"kind": "user", "email": user.email},
            "redaction_rule": RULE,
            "account": {
                "email": user.email,
                "name": user.name,
                "role": user.role,
                "active": user.active,
                "created_at": _when(user.created_at),
                "password": SECURITY if user.password_hash else None,
            },
            "case_roles": [
                {"case_ref": refs.get(m.case_id), "role": m.role, "added_at": _when(m.added_at)}
                for m in session.scalars(select(CaseMember).where(CaseMember.user_id == uid).order_by(CaseMember.id))
            ],
            "tasks": [
                {
                    "case_ref": refs.get(t.case_id),
                    "title": CASE_TEXT,
                    "due_on": _when(t.due_on),
                    "done_on": _when(t.done_on),
                }
                for t in session.scalars(select(Task).where(Task.assignee_id == uid).order_by(Task.id))
            ],
            "agencies": list(
                session.scalars(
                    select(Agency.name)
                    .join(AgencyContact, AgencyContact.agency_id == Agency.id)
                    .where(AgencyContact.user_id == uid)
                )
            ),
            **_contact_data(session, uid),
            "files_uploaded": _files(session, user.email, refs),
            "family_contacts_recorded": [
                {"case_ref": refs.get(c.case_id), "occurred_on": _when(c.occurred_on), "how": c.how, "note": CASE_TEXT}
                for c in session.scalars(select(FamilyContact).where(FamilyContact.contact_by == user.email))
            ],
            "audit_events_by_them": [_event(e, refs, mine=True) for e in _events_by(session, user.email)],
            "audit_events_about_them": [
                _event(e, refs, mine=e.actor == user.email) for e in _events_naming(session, "user_id", uid)
            ],
        }
        _audited(session, ctx, actor.label, None, {"subject": "user", "user_id": uid})
        return data


def _contact_data(session: Session, uid: int) -> dict[str, Any]:
    pref = session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == uid)).first()
    statuses = session.execute(
        select(Reminder.status, func.count()).where(Reminder.recipient_id == uid).group_by(Reminder.status)
    )
    return {
        "notification_preference": {"digest": pref.digest, "sms_number": pref.sms_number} if pref else None,
        "in_app_notifications": [
            {"title": n.title, "body": n.body, "created_at": _when(n.created_at), "read_at": _when(n.read_at)}
            for n in session.scalars(select(InAppNotification).where(InAppNotification.user_id == uid))
        ],
        "reminders_by_status": dict(statuses.all()),
        "api_tokens": [
            {
                "prefix": t.prefix,
                "label": t.label,
                "token": SECURITY,
                "created_at": _when(t.created_at),
                "last_used_at": _when(t.last_used_at),
                "expires_at": _when(t.expires_at),
                "revoked_at": _when(t.revoked_at),
            }
            for t in session.scalars(select(ApiToken).where(ApiToken.user_id == uid).order_by(ApiToken.id))
        ],
        "sessions": {
            "count": session.scalar(select(func.count()).select_from(WebSession).where(WebSession.user_id == uid)),
            "last_seen_at": _when(
                session.scalar(select(func.max(WebSession.last_seen_at)).where(WebSession.user_id == uid))
            ),
        },
    }


def _files(session: Session, email: str, refs: dict[int, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for label, table, by, at in (
        ("task file", TaskFile, TaskFile.uploaded_by, TaskFile.uploaded_at),
        ("agency evidence file", EvidenceFile, EvidenceFile.uploaded_by, EvidenceFile.uploaded_at),
    ):
        for f in session.execute(select(table.filename, table.size, table.case_id, at).where(by == email)):
            rows.append({"kind": label, "filename": f[0], "size": f[1], "case_ref": refs.get(f[2]), "at": _when(f[3])})
    for f in session.execute(
        select(ActionEvidence.filename, ActionEvidence.size, ActionEvidence.added_at).where(
            ActionEvidence.added_by == email
        )
    ):
        rows.append({"kind": "action evidence", "filename": f[0], "size": f[1], "case_ref": None, "at": _when(f[2])})
    return rows


def _events_by(session: Session, email: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.actor == email).order_by(AuditEvent.seq)))


def _events_naming(session: Session, key: str, value: int) -> list[AuditEvent]:
    """Events whose payload names this record (read in Python: JSON queries differ between the databases)."""
    return [
        e
        for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))
        if isinstance(e.payload, dict) and e.payload.get(key) == value
    ]


def _event(e: AuditEvent, refs: dict[int, str], *, mine: bool) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "action": e.action,
        "occurred_on": _when(e.occurred_on),
        "case_ref": refs.get(e.case_id) if e.case_id else None,
        "actor": e.actor if mine or e.actor == "system" else THIRD_PARTY,
        "details": _payload(e.payload),
    }


def parse_party(reference: str) -> tuple[str, int]:
    ref, _, raw = reference.strip().rpartition(":")
    if not ref or not raw.isdigit() or len(raw) > 12:
        raise InvalidInput(f"'{reference}' is not a party: give the case reference and party id, as REF:ID")
    return ref, int(raw)


def export_party(ctx: AppContext, reference: str, *, by: str | None = None) -> dict[str, Any]:
    ref, party_id = parse_party(reference)
    with ctx.db.write() as session:
        actor = acting(session, by, APPLY_ROLES, "export what is held about a person")
        case = load_case(session, ref)
        party = session.get(Party, party_id)
        if party is None or party.case_id != case.id:
            raise NotFound(f"no party {party_id} on {case.ref}")
        refs = {case.id or 0: case.ref}
        member = session.scalars(select(FamilyMember).where(FamilyMember.party_id == party_id)).first()
        contacts: list[FamilyContact] = (
            list(
                session.scalars(
                    select(FamilyContact).where(FamilyContact.member_id == member.id).order_by(FamilyContact.id)
                )
            )
            if member
            else []
        )
        data = {
            "subject": {"kind": "party", "case_ref": case.ref, "party_id": party_id},
            "redaction_rule": RULE,
            "party": {
                "kind": party.kind,
                "real_name": party.real_name,
                "pseudonym": party.pseudonym,
                "age": party.age,
                "date_of_birth": _when(party.date_of_birth),
                "address": party.address,
                "relationship": party.relationship,
            },
            "family_involvement": _member(member),
            "contacts_with_them": [
                {"occurred_on": _when(c.occurred_on), "how": c.how, "by": THIRD_PARTY, "note": CASE_TEXT}
                for c in contacts
            ],
            "audit_events_about_them": [
                _event(e, refs, mine=False) for e in _events_naming(session, "party_id", party_id)
            ],
        }
        _audited(session, ctx, actor.label, case.id, {"subject": "party", "party_id": party_id})
        return data


def _member(member: FamilyMember | None) -> dict[str, Any] | None:
    if member is None:
        return None
    names = ("contact_preference", "language", "accessibility_needs", "wants_involvement", "advocate")
    found: dict[str, Any] = {name: getattr(member, name) for name in names}
    found["advocate_name"] = THIRD_PARTY if member.advocate_name else None
    found["pseudonym_consent"] = member.pseudonym_consent
    return found


def _audited(session: Session, ctx: AppContext, actor: str, case_id: int | None, payload: dict[str, Any]) -> None:
    audit.append(
        session,
        actor=actor,
        action="subject_access_exported",
        occurred_on=ctx.today(),
        case_id=case_id,
        payload=payload,
    )

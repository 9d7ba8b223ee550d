"""The partnership's directory of agencies, who speaks for each, and which agencies are in scope on a case."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dhr_workflow.agencies import reminders
from dhr_workflow.agencies.rules import AGENCY_KINDS, OPEN_STATUSES, parse_choice
from dhr_workflow.agencies.tables import Agency, AgencyContact, CaseAgency, EvidenceRequest
from dhr_workflow.cases.lifecycle import is_member, load_case
from dhr_workflow.cases.tables import Case, CaseMember
from dhr_workflow.core import audit
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import actor_for, default_partnership, user_by_email


def slug_for(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]


def add_agency(
    ctx: AppContext, name: str, kind: str = "other", *, contact_email: str | None = None, by: str = "system"
) -> Agency:
    """A new agency in the partnership's directory, with its named contact if given (an agency_contact user)."""
    name = clean_text(name, "the agency name", 200)
    slug = slug_for(name)
    if not slug:
        raise InvalidInput("the agency name needs some letters or digits")
    try:
        kind = parse_choice(kind, AGENCY_KINDS, "kind of agency")
    except ValueError as err:
        raise InvalidInput(str(err)) from None
    with ctx.db.write() as session:
        partnership = default_partnership(session)
        if session.scalars(select(Agency).where(Agency.slug == slug)).first():
            raise InvalidInput(f"there is already an agency '{slug}'")
        agency = Agency(partnership_id=partnership.id or 0, name=name, slug=slug, kind=kind)
        session.add(agency)
        session.flush()
        audit.append(
            session, actor=by, action="agency_added", occurred_on=ctx.today(), payload={"agency": slug, "kind": kind}
        )
        if contact_email:
            _add_contact(session, agency, contact_email, by, ctx.today())
        return agency


def agency_by_key(session: Session, key: str) -> Agency:
    """An agency by its slug or its exact name (case-insensitive)."""
    agency = session.scalars(select(Agency).where(Agency.slug == slug_for(key.strip()))).first()
    if agency is None:
        known = ", ".join(session.scalars(select(Agency.slug).order_by(Agency.slug))) or "none yet"
        raise NotFound(f"no agency '{key}'; agencies: {known} (add it to the agency directory first)")
    return agency  # type: ignore[no-any-return]


def add_contact(ctx: AppContext, agency_key: str, email: str, *, by: str = "system") -> None:
    with ctx.db.write() as session:
        _add_contact(session, agency_by_key(session, agency_key), email, by, ctx.today())


def _add_contact(session: Session, agency: Agency, email: str, by: str, today: date) -> None:
    user = user_by_email(session, email)
    exists = session.scalars(
        select(AgencyContact).where(AgencyContact.agency_id == agency.id, AgencyContact.user_id == user.id)
    ).first()
    if exists:
        raise InvalidInput(f"{email} already speaks for {agency.name}")
    session.add(AgencyContact(agency_id=agency.id or 0, user_id=user.id or 0))
    audit.append(
        session,
        actor=by,
        action="agency_contact_added",
        occurred_on=today,
        payload={"agency": agency.slug, "user_id": user.id},
    )


def list_agencies(ctx: AppContext) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        contacts: dict[int, list[str]] = {}
        for agency_id, email in session.execute(
            select(AgencyContact.agency_id, User.email).join(User, User.id == AgencyContact.user_id)
        ):
            contacts.setdefault(agency_id, []).append(email)
        return [
            {
                "slug": a.slug,
                "name": a.name,
                "kind": a.kind,
                "kind_label": AGENCY_KINDS.get(a.kind, a.kind),
                "contacts": sorted(contacts.get(a.id or 0, [])),
            }
            for a in session.scalars(select(Agency).order_by(Agency.name))
        ]


def agencies_of(session: Session, user: User) -> set[int]:
    """The agencies `user` speaks for."""
    return set(session.scalars(select(AgencyContact.agency_id).where(AgencyContact.user_id == user.id)))


def scope_rows(session: Session, case: Case) -> list[tuple[CaseAgency, Agency]]:
    rows = session.execute(
        select(CaseAgency, Agency)
        .join(Agency, Agency.id == CaseAgency.agency_id)
        .where(CaseAgency.case_id == case.id)
        .order_by(Agency.name)
    ).all()
    return [(r[0], r[1]) for r in rows]


def in_scope(session: Session, case: Case, agency: Agency) -> bool:
    return any(a.id == agency.id and row.removed_on is None for row, a in scope_rows(session, case))


def change_scope(
    ctx: AppContext,
    ref: str,
    *,
    add: list[str] | None = None,
    remove: list[str] | None = None,
    reason: str | None = None,
    by: str | None = None,
) -> list[dict[str, Any]]:
    """Put agencies in scope on a case (their contacts join the case) or take them out with a reason (their open
    requests are withdrawn); returns the scope as it now stands."""
    add, remove = add or [], remove or []
    if remove and not (reason and reason.strip()):
        raise InvalidInput("say why the agency is taken out of scope (a reason is required)")
    why = clean_text(reason, "the reason", 2000) if remove else None
    today = ctx.today()
    with ctx.db.write() as session:
        case = load_case(session, ref)
        actor = actor_for(session, by)
        for key in add:
            _add_to_scope(session, case, agency_by_key(session, key), actor.label, today)
        for key in remove:
            _remove_from_scope(session, case, agency_by_key(session, key), why or "", actor.label, today)
        case.updated_at = utcnow()
        definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
        reminders.sync_case(session, case, definition, load_calendar(session))  # contacts joined; withdrawn went quiet
        return scope_view(session, case)


def _add_to_scope(session: Session, case: Case, agency: Agency, actor: str, today: date) -> None:
    row = session.scalars(
        select(CaseAgency).where(CaseAgency.case_id == case.id, CaseAgency.agency_id == agency.id)
    ).first()
    if row is not None and row.removed_on is None:
        raise InvalidInput(f"{agency.name} is already in scope on {case.ref}")
    if row is None:
        session.add(CaseAgency(case_id=case.id or 0, agency_id=agency.id or 0, added_on=today, added_by=actor))
    else:
        row.added_on, row.added_by, row.removed_on, row.removed_reason, row.removed_by = today, actor, None, None, None
    for user in session.scalars(
        select(User).join(AgencyContact, AgencyContact.user_id == User.id).where(AgencyContact.agency_id == agency.id)
    ):
        if not is_member(session, case, user):
            session.add(CaseMember(case_id=case.id or 0, user_id=user.id or 0, role="agency_contact"))
    audit.append(
        session,
        actor=actor,
        action="agency_in_scope",
        occurred_on=today,
        case_id=case.id,
        payload={"agency": agency.slug},
    )


def _remove_from_scope(session: Session, case: Case, agency: Agency, reason: str, actor: str, today: date) -> None:
    row = session.scalars(
        select(CaseAgency).where(CaseAgency.case_id == case.id, CaseAgency.agency_id == agency.id)
    ).first()
    if row is None or row.removed_on is not None:
        raise InvalidInput(f"{agency.name} is not in scope on {case.ref}")
    row.removed_on, row.removed_reason, row.removed_by = today, reason, actor
    session.execute(
        update(EvidenceRequest)
        .where(
            EvidenceRequest.case_id == case.id,
            EvidenceRequest.agency_id == agency.id,
            EvidenceRequest.status.in_(OPEN_STATUSES),  # type: ignore[attr-defined]
        )
        .values(status="withdrawn", status_on=today, reason=f"Agency taken out of scope: {reason}", recorded_by=actor)
    )
    audit.append(
        session,
        actor=actor,
        action="agency_out_of_scope",
        occurred_on=today,
        case_id=case.id,
        payload={"agency": agency.slug, "reason": reason},
    )


def scope_view(session: Session, case: Case) -> list[dict[str, Any]]:
    return [
        {
            "agency": a.name,
            "slug": a.slug,
            "kind": a.kind,
            "in_scope": row.removed_on is None,
            "added_on": row.added_on,
            "removed_on": row.removed_on,
            "removed_reason": row.removed_reason,
        }
        for row, a in scope_rows(session, case)
    ]


def case_scope(ctx: AppContext, ref: str, viewer: User | None = None) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        return scope_view(session, load_case(session, ref, viewer))

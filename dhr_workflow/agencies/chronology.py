"""Agencies' chronologies: importing each agency's file (all rows or none), the merged case chronology with likely
duplicates flagged, and excluding an entry with a reason. Each change is one transaction with its audit event."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.chronology_files import ChronologyRejected, read_rows, template_workbook
from dhr_workflow.agencies.chronology_rules import Row, RowError, check_row, is_blank, likely_duplicates, order_key
from dhr_workflow.agencies.directory import agencies_of, agency_by_key, in_scope
from dhr_workflow.agencies.tables import Agency, ChronologyEntry
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text, is_id
from dhr_workflow.people.roles import CASE_CHANGER_ROLES, may_change_cases, sees_real_names
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import actor_for


def check_file(filename: str, content: bytes, today: Any) -> list[Row]:
    """Every data row of the file, checked; raises ChronologyRejected listing every bad row."""
    rows, errors = [], []
    for number, cells in read_rows(filename, content):
        if is_blank(cells):
            continue  # blank rows (between entries, or trailing) carry nothing
        checked = check_row(number, cells, today)
        if isinstance(checked, Row):
            rows.append(checked)
        else:
            errors.extend(checked)
    if errors:
        raise ChronologyRejected(errors)
    if not rows:
        raise ChronologyRejected([RowError(2, "the file has no entries under the heading row")])
    return rows


def import_chronology(ctx: AppContext, ref: str, agency: str, filename: str, content: bytes, by: str | None) -> int:
    """Replace the agency's chronology on the case with the file's rows; returns how many were imported."""
    name = clean_text(filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1], "the file name", 200)
    rows = check_file(name, content, ctx.today())
    with ctx.db.write() as session:
        actor = actor_for(session, by)
        case = load_case(session, ref, actor.user)
        found = agency_by_key(session, agency)
        _may_act_for(session, actor.user, found)
        if not in_scope(session, case, found):
            raise InvalidInput(f"{found.name} is not in scope on {case.ref}; put the agency in scope first")
        replaced = session.execute(
            delete(ChronologyEntry).where(ChronologyEntry.case_id == case.id, ChronologyEntry.agency_id == found.id)
        ).rowcount
        now = utcnow()
        session.execute(
            insert(ChronologyEntry),
            [
                {
                    "case_id": case.id,
                    "agency_id": found.id,
                    "row_number": r.number,
                    "event_date": r.on,
                    "event_time": r.at,
                    "event": r.event,
                    "source": r.source,
                    "imported_from": name,
                    "imported_by": actor.label,
                    "imported_at": now,
                }
                for r in rows
            ],
        )
        case.updated_at = now
        audit.append(
            session,
            actor=actor.label,
            action="chronology_imported",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"agency": found.slug, "rows": len(rows), "replaced": replaced, "file": name},
        )
        return len(rows)


def merged(ctx: AppContext, ref: str, viewer: User | None = None) -> list[dict[str, Any]]:
    """The case's chronology, every agency's entries in date, time and agency order, likely duplicates flagged.
    An agency contact sees only their agency's entries; roles that see pseudonyms only see none (the entries are
    agencies' own words, with real names)."""
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        return entries_of(session, case, viewer)


def entries_of(
    session: Session, case: Case, viewer: User | None = None, include_excluded: bool = True
) -> list[dict[str, Any]]:
    query = (
        select(ChronologyEntry, Agency.name)
        .join(Agency, Agency.id == ChronologyEntry.agency_id)
        .where(ChronologyEntry.case_id == case.id)
    )
    if viewer is not None and viewer.role == "agency_contact":
        query = query.where(ChronologyEntry.agency_id.in_(agencies_of(session, viewer)))  # type: ignore[attr-defined]
    elif viewer is not None and not sees_real_names(viewer.role):
        return []
    pairs = sorted(
        ((e, name) for e, name in session.execute(query)),
        key=lambda p: order_key(p[0].event_date, p[0].event_time, p[1], p[0].id or 0),
    )
    live = [(e.id or 0, e.event_date, name, e.event) for e, name in pairs if e.excluded_reason is None]
    duplicates = likely_duplicates(live)
    return [
        {
            "id": e.id,
            "date": e.event_date.isoformat(),
            "time": e.event_time,
            "agency": name,
            "event": e.event,
            "source": e.source,
            "duplicate_of": duplicates.get(e.id or 0),
            "excluded": e.excluded_reason is not None,
            "excluded_reason": e.excluded_reason,
            "row_number": e.row_number,
        }
        for e, name in pairs
        if include_excluded or e.excluded_reason is None
    ]


def exclude(ctx: AppContext, ref: str, entry_id: int, reason: str, by: str | None = None) -> None:
    """Leave an entry out of the merged chronology (a duplicate, outside the period), saying why."""
    why = clean_text(reason, "the reason", 2000)
    with ctx.db.write() as session:
        actor = actor_for(session, by)
        if actor.user is not None and not may_change_cases(actor.user.role):
            raise NotPermitted(
                "only the case's coordinators, chairs and reviewers may exclude entries", sorted(CASE_CHANGER_ROLES)
            )
        case = load_case(session, ref, actor.user)
        found = select(ChronologyEntry).where(ChronologyEntry.id == entry_id, ChronologyEntry.case_id == case.id)
        entry = session.scalars(found).first() if is_id(entry_id) else None
        if entry is None:
            raise NotFound(f"no chronology entry {entry_id} on {case.ref}")
        if entry.excluded_reason is not None:
            raise InvalidInput(f"entry {entry_id} is already excluded")
        entry.excluded_reason, entry.excluded_by = why, actor.label
        case.updated_at = utcnow()
        audit.append(
            session,
            actor=actor.label,
            action="chronology_entry_excluded",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"entry_id": entry_id, "reason": why},
        )


def template_for(ctx: AppContext, ref: str, agency: str, viewer: User | None = None) -> bytes:
    """The chronology template for one agency on a case, as the .xlsx this import reads back."""
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        found = agency_by_key(session, agency)
        start = case.fields.get("review_period_start") or "the start of the review period"
        end = case.fields.get("review_period_end") or "the date of death"
        return template_workbook(case.ref, found.name, f"{start} to {end}")


def _may_act_for(session: Session, user: User | None, agency: Agency) -> None:
    if user is None or may_change_cases(user.role):
        return
    if user.role == "agency_contact" and agency.id in agencies_of(session, user):
        return
    raise NotPermitted("you may import only your own agency's chronology")

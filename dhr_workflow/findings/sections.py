"""Writing the chair's sections: each save is a new stored version (earlier ones are kept), in one transaction with
its audit event (which carries the section and version, never the text). Documents read the latest version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case, CaseMember
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotPermitted
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text
from dhr_workflow.documents.context import ROLE_LABELS, add_context_provider
from dhr_workflow.findings.tables import ReportSection
from dhr_workflow.people.roles import CASE_CHANGER_ROLES, may_change_cases
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import actor_for

# The guidance's structure, in order: the sections the chair writes (the others come from the records).
SECTIONS = {
    "terms_of_reference": "Terms of reference and lines of enquiry",
    "independence": "The chair's independence",
    "methodology": "Methodology",
    "background": "Background",
    "chronology_summary": "Summary of the chronology",
    "analysis": "Analysis against each line of enquiry",
    "equality": "Equality and diversity",
    "conclusions": "Conclusions",
    "lessons": "Lessons learned",
    "dissemination": "Dissemination",
    "key_findings": "Key findings (executive summary)",
}
NOT_WRITTEN = "The chair has not written this section yet."


def known_section(name: str) -> str:
    """The name, if it is a section the chair writes (an unknown one is refused naming them all)."""
    if name not in SECTIONS:
        raise InvalidInput(f"'{name}' is not a section the chair writes; sections: {', '.join(SECTIONS)}")
    return name


def write_section(ctx: AppContext, ref: str, name: str, text: str, *, by: str | None = None) -> ReportSection:
    known_section(name)
    body = clean_text(text, "the section's text", 100000)
    with ctx.db.write() as session:
        actor = actor_for(session, by)
        if actor.user is not None and not may_change_cases(actor.user.role):
            raise NotPermitted(
                "your role can read cases but not write the report; ask the independent chair",
                sorted(CASE_CHANGER_ROLES),
            )
        case = load_case(session, ref)
        last = session.scalar(
            select(func.max(ReportSection.version)).where(ReportSection.case_id == case.id, ReportSection.name == name)
        )
        section = ReportSection(
            case_id=case.id or 0, name=name, version=(last or 0) + 1, text=body, written_by=actor.label
        )
        session.add(section)
        case.updated_at = utcnow()  # bumps the case version: published text must be checked again
        session.flush()
        audit.append(
            session,
            actor=actor.label,
            action="report_section_written",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"section": name, "version": section.version},
        )
        return section


def _latest(session: Session, case: Case) -> dict[str, ReportSection]:
    found: dict[str, ReportSection] = {}
    rows = session.scalars(
        select(ReportSection).where(ReportSection.case_id == case.id).order_by(ReportSection.version)
    )
    for row in rows:
        found[row.name] = row
    return found


def sections_of(ctx: AppContext, ref: str, *, viewer: User | None = None) -> list[dict[str, Any]]:
    """Every section the chair writes, with its latest version (None where not written yet)."""
    with ctx.db.read() as session:
        latest = _latest(session, load_case(session, ref, viewer))
    return [
        {
            "name": name,
            "title": title,
            "version": latest[name].version if name in latest else None,
            "text": latest[name].text if name in latest else None,
            "written_by": latest[name].written_by if name in latest else None,
        }
        for name, title in SECTIONS.items()
    ]


def history_of(ctx: AppContext, ref: str, name: str, *, viewer: User | None = None) -> list[dict[str, Any]]:
    known_section(name)
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        rows = session.scalars(
            select(ReportSection)
            .where(ReportSection.case_id == case.id, ReportSection.name == name)
            .order_by(ReportSection.version)
        )
        return [{"version": r.version, "text": r.text, "written_by": r.written_by} for r in rows]


def document_data(session: Session, case: Case, publication: bool) -> dict[str, Any]:
    """The chair's sections (latest versions) and the panel by role, for the report's structure."""
    latest = _latest(session, case)
    roles = session.scalars(
        select(CaseMember.role).where(CaseMember.case_id == case.id, CaseMember.role != "coordinator")
    )
    return {
        "sections": {name: latest[name].text if name in latest else NOT_WRITTEN for name in SECTIONS},
        "panel_roles": sorted({ROLE_LABELS.get(r, r) for r in roles}),
    }


add_context_provider(document_data)

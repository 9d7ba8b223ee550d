"""The kinds of record that belong to a closed case: finding those due and acting on them. Files are stored in the
database (task files, evidence files, document versions), so deleting their rows deletes the files themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from dhr_workflow.agencies.tables import ChronologyEntry, EvidenceFile
from dhr_workflow.cases.tables import Party, TaskFile
from dhr_workflow.documents.tables import AccessRequest, DocumentFile, GeneratedDocument
from dhr_workflow.family.tables import FamilyContact, FamilyMember
from dhr_workflow.retention.schedule import Rule
from dhr_workflow.retention.scope import Due, Scope

FAMILY_DETAILS = ("contact_preference", "language", "accessibility_needs", "advocate_name", "pseudonym_reason")


def _rows(session: Session, scope: Scope, rule: Rule, query: Callable[[list[int]], Any]) -> list[Due]:
    cases = scope.closed_cases(rule)
    if not cases:
        return []
    found = []
    for record_id, case_id in session.execute(query(sorted(cases))):
        due = scope.due(rule, record_id, case_id, cases[case_id][1])
        if due is not None:
            found.append(due)
    return found


def find_working_documents(session: Session, scope: Scope, rule: Rule) -> list[Due]:
    with_files = select(DocumentFile.document_id)
    return _rows(
        session,
        scope,
        rule,
        lambda ids: (
            select(GeneratedDocument.id, GeneratedDocument.case_id)
            .where(GeneratedDocument.case_id.in_(ids), GeneratedDocument.publication.is_(False))
            .where(or_(GeneratedDocument.text != "", GeneratedDocument.id.in_(with_files)))
            .order_by(GeneratedDocument.id)
        ),
    )


def act_working_documents(session: Session, ids: list[int], action: str) -> dict[str, int]:
    """Delete the stored files of draft versions and empty the version's data and text; the row stays to say a
    version existed (its fingerprint, who made it and when), so version numbers and shares still resolve."""
    files = list(session.scalars(select(DocumentFile.id).where(DocumentFile.document_id.in_(ids))))
    if files:
        session.execute(
            update(AccessRequest).where(AccessRequest.document_file_id.in_(files)).values(document_file_id=None)
        )
        session.execute(delete(DocumentFile).where(DocumentFile.id.in_(files)))
    session.execute(update(GeneratedDocument).where(GeneratedDocument.id.in_(ids)).values(text="", data={}))
    return {"files_deleted": len(files)}


def _plain(table: Any) -> Callable[[Session, Scope, Rule], list[Due]]:
    def find(session: Session, scope: Scope, rule: Rule) -> list[Due]:
        return _rows(
            session,
            scope,
            rule,
            lambda ids: select(table.id, table.case_id).where(table.case_id.in_(ids)).order_by(table.id),
        )

    return find


def _deleter(table: Any, files: bool = False) -> Callable[[Session, list[int], str], dict[str, int]]:
    def act(session: Session, ids: list[int], action: str) -> dict[str, int]:
        session.execute(delete(table).where(table.id.in_(ids)))
        return {"files_deleted": len(ids)} if files else {}

    return act


def find_family_members(session: Session, scope: Scope, rule: Rule) -> list[Due]:
    filled = or_(*(getattr(FamilyMember, name).is_not(None) for name in FAMILY_DETAILS))
    return _rows(
        session,
        scope,
        rule,
        lambda ids: (
            select(FamilyMember.id, FamilyMember.case_id)
            .where(FamilyMember.case_id.in_(ids), filled)
            .order_by(FamilyMember.id)
        ),
    )


def act_family_members(session: Session, ids: list[int], action: str) -> dict[str, int]:
    session.execute(update(FamilyMember).where(FamilyMember.id.in_(ids)).values(dict.fromkeys(FAMILY_DETAILS)))
    return {}


def find_parties(session: Session, scope: Scope, rule: Rule) -> list[Due]:
    identifying = or_(
        Party.real_name != Party.pseudonym,
        Party.date_of_birth.is_not(None),
        Party.address.is_not(None),
    )
    return _rows(
        session,
        scope,
        rule,
        lambda ids: select(Party.id, Party.case_id).where(Party.case_id.in_(ids), identifying).order_by(Party.id),
    )


def act_parties(session: Session, ids: list[int], action: str) -> dict[str, int]:
    """Real names become the pseudonyms the published report uses; dates of birth and addresses are cleared."""
    session.execute(
        update(Party).where(Party.id.in_(ids)).values(real_name=Party.pseudonym, date_of_birth=None, address=None)
    )
    return {}


FINDERS: dict[str, Callable[[Session, Scope, Rule], list[Due]]] = {
    "working_documents": find_working_documents,
    "task_files": _plain(TaskFile),
    "evidence_files": _plain(EvidenceFile),
    "chronology_entries": _plain(ChronologyEntry),
    "family_contacts": _plain(FamilyContact),
    "family_members": find_family_members,
    "parties": find_parties,
}
ACTORS: dict[str, Callable[[Session, list[int], str], dict[str, int]]] = {
    "working_documents": act_working_documents,
    "task_files": _deleter(TaskFile, files=True),
    "evidence_files": _deleter(EvidenceFile, files=True),
    "chronology_entries": _deleter(ChronologyEntry),
    "family_contacts": _deleter(FamilyContact),
    "family_members": act_family_members,
    "parties": act_parties,
}

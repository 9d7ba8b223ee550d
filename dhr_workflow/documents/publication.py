"""The publication leak check: before anything is published, prove no real name or identifying detail of anyone
in the case appears in any publication document, in any format, as a reader would extract it.

A check covers a fingerprint of the case row's version, its people and the bytes of every file checked. The
`publication_check_clean` guard fact is true only while the latest check was clean and that fingerprint still
matches, so any later change to the case, its people or its publication documents means checking again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases.facts import add_fact_provider
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case, Party
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.documents.catalogue import publication_templates
from dhr_workflow.documents.extract import text_of
from dhr_workflow.documents.leaks import Person, find_leaks, terms_for
from dhr_workflow.documents.pipeline import FORMATS
from dhr_workflow.documents.tables import DocumentFile, GeneratedDocument, PublicationCheck
from dhr_workflow.people.users import actor_for


@dataclass
class CheckResult:
    ref: str
    clean: bool
    documents: list[str] = field(default_factory=list)  # "overview_report v2 (pdf, standard)" for each file read
    hits: list[dict[str, Any]] = field(default_factory=list)


def prepare(ctx: AppContext, ref: str, *, by: str | None = None) -> None:
    """Make sure every publication document is current and exists in every format (standard variant)."""
    from dhr_workflow.documents.versions import file_for, generate

    for info in publication_templates():
        doc, _ = generate(ctx, ref, info.name, by=by)
        for fmt in FORMATS:
            file_for(ctx, doc, fmt, "standard", by or "system")


def check(ctx: AppContext, ref: str, *, by: str | None = None) -> CheckResult:
    """Regenerate what changed, read every publication file back, search it, and record the outcome."""
    prepare(ctx, ref, by=by)
    with ctx.db.write() as session:
        case = load_case(session, ref)
        actor = actor_for(session, by)
        terms = terms_for(_people(session, case), [case.police_ref])
        result = CheckResult(case.ref, clean=True)
        for doc, files in _publication_files(session, case):
            for f in files:
                result.documents.append(_where(doc, f))
                for hit in find_leaks(text_of(f.format, f.content), terms):
                    result.hits.append(
                        {"document": doc.template, "version": doc.version, "format": f.format, "variant": f.variant,
                         "what": hit.what, "found": hit.found, "context": hit.context}
                    )  # fmt: skip
        result.clean = not result.hits
        session.add(
            PublicationCheck(
                case_id=case.id or 0,
                clean=result.clean,
                fingerprint=fingerprint(session, case),
                covered={"case_version": case.version, "files": result.documents},
                hits=result.hits,
                ran_by=actor.label,
            )
        )
        # The audit payload counts hits and names their kinds, never the names found.
        audit.append(
            session,
            actor=actor.label,
            action="publication_checked",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"clean": result.clean, "hits": len(result.hits), "files": len(result.documents)},
        )
        return result


def _where(doc: GeneratedDocument, f: DocumentFile) -> str:
    uploaded = ", uploaded" if f.source == "uploaded" else ""
    return f"{doc.template} v{doc.version} ({f.format}, {f.variant}{uploaded})"


def _people(session: Session, case: Case) -> list[Person]:
    return [
        Person(p.kind, p.real_name, p.pseudonym, p.date_of_birth, p.address)
        for p in session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.id))
    ]


def _publication_files(session: Session, case: Case) -> list[tuple[GeneratedDocument, list[DocumentFile]]]:
    out = []
    for info in publication_templates():
        doc = session.scalars(
            select(GeneratedDocument)
            .where(GeneratedDocument.case_id == case.id, GeneratedDocument.template == info.name)
            .order_by(GeneratedDocument.version.desc())  # type: ignore[attr-defined]
        ).first()
        if doc is None:
            continue
        files = session.scalars(
            select(DocumentFile).where(DocumentFile.document_id == doc.id).order_by(DocumentFile.id)
        ).all()
        out.append((doc, list(files)))
    return out


def fingerprint(session: Session, case: Case) -> str:
    """What a clean check vouches for: the case version, its people, and the publication files' bytes (by hash)."""
    parties = session.execute(
        select(Party.id, Party.real_name, Party.pseudonym, Party.date_of_birth, Party.address)
        .where(Party.case_id == case.id)
        .order_by(Party.id)
    ).all()
    files = []
    for info in publication_templates():
        latest = session.scalar(
            select(GeneratedDocument.id)
            .where(GeneratedDocument.case_id == case.id, GeneratedDocument.template == info.name)
            .order_by(GeneratedDocument.version.desc())  # type: ignore[attr-defined]
        )
        shas = session.scalars(
            select(DocumentFile.sha256).where(DocumentFile.document_id == latest).order_by(DocumentFile.sha256)
        ).all()
        files.append([info.name, latest, list(shas)])
    payload = {"case_version": case.version, "parties": [list(map(str, p)) for p in parties], "files": files}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def latest_check(session: Session, case: Case) -> PublicationCheck | None:
    return session.scalars(
        select(PublicationCheck).where(PublicationCheck.case_id == case.id).order_by(PublicationCheck.id.desc())  # type: ignore[union-attr]
    ).first()


def publication_facts(session: Session, case: Case) -> dict[str, Any]:
    last = latest_check(session, case)
    current = last is not None and last.clean and last.fingerprint == fingerprint(session, case)
    return {"publication_check_clean": current}


def prepare_demo_publication(ctx: AppContext, ref: str, *, by: str | None = None) -> CheckResult:
    """For `dhr demo`: give the published case its other people and the fields its publication documents show,
    then run the check, so `publish` fires through its guard like a real case."""
    from datetime import date

    from dhr_workflow.cases import lifecycle as cases
    from dhr_workflow.cases.parties import PartyInput, add_party

    add_party(ctx, ref, PartyInput("perpetrator", "Gareth Testperson", "Adam", 41, relationship="Partner"), by=by)
    add_party(
        ctx,
        ref,
        PartyInput(
            "family", "Susan Testperson", "Ruth", 66, date(1960, 3, 4), "12 Example Road, Sidcup DA14 6AA", "Mother"
        ),
        by=by,
    )
    cases.set_fields(
        ctx,
        ref,
        {
            "review_period_end": ctx.today().replace(year=ctx.today().year - 1).isoformat(),
            "place_of_death_area": "North ward",
        },
        by=by,
    )
    return check(ctx, ref, by=by)


add_fact_provider(publication_facts)

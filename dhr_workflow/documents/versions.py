"""Toolkit documents for a case: generate (a new stored version only when the case data or the template changed),
render any format and variant, pack them all, and show how two versions differ.

Rendering HTML happens inside the short write transaction (milliseconds); PDF and Word are made from the stored
data outside any transaction and stored in a second short one, so a slow PDF never holds the database lock."""

from __future__ import annotations

import difflib
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.read_model import CaseRow
from dhr_workflow.cases.tables import Case
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.documents import MissingData
from dhr_workflow.documents.access_formats import FORMAT_LABELS, PRODUCIBLE
from dhr_workflow.documents.blocks import read_html
from dhr_workflow.documents.catalogue import TemplateInfo, catalogue, template_info
from dhr_workflow.documents.context import build_context, data_hash
from dhr_workflow.documents.listing import documents_for
from dhr_workflow.documents.pipeline import FORMATS, VARIANTS, check_choice, convert, render_html
from dhr_workflow.documents.tables import AccessRequest, DocumentFile, GeneratedDocument
from dhr_workflow.documents.text import to_text
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import actor_for

EXTENSIONS = {"html": "html", "pdf": "pdf", "docx": "docx", "txt": "txt"}


@dataclass(frozen=True)
class Rendered:
    content: bytes
    filename: str
    document_id: int
    version: int
    new_version: bool


def variants_for(info: TemplateInfo) -> tuple[str, ...]:
    return VARIANTS if info.easy_read else ("standard", "large-print")


def _latest(session: Session, case_id: int, template: str) -> GeneratedDocument | None:
    return session.scalars(
        select(GeneratedDocument)
        .where(GeneratedDocument.case_id == case_id, GeneratedDocument.template == template)
        .order_by(GeneratedDocument.version.desc())  # type: ignore[attr-defined]
    ).first()


def _same(session: Session, case_id: int, info: TemplateInfo, digest: str) -> GeneratedDocument | None:
    return session.scalars(
        select(GeneratedDocument).where(
            GeneratedDocument.case_id == case_id,
            GeneratedDocument.template == info.name,
            GeneratedDocument.data_hash == digest,
            GeneratedDocument.template_version == info.template_version,
        )
    ).first()


def generate(
    ctx: AppContext,
    ref: str,
    name: str,
    *,
    by: str | None = None,
    viewer: User | None = None,
    request_id: int | None = None,
    recipient: dict[str, Any] | None = None,
) -> tuple[GeneratedDocument, bool]:
    """The current version of document `name` for case `ref`, made now if the case or template changed since the
    last one. Returns (document, made_a_new_version). `recipient`: the person a letter is addressed to (the family
    letter for one family member); a version already made for the same person and data is reused."""
    info = template_info(name)
    try:
        with ctx.db.write() as session:
            return _generate_in(ctx, session, ref, info, by, viewer, request_id, recipient)
    except IntegrityError:  # someone made the same version at the same moment: theirs is as good as ours
        with ctx.db.read() as session:
            case = load_case(session, ref, viewer)
            latest = _latest(session, case.id or 0, name)
            assert latest is not None
            return latest, False


def _generate_in(
    ctx: AppContext,
    session: Session,
    ref: str,
    info: TemplateInfo,
    by: str | None,
    viewer: User | None,
    request_id: int | None,
    recipient: dict[str, Any] | None = None,
) -> tuple[GeneratedDocument, bool]:
    case = load_case(session, ref, viewer)
    actor = actor_for(session, by)
    request = _request_data(session, case, request_id) if info.needs_access_request else None
    context = build_context(ctx, session, case, info, request)
    if recipient is not None:
        context["recipient"] = recipient
    digest = data_hash(context)
    latest = _latest(session, case.id or 0, info.name)
    if recipient is not None:  # letters to several people alternate: reuse the one already made for this person
        latest = _same(session, case.id or 0, info, digest) or latest
    if latest and latest.data_hash == digest and latest.template_version == info.template_version:
        return latest, False
    html = render_html(info.template, context)
    doc = GeneratedDocument(
        case_id=case.id or 0,
        template=info.name,
        version=(latest.version + 1) if latest else 1,
        template_version=info.template_version,
        data_hash=digest,
        data=context,
        text=to_text(read_html(html)),
        publication=info.publication,
        generated_by=actor.label,
    )
    session.add(doc)
    session.flush()
    session.add(_file_row(doc.id or 0, "html", "standard", html.encode("utf-8"), actor.label))
    audit.append(
        session,
        actor=actor.label,
        action="document_generated",
        occurred_on=ctx.today(),
        case_id=case.id,
        payload={"template": info.name, "version": doc.version, "template_version": info.template_version},
    )
    return doc, True


def _request_data(session: Session, case: Case, request_id: int | None) -> dict[str, Any] | None:

    query = select(AccessRequest).where(AccessRequest.case_id == case.id)
    if request_id is not None:
        query = query.where(AccessRequest.id == request_id)
    req = session.scalars(query.order_by(AccessRequest.id.desc())).first()  # type: ignore[union-attr]
    if req is None:
        return None
    return {
        "number": f"AFR-{req.id}",
        "requester_name": req.requester_name,
        "document": req.document,
        "format": req.format,
        "format_label": FORMAT_LABELS[req.format].lower(),
        "language": req.language or "",
        "received_on": req.received_on.isoformat(),
        "deliver_by": req.deliver_by.isoformat(),
        "producible": req.format in PRODUCIBLE,
    }


def _file_row(document_id: int, fmt: str, variant: str, content: bytes, by: str, source: str = "generated") -> Any:
    return DocumentFile(
        document_id=document_id,
        format=fmt,
        variant=variant,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        source=source,
        created_by=by,
    )


def file_for(ctx: AppContext, doc: GeneratedDocument, fmt: str, variant: str = "standard", by: str = "system") -> bytes:
    """The bytes of one format and variant of a stored version, made (and stored) the first time they are asked
    for. This is the work the document worker task does."""
    check_choice(fmt, FORMATS, "format")
    info = template_info(doc.template)
    check_choice(variant, variants_for(info), f"variant of {info.name}")
    with ctx.db.read() as session:
        stored = stored_file(session, doc.id or 0, fmt, variant)
    if stored is not None:
        return stored.content
    if doc.template_version != info.template_version:
        raise InvalidInput(
            f"version {doc.version} of {doc.template} was made with an older template and has no stored {fmt}; "
            "regenerate the document to get the current wording"
        )
    content = convert(render_html(info.template, doc.data, variant), fmt, variant)
    try:
        with ctx.db.write() as session:
            session.add(_file_row(doc.id or 0, fmt, variant, content, by))
    except IntegrityError:
        pass  # made at the same moment by another worker: identical bytes from identical data
    return content


def stored_file(session: Session, document_id: int, fmt: str, variant: str) -> DocumentFile | None:
    return session.scalars(
        select(DocumentFile).where(
            DocumentFile.document_id == document_id, DocumentFile.format == fmt, DocumentFile.variant == variant
        )
    ).first()


def filename(ref: str, name: str, version: int, fmt: str, variant: str) -> str:
    suffix = "" if variant == "standard" else f"-{variant}"
    return f"{ref}-{name}-v{version}{suffix}.{EXTENSIONS[fmt]}"


def render_for_case(
    ctx: AppContext,
    ref: str,
    name: str,
    fmt: str,
    variant: str = "standard",
    *,
    by: str | None = None,
    viewer: User | None = None,
    request_id: int | None = None,
    recipient: dict[str, Any] | None = None,
) -> Rendered:
    """Generate (or reuse) the current version and return it in `fmt` and `variant`."""
    check_choice(fmt, FORMATS, "format")
    check_choice(variant, VARIANTS, "variant")
    info = template_info(name)
    if variant == "easy-read" and not info.easy_read:
        raise InvalidInput(f"there is no easy-read version of {name}; easy read is offered for letters to families")
    doc, made = generate(ctx, ref, name, by=by, viewer=viewer, request_id=request_id, recipient=recipient)
    content = file_for(ctx, doc, fmt, variant, by or "system")
    return Rendered(content, filename(ref.upper(), name, doc.version, fmt, variant), doc.id or 0, doc.version, made)


def list_documents(ctx: AppContext, ref: str, viewer: User | None = None) -> list[dict[str, Any]]:
    """Every toolkit document for a case `viewer` may see (documents.listing, which `dhr docs list` runs alone)."""
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        row = CaseRow(case.id or 0, case.ref, case.state, dict(case.fields))
        return documents_for(session.connection(), row)


def versions(ctx: AppContext, ref: str, name: str, viewer: User | None = None) -> list[GeneratedDocument]:
    template_info(name)
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        return list(
            session.scalars(
                select(GeneratedDocument)
                .where(GeneratedDocument.case_id == case.id, GeneratedDocument.template == name)
                .order_by(GeneratedDocument.version)
            )
        )


def diff(ctx: AppContext, ref: str, name: str, from_version: int | None = None, to_version: int | None = None) -> str:
    """A unified diff of the plain text of two versions (default: the last two)."""
    found = {d.version: d for d in versions(ctx, ref, name)}
    if not found:
        raise NotFound(f"{name} has not been generated for {ref.upper()} yet; `dhr docs render` makes it")
    newest = max(found)
    to_v = to_version or newest
    from_v = from_version or (to_v - 1 if to_v > 1 else to_v)
    for v in (from_v, to_v):
        if v not in found:
            raise NotFound(
                f"{ref.upper()} has no version {v} of {name}; versions: {', '.join(map(str, sorted(found)))}"
            )
    a, b = found[from_v], found[to_v]
    lines = difflib.unified_diff(
        a.text.splitlines(keepends=True),
        b.text.splitlines(keepends=True),
        fromfile=f"{name} v{from_v} ({a.generated_at:%Y-%m-%d %H:%M} by {a.generated_by})",
        tofile=f"{name} v{to_v} ({b.generated_at:%Y-%m-%d %H:%M} by {b.generated_by})",
    )
    return "".join(lines)


def pack(
    ctx: AppContext,
    ref: str,
    *,
    by: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    progress: Callable[[str], None] | None = None,
) -> tuple[bytes, list[str]]:
    """Every document the case has the data for, in every format and variant, as a zip. Returns (zip, skipped)
    where `skipped` says which documents could not be made and which fields they need."""
    for fmt in formats:
        check_choice(fmt, FORMATS, "format")
    from dhr_workflow.documents.batch import files_for

    skipped: list[str] = []
    made: list[tuple[TemplateInfo, GeneratedDocument]] = []
    with ctx.db.read() as session:
        decision = load_case(session, ref).fields.get("review_decision")
    for info in (i for i in catalogue().values() if i.fits(decision)):
        try:
            doc, _ = generate(ctx, ref, info.name, by=by)
        except MissingData as err:
            skipped.append(f"{info.name}: {err}")
            if progress:
                progress(info.name)
            continue
        made.append((info, doc))
    # Every file of every document, rendered in parallel where not stored yet (documents/batch.py; issue 17).
    wanted = [(doc, fmt, variant) for info, doc in made for variant in variants_for(info) for fmt in formats]
    contents = files_for(ctx, wanted, by or "system")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, doc in made:
            for variant in variants_for(info):
                for fmt in formats:
                    archive.writestr(filename(ref.upper(), info.name, doc.version, fmt, variant), next(contents))
            if progress:
                progress(info.name)
        if skipped:
            archive.writestr("NOT-INCLUDED.txt", "\n".join(skipped) + "\n")
    return out.getvalue(), skipped


def attach_file(
    ctx: AppContext, ref: str, name: str, fmt: str, content: bytes, *, by: str | None = None
) -> GeneratedDocument:
    """Store a final file someone produced outside the system (the chair's finished overview report in Word, say)
    as the current version's `fmt`, replacing the generated one. The leak check reads it like any other file."""
    check_choice(fmt, ("pdf", "docx", "html", "txt"), "format")
    if not content:
        raise InvalidInput("the file is empty")
    doc, _ = generate(ctx, ref, name, by=by)
    with ctx.db.write() as session:
        actor = actor_for(session, by)
        existing = stored_file(session, doc.id or 0, fmt, "standard")
        if existing is not None:
            session.delete(existing)
            session.flush()
        session.add(_file_row(doc.id or 0, fmt, "standard", content, actor.label, source="uploaded"))
        audit.append(
            session,
            actor=actor.label,
            action="document_attached",
            occurred_on=ctx.today(),
            case_id=doc.case_id,
            payload={"template": name, "version": doc.version, "format": fmt, "size": len(content)},
        )
    return doc

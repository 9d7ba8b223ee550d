"""Evidence that an action was done: files uploaded to an action (type- and size-checked, stored in the database)
and read back through the same access rules as the action."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import PurePath

from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.text import clean_text, is_id
from dhr_workflow.lessons import access
from dhr_workflow.lessons.actions import acting_user, changeable_action
from dhr_workflow.lessons.tables import (
    ActionEvidence,
    ActionUpdate,
)

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


EVIDENCE_TYPES = {".pdf", ".docx", ".doc", ".odt", ".xlsx", ".xls", ".ods", ".csv", ".txt", ".png", ".jpg", ".jpeg"}


def add_evidence(
    ctx: AppContext,
    action_id: int,
    filename: str,
    content: bytes,
    *,
    description: str | None = None,
    by: str | None = None,
) -> ActionEvidence:
    name = _safe_filename(filename)
    if not content:
        raise InvalidInput(f"{name} is empty")
    if len(content) > MAX_EVIDENCE_BYTES:
        raise InvalidInput(f"{name} is {len(content)} bytes; evidence files are limited to 10 MB")
    text = clean_text(description, "the description", 500, required=False) if description else None
    with ctx.db.write() as session:
        label, user = acting_user(session, by)
        action = changeable_action(session, action_id, user)
        evidence = ActionEvidence(
            action_id=action.id or 0,
            filename=name,
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            description=text,
            added_by=label,
        )
        session.add(evidence)
        session.flush()
        session.add(
            ActionUpdate(
                action_id=action.id or 0,
                kind="evidence",
                note=f"Evidence added: {name}",
                occurred_on=ctx.today(),
                by=label,
            )
        )
        audit.append(
            session,
            actor=label,
            action="evidence_added",
            occurred_on=ctx.today(),
            case_id=action.case_id,
            payload={"action_id": action.id, "sha256": evidence.sha256},
        )
        return evidence


def _safe_filename(filename: str) -> str:
    name = clean_text(PurePath(filename.replace("\\", "/")).name, "the file name", 200)
    if name.startswith(".") or PurePath(name).suffix.lower() not in EVIDENCE_TYPES:
        raise InvalidInput(f"{name}: evidence must be one of {', '.join(sorted(EVIDENCE_TYPES))}")
    return name


def evidence_file(ctx: AppContext, evidence_id: int, *, viewer: str | None = None) -> tuple[str, str, bytes]:
    with ctx.db.read() as session:
        _, user = acting_user(session, viewer)
        evidence = session.get(ActionEvidence, evidence_id) if is_id(evidence_id) else None
        if evidence is None:
            raise NotFound(f"no evidence {evidence_id}")
        access.load_action(session, evidence.action_id, user)
        return evidence.filename, evidence.content_type, evidence.content

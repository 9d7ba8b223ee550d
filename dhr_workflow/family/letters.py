"""The family letter for one family member: addressed to them, in the format recorded for them (large print, easy
read, or a Word document) and stating their language need (we arrange an interpreter; we do not translate)."""

from __future__ import annotations

from typing import Any

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import NotFound
from dhr_workflow.documents.pipeline import FORMATS, check_choice
from dhr_workflow.documents.versions import Rendered, render_for_case
from dhr_workflow.family.fields import FORMAT_FILES, FORMAT_VARIANTS, member_rows, must_know
from dhr_workflow.people.tables import User

LETTER = "family_letter"


def letter_for(
    ctx: AppContext,
    ref: str,
    party_id: int,
    *,
    fmt: str | None = None,
    by: str | None = None,
    viewer: User | None = None,
) -> Rendered:
    """The family letter for family member `party_id`, in the variant their recorded format maps to; `fmt` defaults
    to the file their format asks for (PDF, or Word for "plain text or Word"). Need to know: it names them."""
    must_know(viewer)
    member = _member(ctx, ref, party_id, viewer)
    chosen = fmt or FORMAT_FILES[member["document_format"]]
    check_choice(chosen, FORMATS, "format")
    return render_for_case(
        ctx,
        ref,
        LETTER,
        chosen,
        FORMAT_VARIANTS[member["document_format"]],
        by=by,
        viewer=viewer,
        recipient=recipient(member),
    )


def _member(ctx: AppContext, ref: str, party_id: int, viewer: User | None) -> dict[str, Any]:
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        found = next((m for m in member_rows(session, case) if m["id"] == party_id), None)
    if found is None:
        raise NotFound(f"{ref.upper()} has no family member {party_id}; `dhr family list {ref.upper()}` lists them")
    return found


def recipient(member: dict[str, Any]) -> dict[str, Any]:
    """What the letter needs to know about the person it is addressed to."""
    return {
        "party_id": member["id"],
        "name": member["name"],
        "relationship": member["relationship"] or "",
        "language": member["language"] or "",
        "needs": member["accessibility_needs"] or "",
        "format": member["document_format"],
        "format_label": member["document_format_label"],
        "advocate": member["advocate"],
        "advocate_name": member["advocate_name"] or "",
    }

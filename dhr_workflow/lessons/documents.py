"""The lessons documents (agenda pack, collated plan, Board report, learning briefing), rendered by the shared
document pipeline (dhr_workflow.documents): Jinja2 with StrictUndefined in templates/lessons/, HTML first, then
tagged PDF (PDF/UA-1), Word with real heading styles, plain text, and the large-print variant.

Like the case toolkit's catalogue, each document declares its readers and layout: the protective marking follows
from the readers (documents.catalogue), a letter carries the partnership's letterhead from settings and a report
opens with a plain title page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.tables import Partnership
from dhr_workflow.documents.catalogue import MARKED_READERS, MARKING
from dhr_workflow.documents.context import contact, letterhead
from dhr_workflow.lessons import queries, reports

FORMATS = ("html", "pdf", "docx", "txt")


@dataclass(frozen=True)
class PlanDocument:
    title: str
    audience: str
    readers: str  # internal, agency, family or public, as in templates/documents/catalogue.yaml
    layout: str  # letter, report or form

    @property
    def marking(self) -> str:
        return MARKING if self.readers in MARKED_READERS else ""


# The learning briefing is the partnership writing to practitioners in every agency and it sends them to the
# community safety team, so it goes out on the letterhead; the collated plan and the Board report are reports.
DOCUMENTS = {
    "agenda_pack": PlanDocument("Delivery Group agenda pack", "Strategic Delivery Group members", "agency", "form"),
    "collated_plan": PlanDocument(
        "Collated Delivery Plan", "Strategic Delivery Group and the Board", "agency", "report"
    ),
    "board_report": PlanDocument("Delivery Plan report to the Board", "The partnership's Board", "internal", "report"),
    "learning_briefing": PlanDocument("Learning briefing", "Practitioners in the partner agencies", "agency", "letter"),
}


def render(
    ctx: AppContext,
    name: str,
    fmt: str,
    *,
    subject: str | int | None = None,
    viewer: str | None = None,
    variant: str = "standard",
) -> bytes:
    """`name` is one of DOCUMENTS; `subject` is the meeting id (agenda pack), the round id (collated plan, latest if
    None) or the review reference (learning briefing)."""
    from dhr_workflow.documents import render as render_document

    if fmt not in FORMATS:
        raise InvalidInput(f"'{fmt}' is not a format; choose one of: {', '.join(FORMATS)}")
    context = context_for(ctx, name, subject, viewer)
    return render_document(f"lessons/{name}.html.j2", context, fmt, variant)


def context_for(ctx: AppContext, name: str, subject: str | int | None, viewer: str | None) -> dict[str, Any]:
    data = _data_for(ctx, name, subject, viewer)
    info = DOCUMENTS[name]
    with ctx.db.read() as session:
        partnership = session.get(Partnership, queries.current_plan(session).partnership_id)
    head = letterhead(ctx.settings, partnership.name if partnership else "Community Safety Partnership")
    return {
        **data,
        "doc": {
            "title": data["title"],
            "lang": "en-GB",
            "marking": info.marking,
            "readers": info.readers,
            "layout": info.layout,
        },
        "letterhead": head,
        "contact": contact(ctx.settings, ctx.settings.letterhead_email),
    }


def _data_for(ctx: AppContext, name: str, subject: str | int | None, viewer: str | None) -> dict[str, Any]:
    if name == "agenda_pack":
        if subject is None:
            raise InvalidInput("give the meeting id: `dhr meeting agenda ID`")
        data = reports.theme_agenda(ctx, int(subject))
        return {**data, "title": f"Agenda pack: {data['meeting']['theme_label']}", "as_of": ctx.today()}
    if name == "collated_plan":
        data = reports.collated_plan(ctx, round_id=int(subject) if subject else None)
        return {**data, "title": f"Collated Delivery Plan: {data['round']['title']}"}
    if name == "board_report":
        return {**reports.board_report(ctx, viewer=viewer), "title": "Delivery Plan: report to the Board"}
    if name == "learning_briefing":
        if subject is None:
            raise InvalidInput("give the review reference")
        data = reports.learning_briefing(ctx, str(subject), viewer=viewer)
        with ctx.db.read() as session:
            plan = queries.plan_dict(session, queries.current_plan(session))
        return {**data, "plan": plan, "title": f"Learning briefing: {data['ref']}"}
    raise InvalidInput(f"no lessons document '{name}'; documents: {', '.join(DOCUMENTS)}")

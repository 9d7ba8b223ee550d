"""The demo's factual-accuracy round: the draft overview report went to the two agencies in scope, the police sent
a comment that the chair answered, the health trust had none."""

from __future__ import annotations

from datetime import date

from dhr_workflow.accuracy import rounds, views
from dhr_workflow.core.context import AppContext
from dhr_workflow.documents.versions import generate

AGENCIES = ("Metropolitan Police", "Oxleas NHS Foundation Trust")


def round_closed(ctx: AppContext, ref: str, sent: date, answered: date, by: str, chair: str) -> None:
    doc, _ = generate(ctx, ref, "overview_report", by=by)
    rounds.circulate(ctx, ref, doc.version, agencies=list(AGENCIES), on=sent, by=by)
    police, health = views.rounds_of(ctx, ref)[0]["recipients"]
    comment = rounds.answer(
        ctx,
        ref,
        police["id"],
        comments="Paragraph 4.2: officers attended at 21:40, not 22:40 (CAD 4471).",
        on=answered,
        by=by,
    )
    rounds.answer(ctx, ref, health["id"], no_comments=True, on=answered, by=by)
    rounds.respond(ctx, ref, comment or 0, response="Corrected in the next draft.", by=chair)

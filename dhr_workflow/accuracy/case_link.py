"""What the rest of the system knows of a case's factual-accuracy round. An extension (named in
cases/facts.EXTENSIONS, registered when imported):
- the `accuracy_problem` fact: why the panel cannot agree the final draft yet (the `factual_accuracy_closed` guard
  on `panel_agree`);
- the `accuracy` data of the `comments_log` document: each comment with the chair's response;
- a check on agencies/evidence: an agency's factual-accuracy request made with a round is answered in the round,
  so that the answer, its comments and the request never disagree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.accuracy.problem_facts import accuracy_problem
from dhr_workflow.accuracy.tables import AccuracyRecipient
from dhr_workflow.accuracy.views import round_views
from dhr_workflow.agencies.evidence import add_answer_check
from dhr_workflow.agencies.tables import EvidenceRequest
from dhr_workflow.cases.facts import add_fact_provider
from dhr_workflow.cases.tables import Case
from dhr_workflow.core.tables import utcnow
from dhr_workflow.documents.context import add_context_provider


def accuracy_facts(session: Session, case: Case) -> dict[str, Any]:
    return {"accuracy_problem": accuracy_problem(session, case.id or 0)}  # the Core reader `case show` uses too


def document_data(session: Session, case: Case, publication: bool) -> dict[str, Any]:
    """The latest round for the comments log: who it went to, how each answered, each comment and its response."""
    if publication:
        return {"accuracy": None}
    rounds = round_views(session, case, None, utcnow().date())
    if not rounds:
        return {"accuracy": None}
    latest = rounds[0]
    comments = []
    for r in latest["recipients"]:
        for c in r["comments"]:
            said = c["text"] or ""
            if c["filename"]:
                said = f"{said}\n\n(Sent as a file: {c['filename']})".strip()
            comments.append([r["name"], said, c["response"] or "No response recorded yet"])
    return {
        "accuracy": {
            "version": latest["version"],
            "circulated_on": latest["circulated_on"].isoformat(),
            "due_on": latest["due_on"].isoformat(),
            "closed_on": latest["closed_on"].isoformat() if latest["closed_on"] else None,
            "recipients": [[r["name"], r["status_label"]] for r in latest["recipients"]],
            "comments": comments,
        }
    }


def answered_in_round(session: Session, request: EvidenceRequest) -> str | None:
    """Refuse recording a round's factual-accuracy request through the evidence forms: it is answered in the round."""
    if request.kind != "factual_accuracy":
        return None
    tied = session.scalar(select(AccuracyRecipient.id).where(AccuracyRecipient.evidence_request_id == request.id))
    if tied is None:
        return None
    return "this request belongs to a factual-accuracy round: answer it in the round (Factual accuracy)"


add_fact_provider(accuracy_facts)
add_context_provider(document_data)
add_answer_check(answered_in_round)

"""What the documents say about the family's involvement (a documents context provider, registered by
family/involvement.py): the family letter's language and format needs, the summary the overview report and executive
summary give, what the family asked the review to consider (the terms of reference), the drafts shared with them and
how the pseudonyms were chosen. Publication documents get pseudonyms, counts and months, never names or days."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from dhr_workflow.cases.tables import Case
from dhr_workflow.core.text import long_date
from dhr_workflow.family.drafts import shares_in
from dhr_workflow.family.fields import member_rows
from dhr_workflow.family.tor_input import inputs_in


def document_data(session: Session, case: Case, publication: bool) -> dict[str, Any]:
    everyone = member_rows(session, case)
    members = [] if publication else everyone
    shares = shares_in(session, case)
    summary = {  # counts only: the overview report's account of the family's involvement names no one
        "invited": len(everyone),
        "taking_part": sum(1 for m in everyone if m["wants_involvement"] == "yes"),
        "advocates": sorted({_advocate(m) for m in everyone if m["advocate"] != "none"}),
        "shared_with": len({s["party_id"] for s in shares}),
    }
    return {
        "family": {
            "members": members,
            "languages": sorted({m["language"] for m in members if m["language"]}),
            "needs": sorted({m["accessibility_needs"] for m in members if m["accessibility_needs"]}),
            "summary": summary,
            "tor_input": [_input(i, publication) for i in inputs_in(session, case)],
            "shared": [] if publication else [_shared(s) for s in shares],
            "pseudonyms": pseudonym_basis(everyone),
        }
    }


def _advocate(member: dict[str, Any]) -> str:
    return str(member["advocate_name"] or member["advocate_label"])


def _when(iso: str, publication: bool) -> str:
    day = date.fromisoformat(iso)
    return f"{day:%B %Y}" if publication else long_date(day)


def _input(row: dict[str, Any], publication: bool) -> dict[str, Any]:
    who = row["pseudonym"] if publication else row["name"]
    relationship = row["relationship"] or "family member"
    return {"who": f"{who} ({relationship})", "when": _when(row["on"], publication), "text": row["text"]}


def _shared(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "who": row["name"],
        "what": f"{row['title']}, version {row['version']}",
        "when": _when(row["on"], False),
        "how": row["how"],
        "response": row["response"],
    }


def pseudonym_basis(members: list[dict[str, Any]]) -> dict[str, Any]:
    """How the pseudonyms were chosen, from what is recorded: `agreed` only when a family member agreed and none
    declined; `chair` when the chair chose them or the family declined (with the chair's reasons); else
    `not_recorded`, and the documents claim no agreement."""
    answers = {m["pseudonym_consent"] for m in members}
    reasons = sorted({m["pseudonym_reason"] for m in members if m["pseudonym_reason"]})
    if answers & {"chair_chose", "declined"}:
        return {"basis": "chair", "reasons": reasons}
    if "consented" in answers:
        return {"basis": "agreed", "reasons": []}
    return {"basis": "not_recorded", "reasons": []}

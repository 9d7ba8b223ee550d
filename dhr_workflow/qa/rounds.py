"""Recording Home Office QA feedback round by round, item by item. Each change is one transaction with its audit
event (payloads carry numbers, never the feedback's text). Registers the `qa_items_open` guard fact and the cover
letter's data when imported (dhr_workflow.cases.facts.EXTENSIONS names this module)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dhr_workflow.cases.facts import add_fact_provider
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound, NotPermitted
from dhr_workflow.core.text import clean_text, is_id, not_in_future
from dhr_workflow.documents.context import add_context_provider
from dhr_workflow.people.roles import CASE_CHANGER_ROLES, may_change_cases
from dhr_workflow.people.users import actor_for
from dhr_workflow.qa.item_counts import open_items_of
from dhr_workflow.qa.tables import QaItem, QaRound


def _acting(session: Session, by: str | None) -> str:
    actor = actor_for(session, by)
    if actor.user is not None and not may_change_cases(actor.user.role):
        raise NotPermitted(
            "your role can read cases but not record Home Office feedback; ask the case coordinator",
            sorted(CASE_CHANGER_ROLES),
        )
    return actor.label


def last_round(session: Session, case: Case) -> QaRound | None:
    return session.scalars(select(QaRound).where(QaRound.case_id == case.id).order_by(QaRound.number.desc())).first()  # type: ignore[attr-defined]


def _must_have_round(session: Session, case: Case) -> QaRound:
    found = last_round(session, case)
    if found is None:
        raise InvalidInput(
            f"{case.ref} has no Home Office QA feedback recorded; record the feedback letter's round first"
        )
    return found


def open_round(
    ctx: AppContext,
    ref: str,
    *,
    letter_date: date | None = None,
    meeting_date: date | None = None,
    by: str | None = None,
) -> QaRound:
    """A new round: the Home Office's feedback letter on the latest submission."""
    today = ctx.today()
    letter = not_in_future(letter_date, today, "--letter-date") if letter_date else None
    meeting = not_in_future(meeting_date, today, "--meeting-date") if meeting_date else None
    if letter and meeting and meeting > letter:
        raise InvalidInput("the QA panel meets before its feedback letter is sent: check --meeting-date")
    with ctx.db.write() as session:
        label = _acting(session, by)
        case = load_case(session, ref)
        previous = last_round(session, case)
        qa_round = QaRound(
            case_id=case.id or 0,
            number=(previous.number if previous else 0) + 1,
            letter_date=letter,
            meeting_date=meeting,
            created_by=label,
        )
        session.add(qa_round)
        session.flush()
        audit.append(
            session,
            actor=label,
            action="qa_round_opened",
            occurred_on=letter or today,
            case_id=case.id,
            payload={"round": qa_round.number},
        )
        return qa_round


def add_item(ctx: AppContext, ref: str, text: str, *, by: str | None = None) -> QaItem:
    """A point of the latest feedback letter."""
    body = clean_text(text, "the feedback point", 4000)
    with ctx.db.write() as session:
        label = _acting(session, by)
        case = load_case(session, ref)
        qa_round = _must_have_round(session, case)
        count = session.scalar(select(func.count()).select_from(QaItem).where(QaItem.round_id == qa_round.id)) or 0
        item = QaItem(round_id=qa_round.id or 0, number=count + 1, text=body)
        session.add(item)
        session.flush()
        audit.append(
            session,
            actor=label,
            action="qa_item_added",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"round": qa_round.number, "item": item.number},
        )
        return item


def answer_item(
    ctx: AppContext, ref: str, number: int, *, response: str, section: str, by: str | None = None
) -> QaItem:
    """The partnership's response to item `number` of the latest round, and where in the report it was addressed."""
    text = clean_text(response, "the response", 4000)
    where = clean_text(section, "where it was addressed (a section of the report)", 500)
    with ctx.db.write() as session:
        label = _acting(session, by)
        case = load_case(session, ref)
        qa_round = _must_have_round(session, case)
        found = select(QaItem).where(QaItem.round_id == qa_round.id, QaItem.number == number)
        item = session.scalars(found).first() if is_id(number) else None
        if item is None:
            raise NotFound(f"round {qa_round.number} of {case.ref} has no item {number}")
        item.response, item.section, item.answered_on, item.answered_by = text, where, ctx.today(), label
        audit.append(
            session,
            actor=label,
            action="qa_item_answered",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"round": qa_round.number, "item": item.number},
        )
        return item


def items_of(ctx: AppContext, ref: str, *, viewer: Any = None) -> list[dict[str, Any]]:
    """Every round, oldest first, with its items."""
    with ctx.db.read() as session:
        case = load_case(session, ref, viewer)
        return rounds_view(session, case)


def rounds_view(session: Session, case: Case) -> list[dict[str, Any]]:
    rounds = session.scalars(select(QaRound).where(QaRound.case_id == case.id).order_by(QaRound.number))
    out = []
    for r in rounds:
        items = session.scalars(select(QaItem).where(QaItem.round_id == r.id).order_by(QaItem.number))
        out.append(
            {
                "round": r.number,
                "letter_date": r.letter_date.isoformat() if r.letter_date else None,
                "meeting_date": r.meeting_date.isoformat() if r.meeting_date else None,
                "items": [
                    {
                        "number": i.number,
                        "text": i.text,
                        "response": i.response,
                        "section": i.section,
                        "answered": i.response is not None,
                        "answered_on": i.answered_on.isoformat() if i.answered_on else None,
                    }
                    for i in items
                ],
            }
        )
    return out


def open_items(session: Session, case: Case) -> int:
    return open_items_of(session, case.id or 0)  # the Core reader `dhr case show` uses too: one query


def qa_facts(session: Session, case: Case) -> dict[str, Any]:
    return {"qa_items_open": open_items(session, case)}


def document_data(session: Session, case: Case, publication: bool) -> dict[str, Any]:
    """The resubmission cover letter lists the last round's items with their responses."""
    rounds = [] if publication else rounds_view(session, case)
    if not rounds:
        return {"qa_last_round": None}
    last = rounds[-1]
    rows = [[i["text"], i["response"] or "Not answered yet", i["section"] or ""] for i in last["items"]]
    return {"qa_last_round": {**last, "rows": rows}}


add_fact_provider(qa_facts)
add_context_provider(document_data)

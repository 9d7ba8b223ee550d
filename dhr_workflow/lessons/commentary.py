"""The bi-annual commentary round, run by the `commentary_round` workflow (workflows/commentary_round.yaml) on the
shared engine. Opening a round asks every owner of an open action for an update; their next `action update`
answers it. Reminders go, as Reminder rows written in the same transaction, only to owners who have not answered,
with an escalation to the Delivery Group chair once the round's deadline has passed."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.core import audit
from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.clocks import compute_due
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput, NotFound
from dhr_workflow.core.text import clean_text, is_id, not_in_future
from dhr_workflow.lessons.plans import current_plan
from dhr_workflow.lessons.round_owners import CLOCK, WORKFLOW, must_run_rounds, open_actions, owner_of
from dhr_workflow.lessons.tables import (
    ActionUpdate,
    CommentaryRequest,
    CommentaryRound,
    DeliveryPlan,
    PlanAction,
)
from dhr_workflow.people.tables import User
from dhr_workflow.workflow.definition import ReminderRuleDef, WorkflowDefinition
from dhr_workflow.workflow.engine import FireOutcome, engine_for
from dhr_workflow.workflow.fields import parse_fields
from dhr_workflow.workflow.guards import GuardContext
from notifications.ledger.rules import PlannedSend, plan_sends
from notifications.ledger.tables import Reminder

COLLECTING = "collecting"
OVERDUE_REPEATS = 4  # the first overdue reminder and three more, then the escalation has done its work


def _definition(ctx: AppContext, round_: CommentaryRound | None = None) -> WorkflowDefinition:
    if round_ is not None:
        return ctx.workflows.get(round_.workflow_name, round_.workflow_version)
    return ctx.workflows.latest(WORKFLOW)


def _current_round(session: Session, plan: DeliveryPlan, definition: WorkflowDefinition) -> CommentaryRound | None:
    finals = [name for name, s in definition.states.items() if s.final]
    return session.scalars(
        select(CommentaryRound)
        .where(CommentaryRound.plan_id == plan.id, CommentaryRound.state.not_in(finals))  # type: ignore[attr-defined]
        .order_by(CommentaryRound.id.desc())
        .with_for_update()
    ).first()


def _round_or_fail(session: Session, ctx: AppContext) -> CommentaryRound:
    round_ = _current_round(session, current_plan(session), _definition(ctx))
    if round_ is None:
        raise NotFound("no commentary round is in progress; open one with `dhr commentary open`")
    return round_


def open_round(
    ctx: AppContext, *, title: str | None = None, on: date | None = None, by: str | None = None
) -> dict[str, Any]:
    """Open a round and ask every owner of an open action for an update (state: collecting)."""
    day = not_in_future(on, ctx.today(), "--on") if on else ctx.today()
    definition = _definition(ctx)
    with ctx.db.write() as session:
        actor = must_run_rounds(session, by)
        plan = current_plan(session)
        if _current_round(session, plan, definition) is not None:
            raise InvalidInput("a commentary round is already in progress; `dhr commentary status` shows it")
        label = clean_text(title, "the title", 200) if title else f"Commentary round {day:%B %Y}"
        round_ = CommentaryRound(
            plan_id=plan.id or 0,
            title=label,
            workflow_name=definition.name,
            workflow_version=definition.version,
            state=definition.initial,
            opened_on=day,
            last_event_on=day,
            fields={},
            opened_by=actor,
        )
        session.add(round_)
        session.flush()
        unreachable = _ask_owners(session, round_, plan)
        _fire(ctx, session, round_, "request_updates", {}, day, actor)
        return {"round_id": round_.id, "state": round_.state, "due_on": round_.due_on, "no_owner": unreachable}


def _ask_owners(session: Session, round_: CommentaryRound, plan: DeliveryPlan) -> list[int]:
    """One request per open action, to its lead officer, or else to its agency's first contact."""
    unreachable = []
    for action in open_actions(session, plan):
        owner = owner_of(session, action)
        if owner is None:
            unreachable.append(action.id or 0)
            continue
        session.add(CommentaryRequest(round_id=round_.id or 0, action_id=action.id or 0, owner_id=owner))
    session.flush()
    return unreachable


def _missing(session: Session, round_: CommentaryRound) -> int:
    return len(
        session.scalars(
            select(CommentaryRequest.id).where(
                CommentaryRequest.round_id == round_.id,
                CommentaryRequest.answered_on.is_(None),  # type: ignore[union-attr]
            )
        ).all()
    )


def _fire(
    ctx: AppContext,
    session: Session,
    round_: CommentaryRound,
    trigger: str,
    values: dict[str, str],
    day: date,
    actor: str,
) -> FireOutcome:
    if day < round_.last_event_on:
        raise InvalidInput(f"the round's last step was on {round_.last_event_on}; a later step cannot be earlier")
    definition = _definition(ctx, round_)
    updates = parse_fields(definition, values, ctx.today())
    fields = {**round_.fields, **updates}
    guard_ctx = GuardContext(
        f"commentary round {round_.id}", round_.state, fields, {"missing_updates": _missing(session, round_)}, day
    )
    outcome = engine_for(definition).fire(round_, trigger, guard_ctx)  # the engine alone moves round_.state
    round_.fields = {**fields, **outcome.field_updates}
    round_.last_event_on = day
    cal = load_calendar(session)
    if CLOCK in outcome.clocks_started:
        round_.due_on = compute_due(definition.clocks[CLOCK].rule(), day, [], cal, ctx.today()).due
    audit.append(
        session,
        actor=actor,
        action=f"commentary:{trigger}",
        occurred_on=day,
        payload={"round_id": round_.id, "from": outcome.source, "to": outcome.dest, "due_on": str(round_.due_on)},
    )
    sync_round_reminders(session, round_, definition, cal)
    return outcome


def advance(
    ctx: AppContext,
    trigger: str,
    *,
    note: str | None = None,
    on: date | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """collate, reopen, present or send_to_board the round in progress."""
    day = not_in_future(on, ctx.today(), "--on") if on else ctx.today()
    values = {"collate_note": note} if note else {}
    with ctx.db.write() as session:
        actor = must_run_rounds(session, by)
        round_ = _round_or_fail(session, ctx)
        outcome = _fire(ctx, session, round_, trigger, values, day, actor)
        return {"round_id": round_.id, "from": outcome.source, "state": round_.state, "due_on": round_.due_on}


def answer_requests(ctx: AppContext, session: Session, action: PlanAction, update: ActionUpdate, day: date) -> None:
    """An owner's update answers this action's request in a round that is collecting (reminders stop)."""
    rows = session.execute(
        select(CommentaryRequest, CommentaryRound)
        .join(CommentaryRound, CommentaryRound.id == CommentaryRequest.round_id)  # type: ignore[arg-type]
        .where(
            CommentaryRequest.action_id == action.id,
            CommentaryRequest.answered_on.is_(None),  # type: ignore[union-attr]
            CommentaryRound.state == COLLECTING,
        )
        .with_for_update(of=CommentaryRound)  # two owners answering at once rewrite the round's reminders in turn
    ).all()
    for request, round_ in rows:
        request.answered_on, request.update_id = day, update.id
        update.round_id, update.kind = round_.id, "commentary"
        session.flush()
        sync_round_reminders(session, round_, _definition(ctx, round_), load_calendar(session))


def _subject(round_id: int, action_id: int) -> str:
    return f"commentary:{round_id}:action:{action_id}"


def sync_round_reminders(
    session: Session,
    round_: CommentaryRound,
    definition: WorkflowDefinition,
    cal: WorkingCalendar,
    channel: str = "email",
) -> None:
    """The reminder rows the round calls for now; idempotency keys as in cases.reminder_plan."""
    wanted = _wanted(session, round_, definition, cal, channel)
    existing = {
        r.idem_key: r
        for r in session.scalars(
            select(Reminder).where(Reminder.subject.like(f"commentary:{round_.id}:%"))  # type: ignore[attr-defined]
        )
    }
    for key, row in existing.items():
        if row.status == "pending" and key not in wanted:
            row.status = "cancelled"
    for key, row in wanted.items():
        if key not in existing:
            session.add(row)
        elif existing[key].status == "cancelled":
            existing[key].status = "pending"
    session.flush()


def _wanted(
    session: Session, round_: CommentaryRound, definition: WorkflowDefinition, cal: WorkingCalendar, channel: str
) -> dict[str, Reminder]:
    if round_.state != COLLECTING or round_.due_on is None:
        return {}
    rule = definition.clocks[CLOCK].reminders
    chairs = _chairs(session, round_)
    wanted: dict[str, Reminder] = {}
    for request in session.scalars(
        select(CommentaryRequest).where(
            CommentaryRequest.round_id == round_.id,
            CommentaryRequest.answered_on.is_(None),  # type: ignore[union-attr]
        )
    ):
        subject = _subject(round_.id or 0, request.action_id)
        for send in _sends(round_.due_on, rule, cal):
            for who in chairs if send.rule == "escalation" else (request.owner_id,):
                key = f"{subject}:{send.rule}:{round_.due_on.isoformat()}:{who}:{channel}"
                wanted[key] = Reminder(
                    case_id=None,
                    subject=subject,
                    rule=send.rule,
                    deadline_on=round_.due_on,
                    send_on=send.send_on,
                    recipient_id=who,
                    channel=channel,
                    idem_key=key,
                )
    return wanted


def _sends(due: date, rule: ReminderRuleDef, cal: WorkingCalendar) -> list[PlannedSend]:
    """plan_sends, plus repeats every `overdue_every` working days after the first overdue reminder, up to
    OVERDUE_REPEATS. Case reminders get their repeats from the delivery sweep; a round has no case, so it plans a
    bounded number itself, and an answer cancels them like the rest."""
    sends = plan_sends(due, rule, cal)
    if rule.overdue_every:
        day = cal.add_working_days(due, 1)
        for n in range(2, OVERDUE_REPEATS + 1):
            day = cal.add_working_days(day, rule.overdue_every)
            sends.append(PlannedSend(day, f"overdue:{n}"))
    return sends


def _chairs(session: Session, round_: CommentaryRound) -> tuple[int, ...]:
    """Escalations go to the Delivery Group chair, or to the CSP chairs when the plan names none."""
    plan = session.get(DeliveryPlan, round_.plan_id)
    if plan is not None and plan.chair_id is not None:
        return (plan.chair_id,)
    return tuple(
        session.scalars(select(User.id).where(User.role == "csp_chair", User.active.is_(True)).order_by(User.id))
    )


def status(ctx: AppContext, *, round_id: int | None = None) -> dict[str, Any]:
    """The round in progress (or `round_id`): its state, deadline, and who has and has not answered."""
    with ctx.db.read() as session:
        round_ = _load_round(session, ctx, round_id)
        definition = _definition(ctx, round_)
        engine = engine_for(definition)
        guard_ctx = GuardContext(
            f"commentary round {round_.id}", round_.state, round_.fields, {"missing_updates": _missing(session, round_)}
        )
        requests = _request_rows(session, round_)
        return {
            "id": round_.id,
            "title": round_.title,
            "state": round_.state,
            "state_label": definition.states[round_.state].label,
            "opened_on": round_.opened_on,
            "due_on": round_.due_on,
            "available_triggers": engine.available_triggers(round_, guard_ctx),
            "next_steps": [
                {
                    "trigger": t,
                    "label": definition.transition_labels()[t],
                    "blocked_by": [str(m) for m in engine.explain_blocked(t, guard_ctx)],
                    "blocked_because": [m.what for m in engine.explain_blocked(t, guard_ctx)],
                }
                for t in engine.triggers_from(round_.state)
            ],
            "answered": sum(1 for r in requests if r["answered_on"]),
            "waiting": sum(1 for r in requests if not r["answered_on"]),
            "requests": requests,
            "collate_note": round_.fields.get("collate_note"),
        }


def _load_round(session: Session, ctx: AppContext, round_id: int | None) -> CommentaryRound:
    if round_id is not None:
        found = session.get(CommentaryRound, round_id) if is_id(round_id) else None
        if found is None:
            raise NotFound(f"no commentary round {round_id}")
        return found
    latest = session.scalars(
        select(CommentaryRound)
        .where(CommentaryRound.plan_id == current_plan(session).id)
        .order_by(CommentaryRound.id.desc())
    ).first()
    if latest is None:
        raise NotFound("no commentary round yet; open one with `dhr commentary open`")
    return latest


def _request_rows(session: Session, round_: CommentaryRound) -> list[dict[str, Any]]:
    rows = session.execute(
        select(CommentaryRequest, User.name, User.email)
        .join(User, User.id == CommentaryRequest.owner_id)  # type: ignore[arg-type]
        .where(CommentaryRequest.round_id == round_.id)
        .order_by(CommentaryRequest.action_id)
    ).all()
    sent = _reminders_sent(session, round_)
    return [
        {
            "action_id": r.action_id,
            "owner": name,
            "owner_email": email,
            "answered_on": r.answered_on,
            "reminders_sent": sent.get(r.action_id, 0),
        }
        for r, name, email in rows
    ]


def _reminders_sent(session: Session, round_: CommentaryRound) -> dict[int, int]:
    counts: dict[int, int] = {}
    for subject in session.scalars(
        select(Reminder.subject).where(
            Reminder.subject.like(f"commentary:{round_.id}:%"),
            Reminder.status == "sent",  # type: ignore[attr-defined]
        )
    ):
        action_id = int(subject.rsplit(":", 1)[1])
        counts[action_id] = counts.get(action_id, 0) + 1
    return counts

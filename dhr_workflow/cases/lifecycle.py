"""Changing cases. Every function here is one transaction: the state change (through the engine only), its audit
event, the recomputed clocks and the reminder rows commit together or not at all."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dhr_workflow.cases import clocks
from dhr_workflow.cases import reminder_plan as reminder_schedule
from dhr_workflow.cases.case_rows import load_step, save_step, save_stopped_clock
from dhr_workflow.cases.facts import facts, transition_listeners
from dhr_workflow.cases.intake import Notification, check_notification
from dhr_workflow.cases.references import next_reference
from dhr_workflow.cases.tables import Case, CaseMember, Clock, Party
from dhr_workflow.core import audit
from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import ConcurrentChange, InvalidInput, NotFound
from dhr_workflow.core.tables import Partnership, utcnow
from dhr_workflow.core.text import clean_text, not_in_future
from dhr_workflow.people.roles import CASE_ROLES
from dhr_workflow.people.tables import User
from dhr_workflow.people.users import actor_for, default_partnership, user_by_email
from dhr_workflow.workflow.definition import CASE_NOTIFIED, WorkflowDefinition
from dhr_workflow.workflow.engine import FireOutcome, engine_for
from dhr_workflow.workflow.fields import parse_fields
from dhr_workflow.workflow.guards import GuardContext


def notify_case(
    ctx: AppContext,
    n: Notification,
    *,
    workflow: str = "dhr",
    coordinator: str | None = None,
    by: str | None = None,
) -> str:
    """Log a police notification: a new case, its victim, its first clocks. Returns the case reference."""
    definition = ctx.workflows.latest(workflow)
    if definition.kind != "case":
        raise InvalidInput(f"'{workflow}' is a {definition.kind} workflow, not a review; give a review workflow")
    n = check_notification(n, ctx.today(), definition.minimum_victim_age)
    with ctx.db.write() as session:
        actor = actor_for(session, by)
        partnership = default_partnership(session)
        lead = user_by_email(session, coordinator) if coordinator else None
        case = _new_case(session, partnership, definition, n)
        session.add(
            Party(
                case_id=case.id or 0,
                kind="victim",
                real_name=n.victim_name,
                pseudonym=n.pseudonym,
                age=n.victim_age,
            )
        )
        if lead is not None:
            session.add(CaseMember(case_id=case.id or 0, user_id=lead.id or 0, role="coordinator"))
        cal = load_calendar(session)
        _apply_clocks(
            session,
            case,
            definition,
            definition.clocks_started_by(CASE_NOTIFIED),
            (),
            n.notified_date,
            cal,
            ctx.today(),
        )
        audit.append(
            session,
            actor=actor.label,
            action="case_notified",
            occurred_on=n.notified_date,
            case_id=case.id,
            payload={
                "ref": case.ref,
                "workflow": f"{definition.name} {definition.version}",
                "death_date": n.death_date.isoformat(),
                "coordinator": coordinator,
            },
        )
        reminder_schedule.sync_case_reminders(session, case, definition, cal)
        return case.ref


def _new_case(session: Session, partnership: Partnership, d: WorkflowDefinition, n: Notification) -> Case:
    ref = next_reference(session, partnership.id or 0, d.reference_prefix, n.notified_date.year)
    case = Case(
        partnership_id=partnership.id or 0,
        ref=ref,
        review_type=d.review_type,
        workflow_name=d.name,
        workflow_version=d.version,
        state=d.initial,
        death_date=n.death_date,
        notified_date=n.notified_date,
        police_ref=n.police_ref,
        fields={},
        last_event_on=n.notified_date,
    )
    session.add(case)
    session.flush()
    return case


def fire(
    ctx: AppContext,
    ref: str,
    trigger: str,
    *,
    on: date | None = None,
    by: str | None = None,
    values: dict[str, str] | None = None,
    expected_version: int | None = None,
) -> FireOutcome:
    """Move a case along `trigger`, back-dated to `on` if it happened earlier than today."""
    today = ctx.today()
    try:
        with ctx.db.write() as session:
            case, case_clocks, cal = load_step(session, ref, expected_version)  # and the calendar, in one read
            actor = actor_for(session, by)
            definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
            occurred = _occurred_on(case, on, today)
            updates = parse_fields(definition, values or {}, today)
            role = actor.user.role if actor.user else None  # no --by: the system operator (the CLI's user)
            outcome = _fire_in_session(session, case, definition, trigger, updates, occurred, role)
            save_step(session, case)  # first: a later autoflush would write it through the slower ORM
            _apply_clocks(
                session,
                case,
                definition,
                outcome.clocks_started,
                outcome.clocks_stopped,
                occurred,
                cal,
                today,
                case_clocks,
            )
            audit.append(
                session,
                actor=actor.label,
                action=f"fired:{trigger}",
                occurred_on=occurred,
                case_id=case.id,
                payload={
                    "from": outcome.source,
                    "to": outcome.dest,
                    "set": updates,
                    "effects": outcome.field_updates,
                    "recorded_on": today.isoformat(),
                },
            )
            for listener in transition_listeners():
                listener(session, case, outcome, occurred, actor.label)
            reminder_schedule.sync_case_reminders(session, case, definition, cal, clocks=case_clocks)
            return outcome
    except StaleDataError:
        raise ConcurrentChange(ref) from None


def _fire_in_session(
    session: Session,
    case: Case,
    definition: WorkflowDefinition,
    trigger: str,
    updates: dict[str, Any],
    occurred: date,
    role: str | None,
) -> FireOutcome:
    fields = {**case.fields, **updates}
    guard_ctx = GuardContext(case.ref, case.state, fields, facts(session, case), occurred)
    outcome = engine_for(definition).fire(case, trigger, guard_ctx, role)  # the engine alone moves case.state
    case.fields = {**fields, **outcome.field_updates}
    case.last_event_on = occurred
    case.updated_at = utcnow()
    return outcome


def _occurred_on(case: Case, on: date | None, today: date) -> date:
    occurred = not_in_future(on, today, "--on") if on else today
    if occurred < case.last_event_on:
        raise InvalidInput(
            f"{case.ref}'s last recorded step happened on {case.last_event_on.isoformat()}; "
            f"a later step cannot have happened earlier, on {occurred.isoformat()}"
        )
    return occurred


def _apply_clocks(
    session: Session,
    case: Case,
    definition: WorkflowDefinition,
    started: tuple[str, ...],
    stopped: tuple[str, ...],
    on: date,
    cal: WorkingCalendar,
    today: date,
    existing: list[Clock] | None = None,
) -> list[Clock]:
    """Stop, then start, the clocks a step names; returns the case's running clocks and those it stopped (`existing`,
    the case's running clocks if the caller has them, is updated in place)."""
    existing = clocks.running_clocks_of(session, case.id or 0) if existing is None else existing
    for name in stopped:
        clock = clocks.stop(session, case, name, on, existing)
        if clock is not None:
            clocks.recompute(session, clock, definition.clocks[name], cal, today)
            save_stopped_clock(session, clock)
    for name in started:
        clocks.start(session, case, name, definition.clocks[name], on, cal, today, existing)
    return existing


def set_fields(
    ctx: AppContext, ref: str, raw: dict[str, str], *, by: str | None = None, expected_version: int | None = None
) -> dict[str, Any]:
    if not raw:
        raise InvalidInput("give at least one KEY=VALUE to set")
    with ctx.db.write() as session:
        case = load_case(session, ref, expected_version=expected_version)
        actor = actor_for(session, by)
        definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
        updates = parse_fields(definition, raw, ctx.today())
        case.fields = {**case.fields, **updates}
        case.updated_at = utcnow()
        audit.append(
            session,
            actor=actor.label,
            action="fields_set",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"set": updates},
        )
        return updates


def assign(ctx: AppContext, ref: str, email: str, role: str, *, by: str | None = None) -> None:
    if role not in CASE_ROLES:
        raise InvalidInput(f"'{role}' is not a case role; roles: {', '.join(CASE_ROLES)}")
    with ctx.db.write() as session:
        case = load_case(session, ref)
        actor = actor_for(session, by)
        user = user_by_email(session, email)
        if is_member(session, case, user, role):
            raise InvalidInput(f"{email} is already on {ref} as {role}")
        session.add(CaseMember(case_id=case.id or 0, user_id=user.id or 0, role=role))
        audit.append(
            session,
            actor=actor.label,
            action="member_added",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"user_id": user.id, "role": role},
        )
        definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
        reminder_schedule.sync_case_reminders(session, case, definition, load_calendar(session))


def is_member(session: Session, case: Case, user: User, role: str | None = None) -> bool:
    query = select(CaseMember.id).where(CaseMember.case_id == case.id, CaseMember.user_id == user.id)
    if role:
        query = query.where(CaseMember.role == role)
    return session.scalar(query) is not None


def pause_clock(
    ctx: AppContext,
    ref: str,
    clock: str,
    reason: str,
    *,
    on: date | None = None,
    note: str | None = None,
    agreed_by: str | None = None,
    by: str | None = None,
) -> date:
    return _change_clock(
        ctx,
        ref,
        clock,
        by,
        on,
        lambda s, case, d, day, actor: clocks.pause(s, case, d, clock, reason, day, note, agreed_by, actor.label),
        "clock_paused",
        {"clock": clock, "reason": reason, "note": note, "agreed_by": agreed_by},
    )


def resume_clock(ctx: AppContext, ref: str, clock: str, *, on: date | None = None, by: str | None = None) -> date:
    return _change_clock(
        ctx,
        ref,
        clock,
        by,
        on,
        lambda s, case, d, day, actor: clocks.resume(s, case, clock, day)[0],
        "clock_resumed",
        {"clock": clock},
    )


def extend_clock(
    ctx: AppContext,
    ref: str,
    clock: str,
    days: int,
    *,
    reason: str,
    agreed_by: str,
    on: date | None = None,
    by: str | None = None,
) -> date:
    """Record more time agreed for a clock; its due date moves by `days` calendar days (then rolls)."""
    reason = clean_text(reason, "the reason", 2000)
    agreed_by = clean_text(agreed_by, "who agreed it", 200)
    return _change_clock(
        ctx,
        ref,
        clock,
        by,
        on,
        lambda s, case, d, day, actor: clocks.extend(s, case, clock, days, reason, agreed_by, day, actor.label),
        "clock_extended",
        {"clock": clock, "days": days, "reason": reason, "agreed_by": agreed_by},
    )


def _change_clock(
    ctx: AppContext,
    ref: str,
    name: str,
    by: str | None,
    on: date | None,
    change: Any,
    action: str,
    payload: dict[str, Any],
) -> date:
    today = ctx.today()
    day = not_in_future(on, today, "--on") if on else today
    with ctx.db.write() as session:
        case = load_case(session, ref)
        actor = actor_for(session, by)
        definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
        if name not in definition.clocks:  # before any query: PostgreSQL raises on a name with a NUL byte
            raise InvalidInput(f"no clock named '{name}'; clocks: {', '.join(definition.clocks)}")
        clock = change(session, case, definition, day, actor)
        cal = load_calendar(session)
        clocks.recompute(session, clock, definition.clocks[name], cal, today)
        case.updated_at = utcnow()  # bumps the version: a pause races a transition like any change
        audit.append(
            session,
            actor=actor.label,
            action=action,
            occurred_on=day,
            case_id=case.id,
            payload={**payload, "due_on": clock.due_on.isoformat()},
        )
        reminder_schedule.sync_case_reminders(session, case, definition, cal)
        return clock.due_on


def load_case(session: Session, ref: str, viewer: User | None = None, expected_version: int | None = None) -> Case:
    """The case `ref`, if `viewer` may see it. A case a viewer may not see is reported exactly like a missing one.
    With `expected_version`, a case changed since (someone else's change won) is a ConcurrentChange."""
    from dhr_workflow.people.roles import sees_only_own_cases

    case = session.scalars(_CASE_BY_REF, {"ref": ref.strip().upper()}).first()
    hidden = (
        case is not None
        and viewer is not None
        and (
            case.partnership_id != viewer.partnership_id
            or (sees_only_own_cases(viewer.role) and not is_member(session, case, viewer))
        )
    )
    if case is None or hidden:
        raise NotFound(f"no case {ref}; `dhr case list` shows the cases you can see")
    if expected_version is not None and case.version != expected_version:
        raise ConcurrentChange(case.ref)
    return case


# Built once: building a statement costs ten times running it (bench/main_path.py; issue 17).
_CASE_BY_REF = select(Case).where(Case.ref == bindparam("ref"))

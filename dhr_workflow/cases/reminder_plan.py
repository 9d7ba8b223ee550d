"""Which reminders a case's deadlines call for, written as rows in the transaction that sets the deadlines.

Each row has an idempotency key built from (case, subject, rule, deadline, recipient, channel): when a deadline moves
the keys change, so pending rows for the old deadline are cancelled and new ones written; rows already sent stay.
Rows the sweep has claimed but not yet sent are cancelled too (delivery re-reads its row before sending). Overdue
reminders after the first are planned by the sweep once the previous one went out (`plan_follow_up`); they survive a
sync while their deadline still stands. Delivery (claiming rows, sending once) lives in notifications/delivery.py.
Rows are written with bulk statements: a transition may plan a dozen reminders, and ORM objects for each would cost
more than the transition itself (bench/transitions.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Connection,
    Date,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from dhr_workflow.cases.reminder_memo import planned_sends, roles_named
from dhr_workflow.cases.tables import Case, CaseMember, Clock, Task
from dhr_workflow.core.calendar import WorkingCalendar
from dhr_workflow.core.tables import utcnow
from dhr_workflow.people.tables import User
from dhr_workflow.workflow.definition import ClockDef, ReminderRuleDef, WorkflowDefinition
from notifications.ledger.rules import PlannedSend
from notifications.ledger.tables import Reminder


@dataclass(frozen=True)
class Deadline:
    subject: str
    deadline: date
    rule: ReminderRuleDef
    recipients: tuple[int, ...]
    escalation: tuple[int, ...]


def sync_case_reminders(
    session: Session,
    case: Case,
    definition: WorkflowDefinition,
    cal: WorkingCalendar,
    channel: str = "email",
    clocks: list[Clock] | None = None,
) -> None:
    """Make the case's unsent reminder rows match its live deadlines. `clocks` saves a query when the caller has
    the case's clocks already."""
    assert case.id is not None
    inputs = _read_inputs(session, case, definition)
    wanted = {
        _key(case.id, d, send, who, channel): (d, send, who)
        for d in _deadlines(session, case, definition, clocks, inputs)
        for send in planned_sends(d.deadline, d.rule, cal)
        for who in _recipients_for(d, send)
    }
    existing = {row.idem_key: row for row in inputs.reminders}
    live = {(d.subject, d.deadline, who) for d, _send, who in wanted.values()}
    conn = session.connection()
    _set_status(
        conn,
        [
            key
            for key, row in existing.items()
            if row.status in CANCELLABLE
            and key not in wanted
            and row.subject.startswith(SYNCED_SUBJECTS)
            and not _live_follow_up(row, live)
        ],
        "cancelled",
    )
    _set_status(conn, [key for key, row in existing.items() if row.status == "cancelled" and key in wanted], "pending")
    new_rows = [_row(case.id, key, *wanted[key], channel) for key in wanted if key not in existing]
    if new_rows:
        conn.execute(_INSERT, new_rows)


def _set_status(conn: Connection, keys: list[str], status: str) -> None:
    if keys:  # one UPDATE by key, sent as executemany: an expanding IN list cost ~40 µs to render each time
        conn.execute(_SET_STATUS, [{"key": key, "new_status": status} for key in keys])


# Statements built once: building one costs ten times running it (bench/main_path.py; issue 17).
_SET_STATUS = (
    update(Reminder).where(Reminder.idem_key == bindparam("key")).values(status=bindparam("new_status"))  # type: ignore[arg-type]
)
_INSERT = insert(Reminder)
CANCELLABLE = ("pending", "claimed")
# Everything a sync reads besides the clocks, in one statement: each statement costs a step 60-100 µs of SQLAlchemy
# Python however little it returns, and a sync used to send four (issue 17). `source` says what a row is:
#   REMINDER   the case's existing rows a sync can act on: idem_key, status, rule, subject, deadline_on, person (the
#              recipient). Those are the rows it may cancel (pending or claimed) and every row of a running clock or
#              an open task, whatever its status: a wanted key has such a subject, so no other row can be revived or
#              stop a duplicate. The sent and cancelled rows of deadlines long gone are most of a case's history, and
#              each row read costs a step a few µs (issue 17).
#   MEMBER     a member of the case: text (the role), person
#   FALLBACK   anyone in the partnership holding a role the reminder rules name (the fallback when nobody on the
#              case holds it): text (the role), person
#   TASK       an open task: task_id, deadline_on (its due date), person (the assignee), leaver (assignee deactivated)
# Deactivated people (leavers) keep their places on the case for the record but get no reminders: their roles fall
# back as if empty, and their open tasks' reminders go to the case's coordinator.
# No expanding IN parameter: rendering one on every execution cost the statement ~40 µs of its ~100 (issue 17); the
# running clocks' subjects are a subquery, and the roles (fixed per workflow) are built into the statement.
REMINDER, MEMBER, FALLBACK, TASK = 0, 1, 2, 3
_NO_TEXT, _NO_INT = cast(null(), String), cast(null(), Integer)
_RUNNING_CLOCK_SUBJECTS = select(
    literal("clock:", String) + Clock.name + literal(":", String) + cast(Clock.round, String)
).where(Clock.case_id == bindparam("case_id"), Clock.stopped_on.is_(None))  # type: ignore[union-attr]
_OPEN_TASK_SUBJECTS = select(literal("task:", String) + cast(Task.id, String)).where(
    Task.case_id == bindparam("case_id"),
    Task.done_on.is_(None),  # type: ignore[union-attr]
)


@lru_cache(maxsize=16)
def _inputs_statement(roles: tuple[str, ...]) -> CompoundSelect:
    """Everything a sync reads for a case whose reminder rules name `roles`."""
    return union_all(_EXISTING_ROWS, _MEMBERS, _fallback(roles), _OPEN_TASKS)


_EXISTING_ROWS = select(
    literal_column(str(REMINDER)).label("source"),
    Reminder.idem_key.label("text"),  # type: ignore[attr-defined]
    Reminder.status,
    Reminder.rule,
    Reminder.subject,
    Reminder.deadline_on,
    Reminder.recipient_id.label("person"),  # type: ignore[attr-defined]
    _NO_INT.label("task_id"),
    cast(null(), Boolean).label("leaver"),
).where(
    Reminder.case_id == bindparam("case_id"),
    or_(
        *(Reminder.status == status for status in CANCELLABLE),
        Reminder.subject.in_(_RUNNING_CLOCK_SUBJECTS),  # type: ignore[attr-defined]
        Reminder.subject.in_(_OPEN_TASK_SUBJECTS),  # type: ignore[attr-defined]
    ),
)
_MEMBERS = (
    select(
        literal_column(str(MEMBER)),
        CaseMember.role,
        _NO_TEXT,
        _NO_TEXT,
        _NO_TEXT,
        cast(null(), Date),
        CaseMember.user_id,
    )
    .add_columns(_NO_INT, cast(null(), Boolean))
    .join(User, User.id == CaseMember.user_id)
    .where(CaseMember.case_id == bindparam("case_id"), User.active.is_(True))  # type: ignore[attr-defined]
)


def _fallback(roles: tuple[str, ...]) -> Select[Any]:
    return (
        select(literal_column(str(FALLBACK)), User.role, _NO_TEXT, _NO_TEXT, _NO_TEXT, cast(null(), Date), User.id)
        .add_columns(_NO_INT, cast(null(), Boolean))
        .where(
            User.partnership_id == bindparam("partnership_id"),
            User.active.is_(True),  # type: ignore[attr-defined]
            or_(*(User.role == role for role in roles)),
        )
    )


_OPEN_TASKS = (
    select(literal_column(str(TASK)), _NO_TEXT, _NO_TEXT, _NO_TEXT, _NO_TEXT, Task.due_on, Task.assignee_id, Task.id)
    .add_columns(User.active.is_(False))  # type: ignore[attr-defined]
    .outerjoin(User, User.id == Task.assignee_id)
    .where(Task.case_id == bindparam("case_id"), Task.done_on.is_(None))  # type: ignore[union-attr]
)
_CLOCKS = select(Clock).where(Clock.case_id == bindparam("case_id"))


def _row(case_id: int, key: str, d: Deadline, send: PlannedSend, who: int, channel: str) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "subject": d.subject,
        "rule": send.rule,
        "deadline_on": d.deadline,
        "send_on": send.send_on,
        "recipient_id": who,
        "channel": channel,
        "status": "pending",
        "idem_key": key,
        "attempts": 0,
        "created_at": utcnow(),
    }


# The subjects this module plans. A case also has reminders other services own (access requests, panel meeting
# invitations); a sync must leave those alone.
SYNCED_SUBJECTS = ("clock:", "task:")


def _live_follow_up(row: Any, live: set[tuple[str, date, int]]) -> bool:
    return row.rule.startswith("overdue:") and (row.subject, row.deadline_on, row.recipient_id) in live


def _key(case_id: int, d: Deadline, send: PlannedSend, recipient: int, channel: str) -> str:
    return reminder_key(case_id, d.subject, send.rule, d.deadline, recipient, channel)


def reminder_key(case_id: int | None, subject: str, rule: str, deadline: date, recipient: int, channel: str) -> str:
    return f"{case_id if case_id is not None else '-'}:{subject}:{rule}:{deadline.isoformat()}:{recipient}:{channel}"


def plan_follow_up(
    session: Session, sent: Reminder, definition: WorkflowDefinition, cal: WorkingCalendar, today: date
) -> Reminder | None:
    """After overdue reminder N went out (or was folded into a later one), plan N+1 every `overdue_every` working
    days, counted from when it actually went out: a back-dated deadline never produces a burst."""
    if not sent.rule.startswith("overdue:") or sent.case_id is None:
        return None
    case = session.get(Case, sent.case_id)
    if case is None:
        return None
    deadline = next((d for d in _deadlines(session, case, definition) if d.subject == sent.subject), None)
    if deadline is None or deadline.deadline != sent.deadline_on or not deadline.rule.overdue_every:
        return None  # the deadline moved, stopped or was met: no more overdue reminders for it
    if sent.recipient_id not in deadline.recipients:
        return None
    number = int(sent.rule.split(":", 1)[1]) + 1
    rule = f"overdue:{number}"
    key = reminder_key(case.id, sent.subject, rule, sent.deadline_on, sent.recipient_id, sent.channel)
    if session.scalar(select(Reminder.id).where(Reminder.idem_key == key)) is not None:
        return None
    row = Reminder(
        case_id=case.id,
        subject=sent.subject,
        rule=rule,
        deadline_on=sent.deadline_on,
        send_on=cal.add_working_days(max(today, sent.send_on), deadline.rule.overdue_every),
        recipient_id=sent.recipient_id,
        channel=sent.channel,
        idem_key=key,
    )
    session.add(row)
    session.flush()
    return row


def _recipients_for(d: Deadline, send: PlannedSend) -> tuple[int, ...]:
    return d.escalation if send.rule == "escalation" else d.recipients


class Existing(NamedTuple):
    """A reminder row the case has already."""

    idem_key: str
    status: str
    rule: str
    subject: str
    deadline_on: date
    recipient_id: int


class OpenTask(NamedTuple):
    task_id: int
    due_on: date
    assignee_id: int
    leaver: bool  # the assignee has been deactivated


@dataclass
class _Inputs:
    """What `_inputs_statement` read for one case, sorted by source."""

    reminders: list[Existing] = field(default_factory=list)
    members: list[tuple[str, int]] = field(default_factory=list)
    fallback: dict[str, list[int]] = field(default_factory=dict)
    tasks: list[OpenTask] = field(default_factory=list)


def _read_inputs(session: Session, case: Case, definition: WorkflowDefinition) -> _Inputs:
    session.flush()  # the read below goes through the connection, so it must see pending ORM changes
    statement = _inputs_statement(roles_named(definition))
    params = {"case_id": case.id, "partnership_id": case.partnership_id}
    inputs = _Inputs()
    # Unpacked by position: reading each column by name costs more than the statement on a case with many rows.
    # Fetched all at once: iterating the result fetches row by row, a few µs more a sync (issue 17).
    rows = session.connection().execute(statement, params).all()
    for source, text, status, rule, subject, on, person, task_id, leaver in rows:
        if source == REMINDER:
            inputs.reminders.append(Existing(text, status, rule, subject, on, person))
        elif source == MEMBER:
            inputs.members.append((text, person))
        elif source == FALLBACK:
            inputs.fallback.setdefault(text, []).append(person)
        else:
            inputs.tasks.append(OpenTask(task_id, on, person, bool(leaver)))
    return inputs


def _deadlines(
    session: Session,
    case: Case,
    definition: WorkflowDefinition,
    clocks: list[Clock] | None = None,
    inputs: _Inputs | None = None,
) -> list[Deadline]:
    inputs = _read_inputs(session, case, definition) if inputs is None else inputs

    def people(roles: list[str]) -> tuple[int, ...]:
        """Per role: the case's members in that role, else everyone in the partnership who holds it (a CSP chair
        is rarely a member of each case, yet must get its escalations)."""
        found: set[int] = set()
        for role in roles:
            on_case = {uid for member_role, uid in inputs.members if member_role == role}
            found |= on_case or set(inputs.fallback.get(role, []))
        return tuple(sorted(found))

    if clocks is None:
        clocks = list(session.scalars(_CLOCKS, {"case_id": case.id}))
    deadlines = [
        Deadline(
            _subject(clock),
            clock.due_on,
            spec.reminders,
            people(spec.reminders.recipients),
            people(spec.reminders.escalate_to),
        )
        for clock, spec in _live(clocks, definition)
    ]
    for task in sorted(inputs.tasks, key=lambda t: t.task_id):
        rule = definition.task_reminders
        to = people(["coordinator"]) if task.leaver else (task.assignee_id,)
        deadlines.append(Deadline(f"task:{task.task_id}", task.due_on, rule, to, people(rule.escalate_to)))
    return deadlines


def _live(clocks: list[Clock], definition: WorkflowDefinition) -> list[tuple[Clock, ClockDef]]:
    """The clocks that have a deadline to remind of: running, not paused, and defined by the workflow."""
    specs = [(clock, definition.clocks.get(clock.name)) for clock in clocks]
    return [(c, spec) for c, spec in specs if spec is not None and not c.paused and c.stopped_on is None]


def _subject(clock: Clock) -> str:
    return f"clock:{clock.name}:{clock.round}"

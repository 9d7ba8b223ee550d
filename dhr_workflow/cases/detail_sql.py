"""`dhr case show`'s statements, and the case's own guard fact's, in SQLAlchemy Core (cases.detail_model and
cases.core_facts run them; core.plain_sql runs them without SQLAlchemy on SQLite). The tables name only the columns
read; tests/unit/test_read_models.py checks them against the ORM tables."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Date, Integer, String, bindparam, column, func, select, table

CASE_TABLE = table(
    "review_case",
    *(column(n, Integer) for n in ("id", "version")),
    *(column(n, String) for n in ("ref", "review_type", "workflow_name", "workflow_version", "state", "police_ref")),
    *(column(n, Date) for n in ("death_date", "notified_date", "last_event_on")),
    column("fields", JSON),
)
CLOCK = table(
    "clock",
    *(column(n, Integer) for n in ("id", "case_id", "round", "paused_days", "extension_days")),
    *(column(n, String) for n in ("name", "rule", "calendar_version")),
    *(column(n, Date) for n in ("started_on", "due_on", "stopped_on")),
    column("paused", Boolean),
    column("explanation", JSON),
)
PAUSE = table(
    "clock_pause",
    *(column(n, Integer) for n in ("id", "clock_id")),
    *(column(n, String) for n in ("reason", "note", "agreed_by")),
    *(column(n, Date) for n in ("paused_on", "resumed_on")),
)
EXTENSION = table(
    "clock_extension",
    *(column(n, Integer) for n in ("id", "clock_id", "days")),
    *(column(n, String) for n in ("reason", "agreed_by")),
    column("agreed_on", Date),
)
TASK = table(
    "task",
    *(column(n, Integer) for n in ("id", "case_id", "assignee_id")),
    *(column(n, String) for n in ("kind", "title")),
    *(column(n, Date) for n in ("due_on", "done_on")),
)
PARTY = table(
    "party",
    *(column(n, Integer) for n in ("id", "case_id", "age")),
    *(column(n, String) for n in ("kind", "pseudonym")),
)
MEMBER = table("case_member", *(column(n, Integer) for n in ("case_id", "user_id")), column("role", String))
ACCOUNT = table("account", column("id", Integer), column("email", String), column("name", String))

# Built once: building a statement costs ten times running it (bench/main_path.py; issue 17).
CASE = select(CASE_TABLE).where(CASE_TABLE.c.ref == bindparam("ref"))
CLOCKS = select(CLOCK).where(CLOCK.c.case_id == bindparam("case_id")).order_by(CLOCK.c.id)
# The case's clocks by a subquery, not a list of ids: one statement whatever their number, and the same rows.
_CASE_CLOCK_IDS = select(CLOCK.c.id).where(CLOCK.c.case_id == bindparam("case_id"))
PAUSES = select(PAUSE).where(PAUSE.c.clock_id.in_(_CASE_CLOCK_IDS)).order_by(PAUSE.c.paused_on, PAUSE.c.id)
EXTENSIONS = select(EXTENSION).where(EXTENSION.c.clock_id.in_(_CASE_CLOCK_IDS)).order_by(EXTENSION.c.id)
TASKS = select(TASK).where(TASK.c.case_id == bindparam("case_id")).order_by(TASK.c.due_on, TASK.c.id)
PARTIES = (
    select(PARTY.c.kind, PARTY.c.pseudonym, PARTY.c.age)
    .where(PARTY.c.case_id == bindparam("case_id"))
    .order_by(PARTY.c.id)
)
MEMBERS = (
    select(MEMBER.c.role, ACCOUNT.c.email, ACCOUNT.c.name)
    .join(ACCOUNT, ACCOUNT.c.id == MEMBER.c.user_id)
    .where(MEMBER.c.case_id == bindparam("case_id"))
    .order_by(MEMBER.c.role, ACCOUNT.c.email)
)
OPEN_AGENCY_TASKS = (  # the `open_agency_report_tasks` fact (cases.core_facts)
    select(func.count())
    .select_from(TASK)
    .where(
        TASK.c.case_id == bindparam("case_id"),
        TASK.c.done_on.is_(None),
        TASK.c.kind.in_(("agency_report", "chronology")),
    )
)

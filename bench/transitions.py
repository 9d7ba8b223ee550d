"""Transition throughput: `decide_review` fired through the engine (guard check, state change, audit event, clock
stop and starts, reminder rows, commit) against a raw-SQL floor that writes the same rows with plain SQL in the
same run; and the memory the engine keeps per live case.

    python -m bench.transitions [--cases 1000] [--db sqlite postgres] [--memory-cases 10000]
"""

from __future__ import annotations

import argparse
import gc
import tracemalloc
from datetime import date, timedelta

from sqlalchemy import func, select, text

from bench.common import TODAY, context, database, timed
from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.intake import Notification
from dhr_workflow.cases.tables import Clock
from dhr_workflow.people import users
from notifications.ledger.tables import Reminder

NOTIFIED = date(2026, 11, 2)


def _seed(ctx, count: int) -> list[str]:
    users.add_user(ctx, "coordinator@example.org", "Coordinator", "coordinator")
    n = Notification(NOTIFIED - timedelta(days=1), NOTIFIED, "BENCH", "Bench Victim", "Olive", 40)
    return [cases.notify_case(ctx, n, coordinator="coordinator@example.org") for _ in range(count)]


def engine_run(ctx, refs: list[str]) -> float:
    def fire_all() -> None:
        for ref in refs:
            cases.fire(ctx, ref, "decide_review", on=TODAY, values={"rationale": "Criteria met"})

    return timed(fire_all)


def rows_written_per_transition(ctx, count: int) -> dict[str, int]:
    with ctx.db.read() as s:
        clocks = s.scalar(select(func.count()).select_from(Clock).where(Clock.name != "decision")) or 0
        reminders = (
            s.scalar(select(func.count()).select_from(Reminder).where(Reminder.subject.not_like("clock:decision%")))
            or 0
        )  # type: ignore[attr-defined]
    return {"clock_inserts": clocks // count, "reminder_inserts": reminders // count}


def raw_floor(url: str, count: int, shape: dict[str, int]) -> float:
    """The same writes per transition as plain SQL statements, one transaction each."""
    from dhr_workflow.core.database import make_engine

    engine = make_engine(url)
    statements = _floor_statements(shape, engine.dialect.name)
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(text("select id from review_case order by id")).all()][:count]
        conn.rollback()

    def write_all() -> None:
        with engine.connect() as conn:
            for case_id in ids:
                with conn.begin():
                    for sql, params in statements:
                        conn.execute(text(sql), {**params, "case_id": case_id})

    elapsed = timed(write_all)
    engine.dispose()
    return elapsed


def _floor_statements(shape: dict[str, int], dialect: str) -> list[tuple[str, dict]]:
    today = TODAY
    json = "CAST(:fields AS json)" if dialect == "postgresql" else ":fields"
    rows: list[tuple[str, dict]] = [
        ("SELECT id, state, version, fields FROM review_case WHERE id = :case_id", {}),
        (
            "UPDATE review_case SET state = 'review_agreed', version = version + 1, last_event_on = :d, "
            f"fields = {json} WHERE id = :case_id",
            {"d": today, "fields": '{"rationale": "Criteria met"}'},
        ),
        ("UPDATE clock SET stopped_on = :d WHERE case_id = :case_id AND name = 'decision'", {"d": today}),
        ("UPDATE reminder SET status = 'cancelled' WHERE case_id = :case_id AND status = 'pending'", {}),
        ("UPDATE audit_head SET seq = seq + 1, hash = :h WHERE id = 1", {"h": "f" * 64}),
        (
            "INSERT INTO audit_event (seq, case_id, actor, action, occurred_on, recorded_at, payload, prev_hash, hash) "
            "VALUES ((SELECT seq FROM audit_head WHERE id = 1), :case_id, 'system', 'fired:decide_review', :d, :d, "
            "'{}', :h, :h)",
            {"d": today, "h": "e" * 64},
        ),
    ]
    for i in range(shape["clock_inserts"]):
        rows.append(
            (
                "INSERT INTO clock (case_id, name, round, started_on, due_on, paused, paused_days, extension_days, "
                "rule, calendar_version, explanation) VALUES (:case_id, :n, 1, :d, :d, false, 0, 0, 'r', 'v', '[]')",
                {"n": f"floor{i}", "d": today},
            )
        )
    for i in range(shape["reminder_inserts"]):
        rows.append(
            (
                "INSERT INTO reminder (case_id, subject, rule, deadline_on, send_on, recipient_id, channel, "
                "status, idem_key, attempts, created_at) VALUES (:case_id, 's', 'r', :d, :d, 1, 'email', "
                "'pending', :k || :case_id, 0, :d)",
                {"d": today, "k": f"floor{i}:"},
            )
        )
    return rows


def throughput(kind: str, count: int) -> dict[str, float]:
    with database(kind) as url:
        ctx = context(url)
        refs = _seed(ctx, count)
        shape = rows_written_per_transition(ctx, count)
        ours = engine_run(ctx, refs)
        shape = rows_written_per_transition(ctx, count)
        ctx.db.dispose()
        floor = raw_floor(url, count, shape)
    return {
        "engine_s": ours,
        "floor_s": floor,
        "ratio": ours / floor,
        **shape,
        "engine_per_s": count / ours,
        "floor_per_s": count / floor,
    }


def memory_per_case(count: int) -> dict[str, float]:
    """Python memory retained by firing on `count` cases vs on 1,000: nothing is kept per case, so it must not grow."""
    with database("sqlite") as url:
        ctx = context(url)
        refs = _seed(ctx, count)
        retained: dict[int, int] = {}
        gc.collect()
        tracemalloc.start()
        done = 0
        for batch in (1000, count):
            for ref in refs[done:batch]:
                cases.fire(ctx, ref, "start_scoping", on=TODAY)
            done = batch
            gc.collect()
            retained[batch] = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        ctx.db.dispose()
    return {
        "retained_after_1000_bytes": retained[1000],
        f"retained_after_{count}_bytes": retained[count],
        "growth_per_case_bytes": (retained[count] - retained[1000]) / (count - 1000),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--memory-cases", type=int, default=10000)
    args = parser.parse_args()
    for kind in args.db:
        r = throughput(kind, args.cases)
        print(
            f"{kind}: {args.cases} decide_review transitions: engine {r['engine_s']:.2f} s "
            f"({r['engine_per_s']:.0f}/s), raw-SQL floor {r['floor_s']:.2f} s ({r['floor_per_s']:.0f}/s), "
            f"ratio {r['ratio']:.2f}x; rows per transition beyond the case and audit: "
            f"{r['clock_inserts']} clock, {r['reminder_inserts']} reminder"
        )
    if args.memory_cases:
        m = memory_per_case(args.memory_cases)
        print(
            f"memory: retained after 1,000 cases {m['retained_after_1000_bytes'] / 1024:.0f} KiB, after "
            f"{args.memory_cases:,} {m[f'retained_after_{args.memory_cases}_bytes'] / 1024:.0f} KiB; growth "
            f"{m['growth_per_case_bytes']:.1f} bytes per case"
        )


if __name__ == "__main__":
    main()

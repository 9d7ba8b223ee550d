"""The DHR main path, step by step: the 14 triggers of workflows/dhr.yaml from `start_scoping` to `qa_publish`
fired through `cases.lifecycle.fire` on N cases round-robin (every case takes step 1, then every case step 2, ...),
with every effect kept: guards, field effects, clocks stopped and started, reminder rows, the audit hash chain, one
transaction a step. The floor, in the same run: plain sqlite3 that reads a case's state, updates it and inserts an
audit row, one transaction a step, with the same SQLite settings (WAL, synchronous=NORMAL, BEGIN IMMEDIATE).

    python -m bench.main_path [--cases 50] [--db sqlite postgres] [--repeat 3] [--profile | --instructions]

Target (issue 17): at most 1,000 µs a step on SQLite.
"""

from __future__ import annotations

import argparse
import itertools
import sqlite3
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import TODAY, context, database
from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.intake import Notification
from dhr_workflow.people import users

COORDINATOR = "coordinator@example.org"
# (trigger, the fields it requires or its guard reads), in the order of the main path.
MAIN_PATH: list[tuple[str, dict[str, str]]] = [
    ("start_scoping", {}),
    ("decide_review", {"rationale": "The criteria for a review are met"}),
    ("inform_home_office", {}),
    ("appoint_chair", {"chair_name": "A. Chair", "chair_independence_statement_received": "yes"}),
    ("convene_panel", {}),
    ("agree_terms_of_reference", {"review_period_start": "2024-01-01"}),
    ("request_agency_reports", {}),
    ("start_drafting", {}),
    ("share_draft_with_family", {}),
    ("record_family_comments", {}),
    ("panel_agree", {}),
    ("csp_sign_off", {}),
    ("submit_to_home_office", {}),
    ("qa_publish", {}),
]
TARGET_US = 1000
MAIN_PATH_END = "approved_for_publication"  # where qa_publish leaves a case


def engine_steps(kind: str, count: int) -> tuple[float, float, float]:
    """Seconds per step, wall and this process's CPU, and statements per step, firing the main path on `count`
    fresh cases. One more case walks the path first, untimed: the first step imports the guard-fact extensions once
    per process, which is start-up, not a step. CPU time is reported beside wall time because on a shared machine
    the wall clock mostly measures the wait for a core. Statements count everything sent to the database, BEGIN and
    BEGIN included (COMMIT is a DB-API call, not a statement)."""
    with database(kind) as url:
        ctx = context(url)
        users.add_user(ctx, COORDINATOR, "Coordinator", "coordinator")
        warm_up, *refs = _seed_cases(ctx, count + 1)
        for trigger, values in MAIN_PATH:
            cases.fire(ctx, warm_up, trigger, on=TODAY, values=values)
        statements = _count_statements(ctx.db.engine)
        start, cpu = time.perf_counter(), time.process_time()
        for trigger, values in MAIN_PATH:
            for ref in refs:
                cases.fire(ctx, ref, trigger, on=TODAY, values=values)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        ctx.db.dispose()
    steps = count * len(MAIN_PATH)
    return elapsed / steps, cpu / steps, len(statements) / steps


def _count_statements(engine) -> list[str]:  # type: ignore[no-untyped-def]
    """Every statement sent from now on (the listener costs a list append: noise beside a statement)."""
    from sqlalchemy import event

    sent: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    return sent


def _seed_cases(ctx, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    notified = TODAY - timedelta(days=30)
    n = Notification(notified - timedelta(days=2), notified, "BENCH", "Bench Victim", "Olive", 40)
    refs = [cases.notify_case(ctx, n, coordinator=COORDINATOR) for _ in range(count)]
    _settle_agency_reports(ctx, refs, notified)
    _close_accuracy_rounds(ctx, refs, notified)
    return refs


def _close_accuracy_rounds(ctx, refs: list[str], on) -> None:  # type: ignore[no-untyped-def]
    """The panel agrees the draft once the factual-accuracy round is closed (issue 12): a draft circulated to the
    agency, which had no comments, recorded before the timed steps."""
    from dhr_workflow.accuracy import rounds, views
    from dhr_workflow.documents.versions import generate

    fields = {"chair_name": "A. Chair", "review_period_start": "2024-01-01", "rationale": "Criteria met"}
    for ref in refs:
        cases.set_fields(ctx, ref, fields)
        doc, _ = generate(ctx, ref, "overview_report")
        rounds.circulate(ctx, ref, doc.version, agencies=["Bench Agency"], on=on)
        rounds.answer(ctx, ref, views.rounds_of(ctx, ref)[0]["recipients"][0]["id"], no_comments=True, on=on)


def _settle_agency_reports(ctx, refs: list[str], on) -> None:  # type: ignore[no-untyped-def]
    """Drafting needs every in-scope agency's report settled (issue 12): one agency per case, its IMR a nil return,
    recorded before the timed steps so they measure the engine, not the evidence log."""
    from dhr_workflow.agencies import directory, evidence

    directory.add_agency(ctx, "Bench Agency", "other")
    for ref in refs:
        directory.change_scope(ctx, ref, add=["Bench Agency"])
        request_id = evidence.request_evidence(ctx, ref, "Bench Agency", "imr", on=on)
        evidence.receive(ctx, ref, request_id, nil_return=True, on=on)


def sqlite_floor(count: int) -> float:
    """Seconds per step: read the stage, update it, insert an audit row; one transaction each."""
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "floor.sqlite3", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000"):
            db.execute(f"PRAGMA {pragma}")
        db.execute("CREATE TABLE review_case (id INTEGER PRIMARY KEY, ref TEXT UNIQUE, state TEXT, version INT)")
        db.execute(
            "CREATE TABLE audit_event (id INTEGER PRIMARY KEY, case_id INT REFERENCES review_case(id), "
            "action TEXT, occurred_on TEXT, payload TEXT)"
        )
        db.executemany(
            "INSERT INTO review_case (ref, state, version) VALUES (?, 'notified', 1)",
            [(f"DHR-2026-{i:04d}",) for i in range(count)],
        )
        refs = [r[0] for r in db.execute("SELECT ref FROM review_case ORDER BY id")]
        start = time.perf_counter()
        for trigger, _ in MAIN_PATH:
            for ref in refs:
                db.execute("BEGIN IMMEDIATE")
                case_id, _state = db.execute("SELECT id, state FROM review_case WHERE ref = ?", (ref,)).fetchone()
                db.execute("UPDATE review_case SET state = ?, version = version + 1 WHERE id = ?", (trigger, case_id))
                db.execute(
                    "INSERT INTO audit_event (case_id, action, occurred_on, payload) VALUES (?, ?, ?, '{}')",
                    (case_id, f"fired:{trigger}", TODAY.isoformat()),
                )
                db.execute("COMMIT")
        elapsed = time.perf_counter() - start
        db.close()
    return elapsed / (count * len(MAIN_PATH))


def instruction_run(count: int) -> None:
    """The SQLite pass with its timed steps run inside `itertools.starmap`, for a count of instructions that no other
    process on the machine can disturb (CPU time here moves 10-30% with the load):

        valgrind --tool=callgrind --collect-atstart=no --toggle-collect=starmap_next \\
            python -m bench.main_path --instructions --cases 10

    counts only what runs inside starmap's iterator, the steps (nothing else in the run uses starmap: with
    `--cases 0` it collects a few dozen instructions). Kernel time (the commit's WAL write) is not counted."""
    with database("sqlite") as url:
        ctx = context(url)
        users.add_user(ctx, COORDINATOR, "Coordinator", "coordinator")
        warm_up, *refs = _seed_cases(ctx, count + 1)
        for trigger, values in MAIN_PATH:
            cases.fire(ctx, warm_up, trigger, on=TODAY, values=values)
        steps = [(ref, trigger, values) for trigger, values in MAIN_PATH for ref in refs]
        fired = [o.dest for o in itertools.starmap(lambda r, t, v: cases.fire(ctx, r, t, on=TODAY, values=v), steps)]
        ctx.db.dispose()
    print(
        f"{len(fired)} steps fired inside itertools.starmap; {fired.count(MAIN_PATH_END)} cases reached {MAIN_PATH_END}"
    )


def _profile(count: int) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    engine_steps("sqlite", count)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--repeat", type=int, default=3, help="runs per database; the median is reported")
    parser.add_argument("--profile", action="store_true", help="cProfile one SQLite run instead")
    parser.add_argument(
        "--instructions", action="store_true", help="one SQLite run for callgrind (see instruction_run)"
    )
    args = parser.parse_args()
    if args.profile:
        _profile(args.cases)
        return
    if args.instructions:
        instruction_run(args.cases)
        return
    floor = statistics.median(sqlite_floor(args.cases) for _ in range(args.repeat))
    print(f"DHR main path: {len(MAIN_PATH)} steps x {args.cases} cases, round-robin; median of {args.repeat} runs")
    print(f"{'':<34} {'µs a step':>10} {'x floor':>8}")
    print(f"{'plain sqlite3 floor':<34} {floor * 1e6:>10.0f} {1:>7.1f}x")
    for kind in args.db:
        runs = [engine_steps(kind, args.cases) for _ in range(args.repeat)]
        per_step = statistics.median(wall for wall, _cpu, _n in runs)
        cpu = statistics.median(cpu for _wall, cpu, _n in runs)
        note = (
            f"  (target {TARGET_US} µs: {'met' if per_step * 1e6 <= TARGET_US else 'missed'})"
            if kind == "sqlite"
            else ""
        )
        print(f"{'engine, ' + kind:<34} {per_step * 1e6:>10.0f} {per_step / floor:>7.1f}x{note}")
        print(f"{'  of which CPU in this process':<34} {cpu * 1e6:>10.0f}")
        print(f"{'  statements a step':<34} {runs[0][2]:>10.1f}")


if __name__ == "__main__":
    main()

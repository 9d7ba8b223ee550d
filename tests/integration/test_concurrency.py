"""Two people changing one case at the same moment, in separate processes: exactly one wins, the other is told."""

from __future__ import annotations

import multiprocessing as mp
from datetime import date

from dhr_workflow.cases.queries import case_history, show_case
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from tests.factories import new_case

TODAY = date(2026, 11, 20)


def _worker(url: str, ref: str, trigger: str, expected_version: int | None, barrier, results) -> None:
    from dhr_workflow.cases import lifecycle as cases
    from dhr_workflow.core.context import AppContext
    from dhr_workflow.core.database import Database
    from dhr_workflow.core.errors import DhrError
    from dhr_workflow.core.settings import Settings
    from dhr_workflow.workflow.registry import WorkflowRegistry

    ctx = AppContext(
        Settings(database_url=url, _env_file=None),
        Database(url),
        WorkflowRegistry.from_directory(),
        clock=lambda: TODAY,
    )
    barrier.wait()
    try:
        cases.fire(ctx, ref, trigger, values={"rationale": f"by {trigger}"}, expected_version=expected_version)
        results.put(("won", trigger))
    except DhrError as err:
        results.put((type(err).__name__, str(err)))
    finally:
        ctx.db.dispose()


def _race(url: str, ref: str, plans: list[tuple[str, int | None]]) -> list[tuple[str, str]]:
    spawn = mp.get_context("spawn")
    barrier, results = spawn.Barrier(len(plans)), spawn.Queue()
    procs = [
        spawn.Process(target=_worker, args=(url, ref, trigger, version, barrier, results)) for trigger, version in plans
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return outcomes


def test_two_processes_firing_on_one_case_exactly_one_wins_and_the_other_is_told(
    ctx: AppContext, database_url: str
) -> None:
    ref = new_case(ctx, date(2026, 11, 2))
    outcomes = _race(database_url, ref, [("decide_review", 1), ("decide_review", 1)])
    assert sorted(kind for kind, _ in outcomes) == ["ConcurrentChange", "won"]
    loser = next(msg for kind, msg in outcomes if kind != "won")
    assert "changed by someone else" in loser and "reload" in loser.lower()
    assert show_case(ctx, ref)["version"] == 2


def test_racing_different_decisions_leaves_one_consistent_outcome(ctx: AppContext, database_url: str) -> None:
    ref = new_case(ctx, date(2026, 11, 2))
    outcomes = _race(
        database_url,
        ref,
        [("decide_review", None), ("decide_no_review", None), ("decide_review", None), ("decide_no_review", None)],
    )
    winners = [t for kind, t in outcomes if kind == "won"]
    assert len(winners) == 1
    assert all(kind in ("won", "ConcurrentChange", "TriggerNotAvailable") for kind, _ in outcomes)
    state = show_case(ctx, ref)["state"]
    assert state == {"decide_review": "review_agreed", "decide_no_review": "no_review_decided"}[winners[0]]
    assert [e["action"] for e in case_history(ctx, ref)].count(f"fired:{winners[0]}") == 1
    with ctx.db.read() as s:
        assert audit.verify(s).ok


def _notifier(url: str, count: int, barrier, results) -> None:
    from datetime import timedelta

    from dhr_workflow.cases import lifecycle as cases
    from dhr_workflow.cases.intake import Notification
    from dhr_workflow.core.context import AppContext
    from dhr_workflow.core.database import Database
    from dhr_workflow.core.settings import Settings
    from dhr_workflow.workflow.registry import WorkflowRegistry

    ctx = AppContext(
        Settings(database_url=url, _env_file=None),
        Database(url),
        WorkflowRegistry.from_directory(),
        clock=lambda: TODAY,
    )
    barrier.wait()
    try:
        for i in range(count):
            n = Notification(TODAY - timedelta(days=3), TODAY - timedelta(days=1), f"REF{i}", "Real Name", "Pseudo")
            results.put(cases.notify_case(ctx, n))
    except Exception as err:  # report, so the test fails with the cause instead of timing out
        results.put(f"{type(err).__name__}: {err}")
    finally:
        ctx.db.dispose()


def test_concurrent_notifications_get_distinct_consecutive_references(ctx: AppContext, database_url: str) -> None:
    spawn = mp.get_context("spawn")
    barrier, results = spawn.Barrier(3), spawn.Queue()
    procs = [spawn.Process(target=_notifier, args=(database_url, 8, barrier, results)) for _ in range(3)]
    for p in procs:
        p.start()
    refs = [results.get(timeout=120) for _ in range(24)]
    assert all(r.startswith("DHR-") for r in refs), refs
    for p in procs:
        p.join(timeout=60)
    assert sorted(refs) == [f"DHR-2026-{i:03d}" for i in range(1, 25)]
    with ctx.db.read() as s:
        assert audit.verify(s).events_checked == 24

"""An append chains onto the head this process last wrote without reading it first (issue 17), but only when the
head row still holds exactly that seq, hash and key: anything else (another process's append, a rolled-back append,
a head edited by hand) reads the head again, so the chain never forks or skips."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, text

from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.database import Database

ON = date(2026, 11, 2)


def _append(db: Database, action: str = "noted") -> audit.NewEvent:
    with db.write() as s:
        return audit.append(s, actor="tester", action=action, occurred_on=ON)


def _chain(ctx: AppContext) -> list[tuple[int, str, str]]:
    with ctx.db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT seq, prev_hash, hash FROM audit_event ORDER BY seq"))]


def _verified(ctx: AppContext) -> audit.VerifyResult:
    with ctx.db.read() as s:
        return audit.verify(s)


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _reads_head(sent: list[str]) -> bool:
    return any(s.startswith("SELECT") and "FROM audit_head" in s for s in sent)


def test_an_append_onto_the_head_this_process_wrote_does_not_read_the_head(ctx: AppContext) -> None:
    with _statements(ctx.db) as first:
        _append(ctx.db)
    with _statements(ctx.db) as second:
        _append(ctx.db)
    assert _reads_head(first) and not _reads_head(second)
    assert _verified(ctx).ok


def test_an_append_after_another_process_moved_the_head_chains_onto_the_real_head(ctx: AppContext) -> None:
    mine, other = ctx.db, Database(ctx.settings.database_url)  # another engine: as another process sees it
    try:
        _append(mine)
        _append(other)
        with _statements(mine) as sent:
            last = _append(mine)
    finally:
        other.dispose()
    chain = _chain(ctx)
    assert [seq for seq, _prev, _hash in chain] == [1, 2, 3] and last.seq == 3
    assert all(chain[i][1] == chain[i - 1][2] for i in range(1, 3))  # each links to the one before
    assert _reads_head(sent) and _verified(ctx).ok


def test_an_append_after_a_rolled_back_append_chains_onto_the_committed_head(ctx: AppContext) -> None:
    _append(ctx.db)
    with pytest.raises(RuntimeError), ctx.db.write() as s:
        audit.append(s, actor="tester", action="undone", occurred_on=ON)
        raise RuntimeError("the step fails after its event")
    last = _append(ctx.db)
    assert last.seq == 2 and [seq for seq, _p, _h in _chain(ctx)] == [1, 2]
    assert _verified(ctx).ok


def test_a_head_edited_by_hand_is_read_again(ctx: AppContext) -> None:
    _append(ctx.db)
    kept = _append(ctx.db)
    with ctx.db.engine.begin() as conn:  # as if the newest event never happened: the head points one back
        conn.execute(text("DELETE FROM audit_event WHERE seq = 2"))
        conn.execute(
            text("UPDATE audit_head SET seq = 1, hash = (SELECT hash FROM audit_event WHERE seq = 1)"),
        )
    with _statements(ctx.db) as sent:
        again = _append(ctx.db)
    assert _reads_head(sent) and again.seq == 2 and again.hash != kept.hash
    assert _verified(ctx).ok


def test_appends_racing_from_two_engines_leave_one_unbroken_chain(ctx: AppContext) -> None:
    # Each engine's remembered head goes stale whenever the other appends: every such append must notice (its UPDATE
    # moves nothing, or waits on the row lock and then moves nothing) and chain onto the real head instead.
    engines = [Database(ctx.settings.database_url) for _ in range(2)]
    start, failures = threading.Barrier(2), []

    def appender(db: Database) -> None:
        try:
            start.wait()
            for _ in range(25):
                _append(db, "raced")
        except Exception as error:  # noqa: BLE001 - reported below, in the test's own thread
            failures.append(error)

    threads = [threading.Thread(target=appender, args=(db,)) for db in engines]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        for db in engines:
            db.dispose()
    assert not failures
    chain = _chain(ctx)
    assert [seq for seq, _prev, _hash in chain] == list(range(1, 51))
    assert all(chain[i][1] == chain[i - 1][2] for i in range(1, 50))
    assert _verified(ctx).ok

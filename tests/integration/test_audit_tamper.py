"""Someone who can write the database, but holds neither the audit key nor the anchor log, cannot change the audit
trail undetected (ADR 0052). Each tamper case names the first event affected; a malformed row is a broken event, never
a crash. Cases refused by PostgreSQL's column types are asserted as refused there."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DataError, StatementError

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.core import audit
from dhr_workflow.core.audit_chain import NewEvent
from dhr_workflow.core.audit_keys import AuditConfig, key_id
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.tables import AuditEvent
from tests.conftest import TEST_DB
from tests.factories import DECISION, new_case

KEY = b"k3y-for-the-tamper-tests-0123456789"
ATTACKER_KEY = b"the-attacker-made-this-key-up-000"


def case_with_history(ctx: AppContext) -> None:
    ref = new_case(ctx, date(2026, 10, 1))
    cases.fire(ctx, ref, "start_scoping", on=date(2026, 10, 5))
    cases.fire(ctx, ref, "decide_review", on=date(2026, 10, 20), values=DECISION)
    cases.fire(ctx, ref, "inform_home_office", on=date(2026, 10, 21))


@pytest.fixture
def keyed(ctx: AppContext, tmp_path: Path) -> AppContext:
    """Six events (a case's four and two more), anchored every two events."""
    ctx.db.use_audit(AuditConfig(KEY, anchor_dir=tmp_path / "anchors", anchor_every=2))
    case_with_history(ctx)
    for n in (5, 6):
        with ctx.db.write() as s:
            audit.append(s, actor="admin@example.org", action=f"setting_{n}", occurred_on=date(2026, 11, n))
    return ctx


def _verify(ctx: AppContext) -> audit.VerifyResult:
    with ctx.db.read() as s:
        return audit.verify(s)


def _sql(ctx: AppContext, statement: str, **params: object) -> None:
    with ctx.db.engine.begin() as conn:
        conn.execute(text(statement), params)


def _rows(ctx: AppContext) -> list[AuditEvent]:
    from sqlalchemy import select

    with ctx.db.read() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def _rehash_from(ctx: AppContext, seq: int, *, mac: Callable[[str], str | None] = lambda h: "0" * 64) -> None:
    """What an attacker with the database does: recompute every hash from `seq` on and move the head."""
    rows = _rows(ctx)
    prev = rows[seq - 2].hash if seq > 1 else audit.GENESIS
    for row in rows[seq - 1 :]:
        event = NewEvent(
            row.seq, row.case_id, row.actor, row.action, row.occurred_on, row.recorded_at, row.payload, prev
        )
        new_hash = audit.event_hash(event)
        _sql(
            ctx,
            "UPDATE audit_event SET prev_hash = :p, hash = :h, mac = :m WHERE seq = :s",
            p=prev,
            h=new_hash,
            m=mac(new_hash),
            s=row.seq,
        )
        prev = new_hash
    _sql(ctx, "UPDATE audit_head SET seq = :s, hash = :h", s=rows[-1].seq, h=prev)


def _rewrite_and_rehash(ctx: AppContext) -> None:
    _sql(ctx, "UPDATE audit_event SET actor = 'forger@example.org' WHERE seq = 3")
    _rehash_from(ctx, 3)


def _delete_and_renumber(ctx: AppContext) -> None:
    _sql(ctx, "DELETE FROM audit_event WHERE seq = 3")
    for seq in (4, 5, 6):
        _sql(ctx, "UPDATE audit_event SET seq = :n WHERE seq = :s", n=seq - 1, s=seq)
    _rehash_from(ctx, 3)


def _swap(ctx: AppContext) -> None:
    _sql(ctx, "UPDATE audit_event SET seq = 1000 WHERE seq = 3")
    _sql(ctx, "UPDATE audit_event SET seq = 3 WHERE seq = 4")
    _sql(ctx, "UPDATE audit_event SET seq = 4 WHERE seq = 1000")


def _truncate(ctx: AppContext) -> None:
    keep = _rows(ctx)[3]
    _sql(ctx, "DELETE FROM audit_event WHERE seq > 4")
    _sql(ctx, "UPDATE audit_head SET seq = 4, hash = :h", h=keep.hash)


def _empty(ctx: AppContext) -> None:
    _sql(ctx, "DELETE FROM audit_event")
    _sql(ctx, "UPDATE audit_head SET seq = 0, hash = :h, key_id = NULL", h=audit.GENESIS)


def _forge_at_end(ctx: AppContext, key: bytes | None, key_id: str, action: str = "forged") -> None:
    last = _rows(ctx)[-1]
    payload = {"from_key": last.key_id, "to_key": key_id} if action == "audit_key_rotated" else {}
    event = NewEvent(7, None, "forger@example.org", action, date(2026, 11, 7), last.recorded_at, payload, last.hash)
    event.hash = audit.event_hash(event)
    mac = hmac.new(key, event.hash.encode(), hashlib.sha256).hexdigest() if key else "f" * 64
    _sql(
        ctx,
        "INSERT INTO audit_event (seq, actor, action, occurred_on, recorded_at, payload, prev_hash, hash, mac, key_id)"
        " VALUES (7, :a, :ac, :o, :r, :p, :ph, :h, :m, :k)",
        a=event.actor,
        ac=action,
        o=event.occurred_on,
        r=event.recorded_at,
        p=json.dumps(payload),
        ph=event.prev_hash,
        h=event.hash,
        m=mac,
        k=key_id,
    )
    _sql(ctx, "UPDATE audit_head SET seq = 7, hash = :h", h=event.hash)


def _strip_every_mac(ctx: AppContext) -> None:
    _sql(ctx, "UPDATE audit_event SET mac = NULL, key_id = NULL")
    _sql(ctx, "UPDATE audit_head SET key_id = NULL")
    _rehash_from(ctx, 1, mac=lambda h: None)


def _replay_old_event(ctx: AppContext) -> None:
    old = _rows(ctx)[1]
    _sql(
        ctx,
        "INSERT INTO audit_event (seq, case_id, actor, action, occurred_on, recorded_at, payload, prev_hash, hash, mac,"
        " key_id) VALUES (7, :c, :a, :ac, :o, :r, :p, :ph, :h, :m, :k)",
        c=old.case_id,
        a=old.actor,
        ac=old.action,
        o=old.occurred_on,
        r=old.recorded_at,
        p=json.dumps(old.payload),
        ph=old.prev_hash,
        h=old.hash,
        m=old.mac,
        k=old.key_id,
    )
    _sql(ctx, "UPDATE audit_head SET seq = 7, hash = :h", h=old.hash)


def _set(column: str, value: str) -> Callable[[AppContext], None]:
    return lambda ctx: _sql(ctx, f"UPDATE audit_event SET {column} = {value} WHERE seq = 3")  # noqa: S608


TAMPERS = [
    pytest.param(_set("actor", "'someone.else@example.org'"), 3, "changed after it was recorded", id="actor-edited"),
    pytest.param(_set("action", "'fired:withdraw'"), 3, "changed after it was recorded", id="action-edited"),
    pytest.param(_set("occurred_on", "'2026-01-01'"), 3, "changed after it was recorded", id="occurred-on-edited"),
    pytest.param(
        _set("recorded_at", "'2020-01-01 00:00:00.000000'"), 3, "changed after it was recorded", id="recorded-at-edited"
    ),
    pytest.param(_set("payload", """'{"rationale": "forged"}'"""), 3, "changed after", id="payload-edited"),
    pytest.param(_set("case_id", "NULL"), 3, "changed after it was recorded", id="case-detached"),
    pytest.param(_set("prev_hash", "'" + "1" * 64 + "'"), 3, "does not link", id="link-edited"),
    pytest.param(_set("hash", "'" + "2" * 64 + "'"), 3, "changed after it was recorded", id="hash-edited"),
    pytest.param(_set("mac", "'" + "3" * 64 + "'"), 3, "MAC differs", id="mac-edited"),
    pytest.param(_set("key_id", "'00000000deadbeef'"), 3, "not configured", id="key-id-edited"),
    pytest.param(_set("payload", "'[1, 2]'"), 3, "not a JSON object", id="payload-not-an-object"),
    pytest.param(_rewrite_and_rehash, 3, "MAC differs", id="rewritten-and-chain-recomputed"),
    pytest.param(lambda ctx: _sql(ctx, "DELETE FROM audit_event WHERE seq = 3"), 4, "event 3 is missing", id="gap"),
    pytest.param(_delete_and_renumber, 3, "MAC differs", id="deleted-renumbered-and-recomputed"),
    pytest.param(_swap, 3, "does not link", id="two-events-swapped"),
    pytest.param(_truncate, 5, "anchor log recorded event 6", id="newest-removed-and-head-moved-back"),
    pytest.param(_empty, 1, "anchor log recorded event 6", id="table-and-head-emptied"),
    pytest.param(lambda ctx: _forge_at_end(ctx, None, key_id(KEY)), 7, "MAC differs", id="forged-event"),
    pytest.param(
        lambda ctx: _forge_at_end(ctx, ATTACKER_KEY, key_id(ATTACKER_KEY), "audit_key_rotated"),
        7,
        "not configured",
        id="forged-key-rotation",
    ),
    pytest.param(_strip_every_mac, 2, "does not match the anchor log", id="every-mac-stripped-and-rehashed"),
    pytest.param(_replay_old_event, 7, "does not link", id="old-event-replayed"),
    pytest.param(
        lambda ctx: _sql(ctx, "UPDATE audit_head SET seq = 9"), 7, "head records event 9", id="head-moved-forward"
    ),
]


@pytest.mark.parametrize(("tamper", "first_affected", "problem"), TAMPERS)
def test_tampering_by_a_database_writer_is_named_at_the_first_event_affected(
    keyed: AppContext, tamper: Callable[[AppContext], None], first_affected: int, problem: str
) -> None:
    assert _verify(keyed).ok
    tamper(keyed)
    result = _verify(keyed)
    assert not result.ok
    assert result.first_broken_seq == first_affected, result.problem
    assert problem in (result.problem or "")


@pytest.mark.parametrize(
    ("column", "garbage", "reported"),
    [
        ("payload", "'{not json'", "broken at event 3: event 3 is malformed"),
        ("recorded_at", "'yesterday-ish'", "broken at event 3: event 3 is malformed"),
        ("occurred_on", "'31/02/2026'", "broken at event 3: event 3 is malformed"),
        ("seq", "'three'", "broken at event 4: event 3 is missing"),  # SQLite sorts the text after the numbers
    ],
)
def test_a_malformed_row_is_a_broken_event_with_exit_7_never_a_crash(
    keyed: AppContext, cli, column: str, garbage: str, reported: str
) -> None:
    statement = f"UPDATE audit_event SET {column} = {garbage} WHERE seq = 3"  # noqa: S608
    if TEST_DB == "postgres":  # PostgreSQL's column types refuse the garbage outright
        with pytest.raises((DataError, StatementError)):
            _sql(keyed, statement)
        return
    _sql(keyed, statement)
    result = cli("audit", "verify")
    assert result.exit_code == 7, result.output
    assert reported in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def test_the_cli_reports_anchors_matched_and_exits_7_naming_a_truncation(keyed: AppContext, cli) -> None:
    ok = cli("audit", "verify")
    assert ok.exit_code == 0 and "6 events verified, 3 anchors matched" in ok.stdout
    _truncate(keyed)
    broken = cli("audit", "verify")
    assert broken.exit_code == 7 and "broken at event 5" in broken.stderr

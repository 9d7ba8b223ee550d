"""The audit key's life (ADR 0052): where it comes from, its rotation recorded in the chain, the events recorded
before it existed, and the anchor log written after each commit and at each sweep."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select, text

from dhr_workflow.core import audit
from dhr_workflow.core.audit_anchors import anchor_path
from dhr_workflow.core.audit_keys import DEVELOPMENT_KEY, AuditConfig, AuditKeyError, config_from, key_id
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.settings import Settings
from dhr_workflow.core.tables import AuditEvent

OLD = b"the-old-audit-key-0123456789abcdef"
NEW = b"the-new-audit-key-0123456789abcdef"


def _append(ctx: AppContext, n: int = 1) -> None:
    for i in range(n):
        with ctx.db.write() as s:
            audit.append(s, actor="admin@example.org", action=f"did_{i}", occurred_on=date(2026, 11, 1))


def _verify(ctx: AppContext, config: AuditConfig | None = None) -> audit.VerifyResult:
    with ctx.db.read() as s:
        return audit.verify(s, config)


def _events(ctx: AppContext) -> list[AuditEvent]:
    with ctx.db.read() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def test_a_key_file_holds_retired_keys_before_the_current_one(tmp_path: Path) -> None:
    keys = tmp_path / "audit.key"
    keys.write_text(f"# retired 2026-11\n{OLD.decode()}\n\n{NEW.decode()}\n")
    config = config_from(Settings(audit_key_file=keys, _env_file=None))  # type: ignore[call-arg]
    assert config.current == NEW and config.retired == (OLD,)
    assert set(config.keys) == {key_id(OLD), key_id(NEW)}


def test_an_environment_key_is_current_and_the_file_keys_are_kept_for_checking(tmp_path: Path) -> None:
    keys = tmp_path / "audit.key"
    keys.write_text(OLD.decode() + "\n")
    settings = Settings(audit_key=SecretStr(NEW.decode()), audit_key_file=keys, _env_file=None)  # type: ignore[call-arg]
    assert config_from(settings).current == NEW and config_from(settings).retired == (OLD,)


@pytest.mark.parametrize("content", ["short\n", "# only a comment\n", None])
def test_a_short_missing_or_empty_key_is_refused_with_a_clear_message(tmp_path: Path, content: str | None) -> None:
    keys = tmp_path / "audit.key"
    if content is not None:
        keys.write_text(content)
    with pytest.raises(AuditKeyError, match="audit key"):
        config_from(Settings(audit_key_file=keys, _env_file=None))  # type: ignore[call-arg]


def test_without_a_key_development_uses_the_development_key_and_verify_says_so(ctx: AppContext) -> None:
    assert config_from(Settings(_env_file=None)).current == DEVELOPMENT_KEY  # type: ignore[call-arg]
    _append(ctx)
    assert any("development audit key" in note for note in _verify(ctx).notes)


def test_a_rotation_is_an_event_endorsed_by_the_old_key_and_both_keys_verify(ctx: AppContext) -> None:
    ctx.db.use_audit(AuditConfig(OLD))
    _append(ctx, 2)
    ctx.db.use_audit(AuditConfig(NEW, retired=(OLD,)))
    _append(ctx)
    events = _events(ctx)
    assert [e.action for e in events] == ["did_0", "did_1", "audit_key_rotated", "did_0"]
    assert events[2].payload["from_key"] == key_id(OLD) and events[2].payload["to_key"] == key_id(NEW)
    assert [e.key_id for e in events] == [key_id(OLD)] * 2 + [key_id(NEW)] * 2
    assert _verify(ctx).ok
    without_old = _verify(ctx, AuditConfig(NEW))
    assert without_old.first_broken_seq == 1 and "not configured" in (without_old.problem or "")


def test_changing_the_key_without_keeping_the_old_one_is_refused_and_stores_nothing(ctx: AppContext) -> None:
    ctx.db.use_audit(AuditConfig(OLD))
    _append(ctx)
    ctx.db.use_audit(AuditConfig(NEW))
    with pytest.raises(AuditKeyError, match="previous key"):
        _append(ctx)
    assert len(_events(ctx)) == 1


def test_a_rotation_without_the_old_keys_endorsement_is_detected(ctx: AppContext) -> None:
    ctx.db.use_audit(AuditConfig(OLD))
    _append(ctx)
    ctx.db.use_audit(AuditConfig(NEW, retired=(OLD,)))
    _append(ctx)
    rotation = _events(ctx)[1]
    payload = dict(rotation.payload, endorsement="0" * 64)
    with ctx.db.write() as s:  # the attacker cannot recompute the MAC, so the payload edit alone is caught too
        s.execute(text("UPDATE audit_event SET payload = :p WHERE seq = 2"), {"p": json.dumps(payload)})
    assert _verify(ctx).first_broken_seq == 2


def _make_legacy(ctx: AppContext) -> None:
    """Rows as revision 0010 finds them: hashed, without MACs."""
    with ctx.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET mac = NULL, key_id = NULL"))
        conn.execute(text("UPDATE audit_head SET key_id = NULL"))


def test_events_from_before_the_key_verify_by_hash_and_the_next_event_seals_them(ctx: AppContext) -> None:
    ctx.db.use_audit(AuditConfig(NEW))
    _append(ctx, 3)
    _make_legacy(ctx)
    before = _verify(ctx)
    assert before.ok and before.unkeyed == 3 and any("not sealed yet" in n for n in before.notes)
    _append(ctx)
    events = _events(ctx)
    assert events[3].action == "audit_key_rotated" and events[3].payload["from_key"] is None
    after = _verify(ctx)
    assert after.ok and after.unkeyed == 3 and after.events_checked == 5
    with ctx.db.engine.begin() as conn:  # a pre-key event rewritten after sealing no longer links
        conn.execute(text("UPDATE audit_event SET actor = 'forger@example.org' WHERE seq = 2"))
    assert _verify(ctx).first_broken_seq == 2


def test_the_head_is_anchored_every_n_events_after_commit(ctx: AppContext, tmp_path: Path) -> None:
    ctx.db.use_audit(AuditConfig(NEW, anchor_dir=tmp_path, anchor_every=3))
    _append(ctx, 7)
    lines = [json.loads(line) for line in anchor_path(tmp_path).read_text().splitlines()]
    assert [line["seq"] for line in lines] == [3, 6]
    assert _verify(ctx).anchors_checked == 2


def test_a_rolled_back_transaction_writes_no_anchor(ctx: AppContext, tmp_path: Path) -> None:
    ctx.db.use_audit(AuditConfig(NEW, anchor_dir=tmp_path, anchor_every=1))
    with pytest.raises(RuntimeError), ctx.db.write() as s:
        audit.append(s, actor="a@example.org", action="x", occurred_on=date(2026, 11, 1))
        raise RuntimeError("the request failed")
    assert not anchor_path(tmp_path).exists()
    _append(ctx)
    assert _verify(ctx).ok


def test_each_sweep_anchors_the_head_once(ctx: AppContext, tmp_path: Path) -> None:
    from notifications import delivery
    from notifications.channels import transports_from_settings

    ctx.db.use_audit(AuditConfig(NEW, anchor_dir=tmp_path, anchor_every=1000))
    _append(ctx, 2)
    delivery.sweep(ctx, transports_from_settings(ctx.settings))
    delivery.sweep(ctx, transports_from_settings(ctx.settings))  # nothing new: no second line
    lines = anchor_path(tmp_path).read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [2]


def test_an_anchor_line_not_written_with_the_key_is_reported(ctx: AppContext, tmp_path: Path) -> None:
    ctx.db.use_audit(AuditConfig(NEW, anchor_dir=tmp_path, anchor_every=1))
    _append(ctx)
    with anchor_path(tmp_path).open("a") as log:
        log.write(json.dumps({"seq": 1, "mac": "0" * 64, "key_id": None, "at": "x", "line_mac": "1" * 64}) + "\n")
        log.write("not json\n")
    result = _verify(ctx)
    assert not result.ok and "line 2" in (result.problem or "") and "line 3" in (result.problem or "")

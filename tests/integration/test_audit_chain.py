"""The audit trail is append-only and hash-chained: any edit, removal or reordering is detected and named."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from tests.factories import DECISION, new_case


def _case_with_history(ctx: AppContext) -> str:
    ref = new_case(ctx, date(2026, 10, 1))
    cases.fire(ctx, ref, "start_scoping", on=date(2026, 10, 5))
    cases.fire(ctx, ref, "decide_review", on=date(2026, 10, 20), values=DECISION)
    cases.fire(ctx, ref, "inform_home_office", on=date(2026, 10, 21))
    return ref


def _verify(ctx: AppContext) -> audit.VerifyResult:
    with ctx.db.read() as s:
        return audit.verify(s)


def _sql(ctx: AppContext, statement: str, **params: object) -> None:
    with ctx.db.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_an_untouched_chain_verifies(ctx: AppContext) -> None:
    _case_with_history(ctx)
    result = _verify(ctx)
    assert result.ok and result.events_checked == 4


def test_an_edited_event_is_named(ctx: AppContext) -> None:
    _case_with_history(ctx)
    _sql(ctx, "UPDATE audit_event SET actor = 'someone.else@example.org' WHERE seq = 2")
    result = _verify(ctx)
    assert (result.ok, result.first_broken_seq) == (False, 2)
    assert "changed after it was recorded" in (result.problem or "")


def test_an_edited_payload_is_detected(ctx: AppContext) -> None:
    _case_with_history(ctx)
    _sql(ctx, "UPDATE audit_event SET occurred_on = :d WHERE seq = 3", d=date(2026, 10, 1))
    assert _verify(ctx).first_broken_seq == 3


def test_a_removed_event_is_named(ctx: AppContext) -> None:
    _case_with_history(ctx)
    _sql(ctx, "DELETE FROM audit_event WHERE seq = 2")
    result = _verify(ctx)
    assert result.first_broken_seq == 3 and "event 2 is missing" in (result.problem or "")


def test_removing_the_latest_events_is_detected_through_the_head(ctx: AppContext) -> None:
    _case_with_history(ctx)
    _sql(ctx, "DELETE FROM audit_event WHERE seq >= 3")
    result = _verify(ctx)
    assert not result.ok and "removed" in (result.problem or "")


def test_a_rehashed_forgery_is_named_at_the_forged_event_by_its_mac(ctx: AppContext) -> None:
    _case_with_history(ctx)
    with ctx.db.write() as s:
        from sqlalchemy import select

        from dhr_workflow.core.tables import AuditEvent

        event = s.scalars(select(AuditEvent).where(AuditEvent.seq == 2)).one()
        event.actor = "forger@example.org"
        event.hash = audit.event_hash(event)  # a forger who recomputes this event's hash
    result = _verify(ctx)  # before the MAC (ADR 0052) this was only caught at event 3, which no longer linked
    assert result.first_broken_seq == 2 and "MAC differs" in (result.problem or "")


def test_the_cli_exits_non_zero_naming_the_first_broken_event(ctx: AppContext, cli) -> None:
    _case_with_history(ctx)
    ok = cli("audit", "verify")
    assert ok.exit_code == 0 and "4 events verified" in ok.stdout
    _sql(ctx, "UPDATE audit_event SET action = 'tampered' WHERE seq = 3")
    broken = cli("audit", "verify")
    assert broken.exit_code == 7
    assert "broken at event 3" in broken.stderr

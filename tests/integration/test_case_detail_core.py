"""`dhr case show` on SQLAlchemy Core (cases.detail_model): the same dict as the ORM's show_case for every case of
the demo; NeedsOrm when a guard needs a fact only an ORM provider computes, and then the command reads with the ORM."""

from __future__ import annotations

import pytest

from dhr_workflow.cases import core_facts, detail_model, read_model
from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.core_facts import CoreFacts, NeedsOrm
from dhr_workflow.cases.queries import show_case
from dhr_workflow.cli import read_commands
from dhr_workflow.cli.contexts import use_context
from dhr_workflow.core.context import AppContext, ReadContext
from dhr_workflow.core.engines import read_connection
from tests.web.conftest import Demo


def _refs(ctx: AppContext) -> list[str]:
    return [r["ref"] for r in read_model.list_cases(ReadContext.of(ctx))]


def test_the_core_case_detail_is_show_case_for_every_demo_case(ctx: AppContext, demo: Demo) -> None:
    notified = next(r["ref"] for r in read_model.list_cases(ReadContext.of(ctx)) if r["next_due"])
    cases.extend_clock(ctx, notified, "decision", 5, reason="awaiting police advice", agreed_by="CSP chair")
    core_read = []
    for ref in _refs(ctx):  # every demo case's guards read facts with Core readers
        orm = show_case(ctx, ref)
        core = detail_model.case_detail(ReadContext.of(ctx), ref.lower())
        assert core == orm, ref
        assert list(core) == list(orm), ref  # same key order, so --json prints the same bytes
        core_read.append(core)
    assert any(d["final"] or d["stage"] == "Lessons learned" for d in core_read), "the published case is on Core"
    assert any(c["extensions"] for d in core_read for c in d["clocks"]), "an extended clock was compared"
    assert any(c["pauses"] for d in core_read for c in d["clocks"]), "a paused clock was compared"
    assert any(b["missing"] for d in core_read for b in d["blocked_actions"])
    for part in ("actions", "tasks", "parties", "members"):
        assert any(d[part] for d in core_read), part


def test_a_fact_with_no_core_reader_asks_for_the_orm(ctx: AppContext, demo: Demo) -> None:
    with read_connection(ctx.db.engine) as connection:
        facts = CoreFacts(connection, 1)
        assert facts["open_agency_report_tasks"] >= 0 and facts["open_actions"] >= 0
        assert facts["agencies_in_scope"] >= 0
        assert facts["qa_items_open"] == 0 and "not been circulated" in facts["accuracy_problem"]
        with pytest.raises(NeedsOrm):
            facts.get("publication_check_clean")  # a fingerprint of the rendered publication: the ORM's
        with pytest.raises(NeedsOrm):
            dict(facts)


def test_case_show_reads_through_show_case_when_a_guard_needs_an_orm_only_fact(
    ctx: AppContext, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    evidence = next(r["ref"] for r in read_model.list_cases(ReadContext.of(ctx)) if r["state"] == "evidence_gathering")
    without = {k: v for k, v in core_facts._CORE_FACTS.items() if k != "agency_evidence_problem"}  # noqa: SLF001
    monkeypatch.setattr(core_facts, "_CORE_FACTS", without)
    monkeypatch.setattr(core_facts, "CORE_FACT_SOURCES", {})
    with pytest.raises(NeedsOrm):
        detail_model.case_detail(ReadContext.of(ctx), evidence)
    use_context(ctx)
    try:
        assert read_commands.case_detail(evidence, False) == show_case(ctx, evidence)
    finally:
        use_context(None)

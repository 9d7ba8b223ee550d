"""`dhr case show` on SQLAlchemy Core (cases.detail_model): the same dict as the ORM's show_case for every case of
the demo, or NeedsOrm when a guard needs a fact only an ORM provider computes (then the command reads with the ORM)."""

from __future__ import annotations

import pytest

from dhr_workflow.cases import core_facts, detail_model, read_model
from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases.core_facts import CoreFacts, NeedsOrm
from dhr_workflow.cases.facts import facts
from dhr_workflow.cases.queries import show_case
from dhr_workflow.cases.tables import Case
from dhr_workflow.cli import read_commands
from dhr_workflow.cli.contexts import use_context
from dhr_workflow.core.context import AppContext, ReadContext
from dhr_workflow.core.engines import read_connection
from dhr_workflow.demo.seed import seed

ORM_ONLY = (
    "agency_evidence_problem",
    "accuracy_problem",
    "qa_items_open",
    "publication_check_clean",
    "missing_updates",
)


def _refs(ctx: AppContext) -> list[str]:
    return [r["ref"] for r in read_model.list_cases(ReadContext.of(ctx))]


def test_the_core_case_detail_is_show_case_for_every_demo_case(ctx: AppContext) -> None:
    seed(ctx)
    notified = next(r["ref"] for r in read_model.list_cases(ReadContext.of(ctx)) if r["next_due"])
    cases.extend_clock(ctx, notified, "decision", 5, reason="awaiting police advice", agreed_by="CSP chair")
    core_read: list[dict] = []  # type: ignore[type-arg]
    for ref in _refs(ctx):
        orm = show_case(ctx, ref)
        try:
            core = detail_model.case_detail(ReadContext.of(ctx), ref.lower())
        except NeedsOrm:
            use_context(ctx)
            try:
                assert read_commands.case_detail(ref, False) == orm  # the command falls back to the ORM
            finally:
                use_context(None)
            continue
        assert core == orm, ref
        assert list(core) == list(orm), ref  # same key order, so --json prints the same bytes
        core_read.append(core)
    assert any(d["final"] or d["stage"] == "Lessons learned" for d in core_read), "the published case is on Core"
    assert any(c["extensions"] for d in core_read for c in d["clocks"]), "an extended clock was compared"
    assert any(d["blocked_actions"] for d in core_read) and any(d["actions"] for d in core_read)


def test_with_every_fact_readable_each_case_s_clocks_tasks_and_steps_are_show_case_s(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cases whose guards need an ORM-only fact (evidence gathering, with the demo's paused clock) still have their
    clocks, tasks and steps compared: here those facts come from the ORM providers."""
    seed(ctx)

    def orm_fact(name: str) -> core_facts.CoreFact:
        def read(_connection: object, case_id: int) -> object:
            with ctx.db.read() as session:
                case = session.get(Case, case_id)
                assert case is not None
                return facts(session, case)[name]

        return read

    readers = {name: orm_fact(name) for name in ORM_ONLY}
    monkeypatch.setattr(core_facts, "_CORE_FACTS", {**core_facts._CORE_FACTS, **readers})  # noqa: SLF001
    details = [detail_model.case_detail(ReadContext.of(ctx), ref) for ref in _refs(ctx)]
    assert details == [show_case(ctx, ref) for ref in _refs(ctx)]
    assert any(c["pauses"] for d in details for c in d["clocks"]), "a paused clock was compared"
    assert any(b["missing"] for d in details for b in d["blocked_actions"])
    assert (
        any(d["tasks"] for d in details) and any(d["parties"] for d in details) and any(d["members"] for d in details)
    )


def test_a_fact_with_no_core_reader_asks_for_the_orm(ctx: AppContext) -> None:
    seed(ctx)
    with read_connection(ctx.db.engine) as connection:
        facts = CoreFacts(connection, 1)
        assert facts["open_agency_report_tasks"] >= 0 and facts["open_actions"] >= 0
        with pytest.raises(NeedsOrm):
            facts.get("agency_evidence_problem")
        with pytest.raises(NeedsOrm):
            dict(facts)

"""A step writes its case row with one Core UPDATE (cases.case_rows): it must guard the version as the ORM's versioned
UPDATE did, and leave nothing behind for a later flush to write a second time."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select, update

from dhr_workflow.cases.case_rows import save_step
from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import ConcurrentChange
from tests.factories import new_case


def test_a_saved_step_moves_the_version_on_and_leaves_the_case_clean(ctx: AppContext, today: date) -> None:
    ref = new_case(ctx, today)
    sent: list[str] = []
    event.listen(ctx.db.engine, "before_cursor_execute", lambda _c, _k, statement, *_a: sent.append(statement))
    with ctx.db.write() as session:
        case = load_case(session, ref)
        before = case.version
        case.state, case.fields = "scoping", {**case.fields, "rationale": "Criteria met"}
        save_step(session, case)
        assert case.version == before + 1
        assert not session.dirty
        sent.clear()
        session.flush()
        assert sent == []  # nothing left to write
    with ctx.db.read() as session:
        row = session.execute(select(Case.state, Case.version, Case.fields).where(Case.ref == ref)).one()
    assert (row.state, row.version, row.fields["rationale"]) == ("scoping", before + 1, "Criteria met")


def test_a_step_on_a_case_changed_since_it_was_read_is_a_concurrent_change(ctx: AppContext, today: date) -> None:
    ref = new_case(ctx, today)
    with pytest.raises(ConcurrentChange), ctx.db.write() as session:
        case = load_case(session, ref)
        # Someone else's change, as the database sees it: the version moved after this session read the case.
        session.connection().execute(update(Case).where(Case.id == case.id).values(version=Case.version + 1))
        case.state = "scoping"
        save_step(session, case)
    with ctx.db.read() as session:
        assert session.scalar(select(Case.state).where(Case.ref == ref)) == "notified"

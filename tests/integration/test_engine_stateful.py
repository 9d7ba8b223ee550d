"""Random sequences of steps, pauses and tasks through the real services; invariants hold after every step."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.cases import tasks
from dhr_workflow.cases.queries import show_case
from dhr_workflow.cases.tables import Case, Clock, ClockPause, Task
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.database import Database
from dhr_workflow.core.errors import DhrError, NotPermitted
from dhr_workflow.core.migrate import upgrade
from dhr_workflow.core.settings import Settings
from dhr_workflow.workflow.registry import WorkflowRegistry
from notifications.ledger.tables import Reminder
from tests.conftest import REPO, TODAY
from tests.factories import add_people, notification, walk
from tests.integration.paths import SATISFYING, dated_steps, path_to

pytestmark = pytest.mark.single_db  # SQLite: each example gets a fresh copy of a migrated database file

REGISTRY = WorkflowRegistry.from_directory(REPO / "workflows")
DHR = REGISTRY.latest("dhr")
TRIGGERS = sorted(DHR.triggers()) + ["no_such_trigger"]
ACTORS = {  # tests.factories.add_people: one account per role that acts on a case, and the system operator
    None: None,
    "coordinator@example.org": "coordinator",
    "chair@example.org": "csp_chair",
    "panel@example.org": "panel_member",
    "agency@example.org": "agency_contact",
}
NO_REVIEW_STATES = {"no_review_decided", "no_review_with_home_office", "reconsidering"}
PAUSABLE = {name: list(c.pause_reasons) for name, c in DHR.clocks.items() if c.pausable}
_TEMPLATE: list[Path] = []
REACHED: list[set[str]] = []  # states each run visited, so the test can check the exploration covers the workflow
TAKEN: set[str] = set()  # triggers fired and roles refused, over every run: the new rules were exercised


def _template_db() -> Path:
    if not _TEMPLATE:
        path = Path(tempfile.mkdtemp()) / "template.sqlite3"
        upgrade(f"sqlite:///{path}")
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


class CaseLifecycle(RuleBasedStateMachine):
    @initialize(start_at=st.sampled_from(sorted(DHR.states)))
    def start(self, start_at: str) -> None:
        """Begin at any state of the workflow, reached through the real services, so every run is deep."""
        self.dir = Path(tempfile.mkdtemp())
        shutil.copy(_template_db(), self.dir / "db.sqlite3")
        url = f"sqlite:///{self.dir / 'db.sqlite3'}"
        self.ctx = AppContext(Settings(database_url=url, _env_file=None), Database(url), REGISTRY, clock=lambda: TODAY)
        add_people(self.ctx)
        self.day = date(2024, 1, 8)
        self.ref = cases.notify_case(self.ctx, notification(self.day), coordinator="coordinator@example.org")
        steps = dated_steps(self.day, path_to(DHR, start_at), DHR)
        walk(self.ctx, self.ref, steps)
        self.day = steps[-1][1] if steps else self.day
        self.fired = len(steps)
        with self.ctx.db.read() as s:  # the walk's steps, and the agency evidence recorded before drafting
            self.changes = s.scalars(select(Case)).one().version - 1
        assert self.changes >= self.fired
        self.reached: set[str] = {start_at}
        REACHED.append(self.reached)

    def teardown(self) -> None:
        if hasattr(self, "ctx"):
            self.ctx.db.dispose()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _advance(self, days: int) -> date:
        self.day = min(self.day + timedelta(days=days), TODAY)
        return self.day

    @rule(trigger=st.sampled_from(TRIGGERS), days=st.integers(0, 30), give_inputs=st.booleans())
    def fire(self, trigger: str, days: int, give_inputs: bool) -> None:
        values = (
            {
                k: v
                for k, v in SATISFYING.items()
                if k
                in (
                    "rationale",
                    "chair_name",
                    "review_period_start",
                    "qa_feedback_summary",
                    "publication_url",
                    "challenge_summary",
                    "direction_summary",
                )
            }
            if give_inputs
            else {}
        )
        self._fire_as(None, trigger, days, values)

    @rule(data=st.data(), who=st.sampled_from(sorted(ACTORS, key=str)), days=st.integers(0, 30))
    def fire_as(self, data: st.DataObject, who: str | None, days: int) -> None:
        """Someone with a role takes a step the state has (with its inputs): refused exactly when the file's `roles`
        exclude them."""
        steps = sorted({t.trigger for t in DHR.transitions_from(show_case(self.ctx, self.ref)["state"])})
        if steps:
            values = {k: v for k, v in SATISFYING.items() if k != "handover_reason"}
            self._fire_as(who, data.draw(st.sampled_from(steps)), days, values)

    def _fire_as(self, who: str | None, trigger: str, days: int, values: dict[str, str]) -> None:
        state = show_case(self.ctx, self.ref)["state"]
        allowed = DHR.roles_for(state, trigger)
        may = who is None or not allowed or ACTORS[who] in allowed
        try:
            cases.fire(self.ctx, self.ref, trigger, on=self._advance(days), by=who, values=values)
        except NotPermitted:
            assert not may, (who, trigger, state)
            TAKEN.add(f"refused:{ACTORS[who]}")
            return
        except DhrError:
            return
        assert may, (who, trigger, state)
        TAKEN.add(trigger)
        self.changes += 1
        self.fired += 1
        self.reached.add(show_case(self.ctx, self.ref)["state"])

    @rule(data=st.data(), steps=st.integers(1, 10))
    def walk_forward(self, data: st.DataObject, steps: int) -> None:
        """Take a few steps the case allows now (random triggers alone rarely get past the decision)."""

        for _ in range(steps):
            detail = show_case(self.ctx, self.ref)
            if any("independence statement" in m for b in detail["blocked_actions"] for m in b["missing"]):
                self.set_field("chair_independence_statement_received", "yes")
            available = show_case(self.ctx, self.ref)["available_triggers"]
            if not available:
                return
            self.fire(data.draw(st.sampled_from(available)), data.draw(st.integers(0, 20)), give_inputs=True)

    @rule(
        value=st.sampled_from(["yes", "no"]),
        key=st.sampled_from(["chair_independence_statement_received", "criminal_proceedings_live"]),
    )
    def set_field(self, key: str, value: str) -> None:
        cases.set_fields(self.ctx, self.ref, {key: value})
        self.changes += 1

    @rule(clock=st.sampled_from(sorted(PAUSABLE)), data=st.data(), days=st.integers(0, 20))
    def pause(self, clock: str, data: st.DataObject, days: int) -> None:
        reason = data.draw(st.sampled_from(PAUSABLE[clock]))
        try:
            cases.pause_clock(self.ctx, self.ref, clock, reason, on=self._advance(days))
        except DhrError:
            return
        self.changes += 1

    @rule(clock=st.sampled_from(sorted(PAUSABLE)), days=st.integers(0, 40))
    def resume(self, clock: str, days: int) -> None:
        try:
            cases.resume_clock(self.ctx, self.ref, clock, on=self._advance(days))
        except DhrError:
            return
        self.changes += 1

    @rule(kind=st.sampled_from(["agency_report", "general"]), days=st.integers(0, 30))
    def add_task(self, kind: str, days: int) -> None:
        tasks.add_task(
            self.ctx, self.ref, "Something owed", "agency@example.org", TODAY + timedelta(days=days), kind=kind
        )

    @rule()
    def complete_a_task(self) -> None:
        with self.ctx.db.read() as s:
            open_task = s.scalars(select(Task).where(Task.done_on.is_(None))).first()
        if open_task is not None:
            tasks.complete_task(self.ctx, self.ref, open_task.id or 0)

    @invariant()
    def the_state_is_one_the_workflow_knows_and_every_change_bumped_the_version(self) -> None:
        with self.ctx.db.read() as s:
            case = s.scalars(select(Case)).one()
            assert case.state in DHR.states
            assert case.version == 1 + self.changes

    @invariant()
    def the_audit_chain_is_valid_and_records_every_step(self) -> None:
        with self.ctx.db.read() as s:
            assert audit.verify(s).ok
        from dhr_workflow.cases.queries import case_history

        fired = [e for e in case_history(self.ctx, self.ref) if e["action"].startswith("fired:")]
        assert len(fired) == self.fired

    @invariant()
    def a_direction_to_hold_a_review_is_never_undone(self) -> None:
        with self.ctx.db.read() as s:
            case = s.scalars(select(Case)).one()
        if case.fields.get("directed_by_secretary_of_state") == "yes":
            assert case.state not in NO_REVIEW_STATES and case.fields["review_decision"] == "review"

    @invariant()
    def clocks_are_consistent(self) -> None:
        with self.ctx.db.read() as s:
            case = s.scalars(select(Case)).one()
            clocks = list(s.scalars(select(Clock)))
            for clock in clocks:
                open_pauses = list(
                    s.scalars(
                        select(ClockPause).where(ClockPause.clock_id == clock.id, ClockPause.resumed_on.is_(None))
                    )
                )
                assert len(open_pauses) == (1 if clock.paused else 0)
                assert clock.due_on >= clock.started_on
                assert clock.stopped_on is None or clock.stopped_on >= clock.started_on
                assert not (clock.paused and clock.stopped_on)
            open_names = [c.name for c in clocks if c.stopped_on is None]
            assert len(open_names) == len(set(open_names)), "at most one running instance of each clock"
            if DHR.states[case.state].final:
                assert open_names == []

    @invariant()
    def pending_reminders_belong_to_live_deadlines(self) -> None:
        with self.ctx.db.read() as s:
            live = {
                f"clock:{c.name}:{c.round}": c.due_on
                for c in s.scalars(select(Clock).where(Clock.stopped_on.is_(None), Clock.paused.is_(False)))
            }
            live |= {f"task:{t.id}": t.due_on for t in s.scalars(select(Task).where(Task.done_on.is_(None)))}
            for r in s.scalars(select(Reminder).where(Reminder.status == "pending")):
                assert live.get(r.subject) == r.deadline_on


CaseLifecycle.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    database=None,  # replaying examples saved by earlier runs would change what a run explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.timeout(900)  # a heavily loaded 2-core CI machine can take minutes over this
def test_random_step_sequences_keep_the_invariants_deep_into_the_workflow() -> None:
    """Runs the state machine, then checks the walks went deep (a property test stuck at the first step proves
    little)."""
    REACHED.clear()
    TAKEN.clear()
    CaseLifecycle.TestCase().runTest()
    visited = set().union(*REACHED)
    assert len(visited) >= 10 and {"evidence_gathering", "with_home_office_qa"} & visited, visited
    assert {"home_office_directs_review", "refused:coordinator"} <= TAKEN, TAKEN

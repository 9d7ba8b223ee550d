"""The bi-annual commentary round, end to end, on the commentary_round workflow."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from dhr_workflow.core.errors import GuardFailed, InvalidInput, TriggerNotAvailable
from dhr_workflow.lessons import actions, commentary, reports
from dhr_workflow.lessons.actions import Progress
from dhr_workflow.lessons.tables import CommentaryRound
from dhr_workflow.people.tables import User
from notifications.ledger.tables import Reminder
from tests.lessons.builders import ASC, CHAIR, COORDINATOR, POLICE, action, plan_with_agencies


@pytest.fixture
def two_owners(ctx):
    plan_with_agencies(ctx)
    asc = action(ctx, agency="adult-social-care", lead=ASC)
    police = action(ctx, agency="metropolitan-police")  # no lead account: its agency contact answers
    return ctx, asc, police


def _ids(ctx, *emails):
    with ctx.db.read() as s:
        return [s.scalar(select(User.id).where(User.email == e)) for e in emails]


def _reminders(ctx, status="pending"):
    with ctx.db.read() as s:
        return list(s.scalars(select(Reminder).where(Reminder.status == status).order_by(Reminder.id)))


def test_owners_who_have_not_answered_are_reminded_and_those_who_have_are_not(two_owners):
    ctx, asc, police = two_owners
    asc_id, police_id, chair_id = _ids(ctx, ASC, POLICE, CHAIR)
    opened = commentary.open_round(ctx, on=date(2026, 11, 20), by=COORDINATOR)
    assert opened["state"] == "collecting" and opened["no_owner"] == []
    assert opened["due_on"] == date(2026, 12, 11)  # 15 working days

    pending = _reminders(ctx)
    assert {r.recipient_id for r in pending if r.rule != "escalation"} == {asc_id, police_id}
    assert {r.recipient_id for r in pending if r.rule == "escalation"} == {chair_id}
    assert all(r.case_id is None and r.subject.startswith(f"commentary:{opened['round_id']}:action:") for r in pending)
    assert {r.rule for r in pending} == {
        "before:5",
        "before:1",
        "due",
        "overdue:1",
        "overdue:2",
        "overdue:3",
        "overdue:4",
        "escalation",
    }
    repeats = sorted(r.send_on for r in pending if r.rule.startswith("overdue") and r.recipient_id == asc_id)
    assert repeats == [date(2026, 12, 14), date(2026, 12, 17), date(2026, 12, 22), date(2026, 12, 29)]

    actions.update_action(ctx, asc, Progress("on_track", "Half the sessions delivered"), by=ASC)

    pending = _reminders(ctx)
    assert pending, "the police contact has not answered and is still reminded"
    assert {r.recipient_id for r in pending if r.rule != "escalation"} == {police_id}
    assert {r.subject for r in pending} == {f"commentary:{opened['round_id']}:action:{police}"}
    assert all(r.recipient_id != asc_id for r in pending)
    assert {r.subject for r in _reminders(ctx, "cancelled")} == {f"commentary:{opened['round_id']}:action:{asc}"}

    status = commentary.status(ctx)
    assert (status["answered"], status["waiting"]) == (1, 1)
    assert [r["answered_on"] for r in status["requests"]] == [date(2026, 11, 20), None]


def test_collating_with_updates_missing_needs_a_reason_then_reminders_stop(two_owners):
    ctx, asc, _ = two_owners
    commentary.open_round(ctx, by=COORDINATOR)
    actions.update_action(ctx, asc, Progress(note="On track"), by=ASC)
    with pytest.raises(GuardFailed, match="1 action owner"):
        commentary.advance(ctx, "collate", by=COORDINATOR)
    assert commentary.status(ctx)["state"] == "collecting"

    commentary.advance(ctx, "collate", note="Police update to follow at the meeting", by=COORDINATOR)
    assert _reminders(ctx) == []
    plan = reports.collated_plan(ctx)
    row = next(a for t in plan["themes"] for a in t["actions"] if a["id"] == asc)
    assert row["commentary"] == "On track"
    assert plan["round"]["collate_note"] == "Police update to follow at the meeting"

    with pytest.raises(TriggerNotAvailable):
        commentary.advance(ctx, "send_to_board", by=COORDINATOR)  # must be presented first
    commentary.advance(ctx, "present", by=COORDINATOR)
    done = commentary.advance(ctx, "send_to_board", by=COORDINATOR)
    assert done["state"] == "sent_to_board"
    with ctx.db.read() as s:
        assert s.scalars(select(CommentaryRound)).one().state == "sent_to_board"


def test_one_round_at_a_time(two_owners):
    ctx, asc, police = two_owners
    commentary.open_round(ctx, by=COORDINATOR)
    with pytest.raises(InvalidInput, match="already in progress"):
        commentary.open_round(ctx, by=COORDINATOR)


def test_reopening_asks_again_only_those_still_waiting(two_owners):
    ctx, asc, police = two_owners
    commentary.open_round(ctx, on=date(2026, 11, 2), by=COORDINATOR)
    actions.update_action(ctx, asc, Progress(note="Done"), by=ASC)
    commentary.advance(ctx, "collate", note="late", on=date(2026, 11, 10), by=COORDINATOR)
    commentary.advance(ctx, "reopen", by=COORDINATOR)
    status = commentary.status(ctx)
    assert status["state"] == "collecting" and status["due_on"] == date(2026, 12, 11)
    assert {r.subject.rsplit(":", 1)[1] for r in _reminders(ctx)} == {str(police)}


def test_cli_opens_reports_and_collates_a_round(two_owners, cli):
    ctx, asc, police = two_owners
    opened = cli("commentary", "open", "--json", "--by", COORDINATOR)
    assert opened.exit_code == 0, opened.output
    assert json.loads(opened.output)["state"] == "collecting"
    status = json.loads(cli("commentary", "status", "--json").output)
    assert status["waiting"] == 2
    refused = cli("commentary", "collate")
    assert refused.exit_code == 5 and "have not sent their update" in refused.output
    collated = cli("commentary", "collate", "--note", "Chair agreed", "--json")
    assert json.loads(collated.output)["state"] == "collated"
    html = cli("plan", "collated", "--format", "html")
    assert html.exit_code == 0 and "No update received" in html.output and "Chair agreed" in html.output


def test_cli_previews_who_a_round_would_ask_and_when_before_opening_it(two_owners, cli):
    ctx, asc, police = two_owners
    shown = cli("commentary", "preview", "--json", "--by", COORDINATOR)
    assert shown.exit_code == 0, shown.output
    preview = json.loads(shown.output)
    assert {r["action_id"]: r["owner"] for r in preview["asked"]} == {asc: ASC, police: POLICE}
    opened = json.loads(cli("commentary", "open", "--json", "--by", COORDINATOR).output)
    assert str(opened["due_on"]) == preview["due_on"]  # the preview's due date is the round's
    assert "Action" in cli("commentary", "preview").output


def test_only_the_team_and_the_chairs_open_or_move_a_round(two_owners):
    from dhr_workflow.core.errors import NotFound, NotPermitted

    ctx, asc, police = two_owners
    with pytest.raises(NotPermitted):
        commentary.open_round(ctx, by=POLICE)  # an agency contact
    with pytest.raises(NotFound):
        commentary.status(ctx)  # nothing was opened

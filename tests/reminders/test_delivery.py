"""Sweeping and delivering reminders through a real SMTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from dhr_workflow.cases import tasks
from dhr_workflow.core.calendar_store import load_calendar
from dhr_workflow.people.tables import User
from notifications import delivery, transport
from notifications.admin import list_problems, list_reminders, set_preference
from notifications.channels import transports_from_settings
from notifications.ledger.tables import Reminder
from notifications.tables import DeliveryAttempt, DeliveryProblem, InAppNotification
from tests.factories import COORDINATOR, add_people
from tests.reminders.conftest import at, set_today

CHAIR = "chair@example.org"


def subj(message):
    return " ".join(str(message["Subject"]).split())


def sweep(ctx, day):
    set_today(ctx, day)
    return delivery.sweep(ctx, transports_from_settings(ctx.settings), now=at(day))


def rows(ctx, **where):
    with ctx.db.read() as s:
        query = select(Reminder)
        for key, value in where.items():
            query = query.where(getattr(Reminder, key) == value)
        return list(s.scalars(query.order_by(Reminder.send_on, Reminder.id)).all())


def test_reminders_are_planned_at_the_workflows_offsets(mail_ctx, today):
    add_people(mail_ctx)
    _case(mail_ctx, today)
    planned = {(r.rule, r.send_on) for r in rows(mail_ctx, subject="clock:decision:1")}
    # decision: 1 month after Fri 20 Nov 2026 is Sun 20 Dec, rolled to Mon 21 Dec
    assert planned == {
        ("before:10", date(2026, 12, 7)),
        ("before:2", date(2026, 12, 17)),
        ("due", date(2026, 12, 21)),
        ("overdue:1", date(2026, 12, 22)),
        ("escalation", date(2026, 12, 22)),
    }


def _case(ctx, notified):
    from dhr_workflow.cases import lifecycle as cases
    from tests.factories import notification

    return cases.notify_case(ctx, notification(notified), coordinator=COORDINATOR)


def test_reminders_arrive_at_the_right_people_on_the_right_days_and_only_once(mail_ctx, smtp, today):
    add_people(mail_ctx)
    ref = _case(mail_ctx, today)
    assert sweep(mail_ctx, today).claimed == 0
    sweep(mail_ctx, date(2026, 12, 7))
    [first] = smtp.to(COORDINATOR)
    assert subj(first).startswith(f"{ref}: Decide whether to hold a review is due in 10 working days")
    assert sweep(mail_ctx, date(2026, 12, 7)).claimed == 0  # a second sweep sends nothing
    assert smtp.count() == 1
    sweep(mail_ctx, date(2026, 12, 17))
    sweep(mail_ctx, date(2026, 12, 21))
    assert [subj(m).split(" is ")[1].split(" (")[0] for m in smtp.to(COORDINATOR)] == [
        "due in 10 working days",
        "due in 2 working days",
        "due today",
    ]
    sweep(mail_ctx, date(2026, 12, 22))
    # the first overdue day: the chair is escalated to; the coordinator gets one message, not two
    assert len(smtp.to(CHAIR)) == 1 and "escalated" in subj(smtp.to(CHAIR)[0])
    assert len(smtp.to(COORDINATOR)) == 4
    assert "panel@example.org" not in {m["To"] for m in smtp.messages}


def test_overdue_reminders_repeat_every_five_working_days_after_the_last_one_went(mail_ctx, smtp, today):
    add_people(mail_ctx)
    _case(mail_ctx, today)
    sweep(mail_ctx, date(2026, 12, 22))
    cal = _cal(mail_ctx)
    [follow_up] = rows(mail_ctx, rule="overdue:2")
    assert follow_up.send_on == cal.add_working_days(date(2026, 12, 22), 5) == date(2026, 12, 31)
    sweep(mail_ctx, date(2026, 12, 31))
    assert subj(smtp.to(COORDINATOR)[-1]).endswith("is overdue (Monday 21 December 2026)")
    assert rows(mail_ctx, rule="overdue:3")[0].send_on == cal.add_working_days(date(2026, 12, 31), 5)


def _cal(ctx):
    with ctx.db.read() as s:
        return load_calendar(s)


def test_catch_up_sends_only_the_most_recent_reminder_not_a_burst(mail_ctx, smtp, today):
    add_people(mail_ctx)
    _case(mail_ctx, today - timedelta(days=80))  # back-dated: every decision reminder is already past
    result = sweep(mail_ctx, today)
    assert len(smtp.to(COORDINATOR)) == 1 and len(smtp.to(CHAIR)) == 1
    assert result.superseded >= 4
    statuses = sorted(r.status for r in rows(mail_ctx, subject="clock:decision:1") if r.rule != "overdue:2")
    assert statuses.count("sent") == 2 and statuses.count("superseded") == 4
    [follow_up] = rows(mail_ctx, rule="overdue:2")
    assert follow_up.send_on > today  # the next overdue reminder is planned from today: no burst
    assert sweep(mail_ctx, today).claimed == 0


def test_a_task_reminds_its_assignee_and_a_done_task_reminds_nobody(mail_ctx, smtp, today):
    add_people(mail_ctx)
    ref = _case(mail_ctx, today)
    task = tasks.add_task(
        mail_ctx, ref, "Chronology from Jane Realname's GP", "agency@example.org", today + timedelta(days=21)
    )
    second = tasks.add_task(
        mail_ctx, ref, "Report", "panel@example.org", today + timedelta(days=21), kind="agency_report"
    )
    tasks.complete_task(mail_ctx, ref, second.id)
    sweep(mail_ctx, date(2026, 11, 27))  # 10 working days before Fri 11 Dec
    [message] = smtp.to("agency@example.org")
    assert subj(message) == f"{ref}: A task is due in 10 working days (Friday 11 December 2026)"
    assert smtp.to("panel@example.org") == []
    assert {r.status for r in rows(mail_ctx, subject=f"task:{second.id}")} == {"cancelled"}
    assert task.id is not None


def test_people_who_chose_a_digest_get_one_message_a_day(mail_ctx, smtp, today):
    add_people(mail_ctx)
    set_preference(mail_ctx, COORDINATOR, digest=True)
    first, second = _case(mail_ctx, today), _case(mail_ctx, today)
    sweep(mail_ctx, date(2026, 12, 7))
    [digest] = smtp.to(COORDINATOR)
    body = digest.get_body(("plain",)).get_content()
    assert first in body and second in body and "Your reminders for Monday 7 December 2026" in subj(digest)
    assert sweep(mail_ctx, date(2026, 12, 7)).claimed == 0
    assert {r.status for r in rows(mail_ctx, rule="before:10")} == {"digested"}


def test_nothing_goes_out_of_hours_or_on_a_bank_holiday(mail_ctx, smtp, today):
    add_people(mail_ctx)
    _case(mail_ctx, today - timedelta(days=80))
    set_today(mail_ctx, today)
    transports = transports_from_settings(mail_ctx.settings)
    early = delivery.sweep(mail_ctx, transports, now=at(today, 7))
    assert early.skipped_reason and "outside the send window" in early.skipped_reason
    christmas = delivery.sweep(mail_ctx, transports, now=at(date(2026, 12, 25)))
    assert christmas.skipped_reason and "not a working day" in christmas.skipped_reason
    assert smtp.count() == 0
    mail_ctx.settings = mail_ctx.settings.model_copy(update={"send_window": "", "send_on_working_days_only": False})
    assert delivery.sweep(mail_ctx, transports, now=at(date(2026, 11, 22), 3)).skipped_reason is None
    assert smtp.count() == 2


class Flaky:
    name = "flaky"
    journal_id = None

    def __init__(self, failures):
        self.failures = list(failures)
        self.sent = []

    def earlier_attempt(self, out, unknown):
        return transport.Earlier("unknown")

    def settle(self, out):
        pass

    def send(self, out):
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(out)
        return "provider-1"


def test_temporary_failures_are_retried_with_backoff_and_logged_in_the_ledger(mail_ctx, today):
    add_people(mail_ctx)
    _case(mail_ctx, today - timedelta(days=80))
    flaky = Flaky([transport.TemporaryFailure("429 rate limited")] * 2)
    set_today(mail_ctx, today)
    now = at(today)
    delivery.sweep(mail_ctx, lambda channel: flaky, now=now)
    assert flaky.sent == []
    assert delivery.sweep(mail_ctx, lambda channel: flaky, now=now).claimed == 0  # not before the backoff
    delivery.sweep(mail_ctx, lambda channel: flaky, now=now + timedelta(minutes=1))
    delivery.sweep(mail_ctx, lambda channel: flaky, now=now + timedelta(minutes=3))
    assert len(flaky.sent) == 2
    with mail_ctx.db.read() as s:
        outcomes = [a.outcome for a in s.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id))]
    assert outcomes.count("temporary_failure") == 2 and outcomes.count("sent") == 2
    assert delivery.backoff(1) == timedelta(minutes=1) and delivery.backoff(20) == timedelta(hours=2)


def test_a_permanent_failure_is_flagged_to_the_coordinator(mail_ctx, cli, today):
    add_people(mail_ctx)
    ref = _case(mail_ctx, today - timedelta(days=80))
    broken = Flaky([transport.PermanentFailure("550 no such mailbox")] * 5)
    set_today(mail_ctx, today)
    delivery.sweep(mail_ctx, lambda channel: broken, now=at(today))
    problems = list_problems(mail_ctx)
    assert len(problems) == 2 and problems[0]["case"] == ref and "550" in problems[0]["error"]
    with mail_ctx.db.read() as s:
        coordinator = s.scalars(select(User).where(User.email == COORDINATOR)).one()
        notices = s.scalars(
            select(InAppNotification).where(
                InAppNotification.user_id == coordinator.id, InAppNotification.kind == "delivery_problem"
            )
        ).all()
        assert len(notices) == 2 and s.scalars(select(DeliveryProblem)).all()
    assert {r["status"] for r in list_reminders(mail_ctx, "failed")} == {"failed"}
    out = cli("reminders", "problems", "--json")
    assert out.exit_code == 0 and ref in out.stdout


def test_a_reminder_without_a_case_gets_a_safe_generic_message(mail_ctx, smtp, today):
    add_people(mail_ctx)
    with mail_ctx.db.write() as s:
        chair = s.scalars(select(User).where(User.email == CHAIR)).one()
        s.add(
            Reminder(
                case_id=None,
                subject="action:42",
                rule="due",
                deadline_on=today,
                send_on=today,
                recipient_id=chair.id,
                idem_key="-:action:42:due",
            )
        )
    sweep(mail_ctx, today)
    [message] = smtp.to(CHAIR)
    assert subj(message) == "An action is due today (Friday 20 November 2026)"
    assert "https://dhr.example.gov.uk/" in message.get_body(("plain",)).get_content()


def test_a_redelivered_task_finds_nothing_to_do(mail_ctx, smtp, today):
    add_people(mail_ctx)
    _case(mail_ctx, today - timedelta(days=80))
    set_today(mail_ctx, today)
    transports = transports_from_settings(mail_ctx.settings)
    ids = delivery.claim_batch(mail_ctx, at(today), 100)
    assert [delivery.deliver(mail_ctx, i, transports) for i in ids] == ["sent"] * len(ids)
    assert {delivery.deliver(mail_ctx, i, transports) for i in ids} == {"nothing to do (sent)"}
    assert smtp.count() == len(ids) == 2


def test_an_expired_lease_is_claimed_again(mail_ctx, today):
    add_people(mail_ctx)
    _case(mail_ctx, today - timedelta(days=80))
    set_today(mail_ctx, today)
    first = delivery.claim_batch(mail_ctx, at(today), 100)
    assert delivery.claim_batch(mail_ctx, at(today), 100) == []
    lease = mail_ctx.settings.reminder_lease_seconds
    later = at(today) + timedelta(seconds=lease + 1)
    assert sorted(delivery.claim_batch(mail_ctx, later, 100)) == sorted(first)


def test_the_cli_sweeps_and_lists(mail_ctx, cli, smtp, today):
    add_people(mail_ctx)
    _case(mail_ctx, today - timedelta(days=80))
    mail_ctx.settings = mail_ctx.settings.model_copy(update={"send_window": "", "send_on_working_days_only": False})
    out = cli("reminders", "sweep", "--json")
    assert out.exit_code == 0, out.output
    assert smtp.count() == 2
    listed = cli("reminders", "list", "--status", "sent", "--json")
    assert listed.exit_code == 0 and len(__import__("json").loads(listed.stdout)) == 2
    bad = cli("reminders", "list", "--status", "bogus")
    assert bad.exit_code == 2 and "not a reminder status" in bad.output


def test_a_planned_repeat_survives_unrelated_changes_and_a_met_deadline_cancels_it(mail_ctx, smtp, cli, today):
    from dhr_workflow.cases import lifecycle as cases

    add_people(mail_ctx)
    ref = _case(mail_ctx, today)
    sweep(mail_ctx, date(2026, 12, 22))
    [repeat] = rows(mail_ctx, rule="overdue:2")
    cases.assign(mail_ctx, ref, "panel@example.org", "panel_member")  # re-syncs the case's reminders
    assert rows(mail_ctx, rule="overdue:2")[0].status == "pending"
    set_today(mail_ctx, date(2026, 12, 23))
    cases.fire(mail_ctx, ref, "decide_review", values={"rationale": "Criteria met"})
    assert rows(mail_ctx, rule="overdue:2")[0].status == "cancelled"
    sweep(mail_ctx, repeat.send_on)
    decision_sent = [r for r in rows(mail_ctx, subject="clock:decision:1") if r.status == "sent"]
    assert all(r.send_on <= date(2026, 12, 22) for r in decision_sent)  # nothing more about a decision now made


def test_people_choose_a_digest_from_the_command_line(mail_ctx, cli):
    add_people(mail_ctx)
    out = cli("reminders", "prefer", "--user", CHAIR, "--digest", "--json")
    assert out.exit_code == 0 and '"digest": true' in out.stdout
    bad = cli("reminders", "prefer", "--user", CHAIR, "--sms", "call me")
    assert bad.exit_code == 2 and "not a phone number" in bad.output


def test_a_case_moving_on_leaves_reminders_it_does_not_plan_alone(mail_ctx, today):
    """Reminders other services own (an accessible-format request on the case) survive the case's reminder sync."""
    from dhr_workflow.cases import lifecycle as cases
    from dhr_workflow.documents import access_requests as ar
    from dhr_workflow.documents.access_formats import RequestInput

    add_people(mail_ctx)
    ref = _case(mail_ctx, today)
    request = ar.new_request(
        mail_ctx, RequestInput("Sam Public", "A letter", "audio", email="sam@example.org", case_ref=ref)
    )
    subject = f"access_request:{request.id}"
    before = {r.idem_key for r in rows(mail_ctx, subject=subject, status="pending")}
    assert before
    cases.fire(mail_ctx, ref, "decide_review", on=today, values={"rationale": "Criteria met"})
    assert {r.idem_key for r in rows(mail_ctx, subject=subject, status="pending")} == before

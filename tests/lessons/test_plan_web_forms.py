"""The last Delivery Plan commands that had no page, now forms over the same services: creating the plan on /plan,
a national recommendation's send and response on the case page, one meeting's invitation, milestones with due
dates, backdated updates and closures, and the topic filter on the action list. No page shows a command line."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from dhr_workflow.demo.seed import email_for
from dhr_workflow.lessons import action_evidence, meetings, queries, recommendations
from dhr_workflow.lessons.actions import NewAction, Progress, add_action, update_action
from dhr_workflow.lessons.tables import DeliveryPlan
from tests.web.conftest import form_post


def _boxes(name: str, day: date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def _no_plan(ctx) -> None:
    with ctx.db.write() as session:
        session.execute(update(DeliveryPlan).values(active=False))


def test_without_a_plan_the_team_creates_one_on_the_plan_page(demo, client_for):
    _no_plan(demo.ctx)
    client = client_for("coordinator")
    page = client.get("/plan")
    assert page.status_code == 200 and 'action="/plan/new"' in page.text and 'name="start-day"' in page.text
    assert "dhr plan" not in page.text and "--title" not in page.text
    empty = form_post(client, "/plan", "/plan/new", {})
    assert empty.status_code == 422
    for field in ("plan-title", "plan-start", "plan-end"):
        assert f'href="#{field}"' in empty.text, field
    typed = {
        "title": "Delivery Plan 2027 to 2030",
        **_boxes("start", date(2027, 4, 1)),
        **_boxes("end", date(2030, 3, 31)),
        "objectives": "Fewer repeat victims\nEvery agency trained",
    }
    backwards = form_post(client, "/plan", "/plan/new", {**typed, **_boxes("end", date(2027, 1, 1))})
    assert backwards.status_code == 422 and 'href="#plan-end"' in backwards.text
    assert "Delivery Plan 2027 to 2030" in backwards.text  # what was typed comes back
    stranger = form_post(client, "/plan", "/plan/new", {**typed, "chair": "nobody@example.org"})
    assert stranger.status_code == 422 and 'href="#plan-chair"' in stranger.text and "dhr user" not in stranger.text
    made = form_post(client, "/plan", "/plan/new", {**typed, "chair": email_for("csp_chair")})
    assert made.status_code == 303 and made.headers["location"] == "/plan"
    plan = queries.plan_summary(demo.ctx)["plan"]
    assert plan["title"] == typed["title"] and plan["objectives"] == ["Fewer repeat victims", "Every agency trained"]
    assert 'action="/plan/new"' not in client.get("/plan").text


def test_without_a_plan_others_are_told_so_and_cannot_create_one(demo, client_for):
    _no_plan(demo.ctx)
    for role in ("agency_contact", "reviewer", "viewer"):
        client = client_for(role)
        page = client.get("/plan")
        assert page.status_code == 200 and "There is no Delivery Plan yet" in page.text
        assert 'action="/plan/new"' not in page.text and "dhr plan" not in page.text
        typed = {"title": "Mine", **_boxes("start", date(2027, 4, 1)), **_boxes("end", date(2030, 3, 31))}
        assert form_post(client, "/plan", "/plan/new", typed).status_code == 403
    with demo.ctx.db.read() as session:
        assert not session.query(DeliveryPlan).filter(DeliveryPlan.active.is_(True)).count()  # type: ignore[attr-defined]


def _national(demo) -> tuple[str, str]:
    ref = demo.ref("gathering evidence")
    rec = recommendations.add(demo.ctx, ref, text="Fund national training", addressee_type="home_office")
    recommendations.agree(demo.ctx, ref, rec.number)
    return ref, rec.number


def _national_state(demo, ref: str, number: str) -> dict:
    return next(r for r in recommendations.list_for_case(demo.ctx, ref) if r["number"] == number)


def test_the_team_records_sending_a_national_recommendation_and_the_response(demo, client_for):
    ref, number = _national(demo)
    client = client_for("coordinator")
    case = f"/cases/{ref}"
    page = client.get(case).text
    assert f'action="{case}/recommendations/{number}/send"' in page and "not sent yet" in page
    send = f"{case}/recommendations/{number}/send"
    future = form_post(client, case, send, {**_boxes("on", demo.ctx.today() + timedelta(days=3))})
    assert future.status_code == 422 and f'href="#recommendation-{number}-send"' in future.text
    assert _national_state(demo, ref, number)["sent_to_national_on"] is None
    sent_on = demo.ctx.today() - timedelta(days=10)
    assert form_post(client, case, send, _boxes("on", sent_on)).status_code == 303
    assert _national_state(demo, ref, number)["sent_to_national_on"] == sent_on.isoformat()
    response = f"{case}/recommendations/{number}/response"
    mine = {"form": f"recommendation-{number}-response"}  # the form's hidden field, as a browser posts it
    blank = form_post(client, case, response, {**mine, "response": "We will consider it"})
    assert blank.status_code == 422 and f'href="#recommendation-{number}-response"' in blank.text
    assert "We will consider it" in blank.text
    done = form_post(client, case, response, {**mine, "national_status": "accepted", "response": "Funded from April"})
    assert done.status_code == 303
    state = _national_state(demo, ref, number)
    assert state["national_status"] == "accepted" and state["national_response"] == "Funded from April"
    assert "Funded from April" in client.get(case).text


def test_only_the_team_records_a_national_bodys_steps(demo, client_for):
    ref, number = _national(demo)
    client = client_for("reviewer")  # may change the case, not the plan's national steps
    case = f"/cases/{ref}"
    assert f'action="{case}/recommendations/{number}/send"' not in client.get(case).text
    assert form_post(client, case, f"{case}/recommendations/{number}/send", {}).status_code == 403
    assert _national_state(demo, ref, number)["sent_to_national_on"] is None


def test_a_local_recommendation_cannot_be_sent_to_a_national_body(demo, client_for):
    ref = demo.ref("gathering evidence")
    rec = recommendations.add(demo.ctx, ref, text="Share records", addressee_type="partnership")
    recommendations.agree(demo.ctx, ref, rec.number)
    client = client_for("coordinator")
    case = f"/cases/{ref}"
    refused = form_post(client, case, f"{case}/recommendations/{rec.number}/send", {})
    assert refused.status_code == 422 and f'href="#recommendation-{rec.number}-send"' in refused.text
    assert form_post(client, case, f"{case}/recommendations/99/send", {}).status_code == 404


def test_each_meeting_offers_its_own_invitation(demo, client_for):
    listed = meetings.list_meetings(demo.ctx)
    assert len(listed) >= 2
    client = client_for("coordinator")
    page = client.get("/plan/meetings").text
    for m in listed:
        assert f'href="/plan/meetings/{m["id"]}/invite.ics"' in page
    first = listed[0]
    invite = client.get(f"/plan/meetings/{first['id']}/invite.ics")
    assert invite.status_code == 200 and invite.headers["content-type"].startswith("text/calendar")
    assert invite.text.count("BEGIN:VEVENT") == 1
    assert client.get("/plan/meetings/999999/invite.ics").status_code == 404
    assert client_for("agency_contact").get(f"/plan/meetings/{first['id']}/invite.ics").status_code == 403


def test_milestones_get_their_own_due_dates_when_an_action_is_added(demo, client_for):
    client = client_for("coordinator")
    page = "/plan/actions/new"
    form = client.get(page).text
    assert 'name="milestone-1"' in form and 'name="milestone-1-due-day"' in form
    typed = {
        "description": "Publish the referral pathway",
        "agency": "housing-services",
        **_boxes("target", date(2027, 6, 30)),
        "theme": "communication",
        "milestone-1": "Draft the pathway",
        **_boxes("milestone-1-due", date(2027, 1, 31)),
        "milestone-2": "Agree it at the Delivery Group",
    }
    orphan = form_post(client, page, page, {**typed, **_boxes("milestone-3-due", date(2027, 2, 1))})
    assert orphan.status_code == 422 and 'href="#action-milestone-3"' in orphan.text
    assert 'value="Draft the pathway"' in orphan.text
    bad = form_post(client, page, page, {**typed, "milestone-1-due-month": "13"})
    assert bad.status_code == 422 and 'href="#action-milestone-1-due"' in bad.text
    made = form_post(client, page, page, typed)
    assert made.status_code == 303, made.text[:2000]
    action_id = int(made.headers["location"].split("/plan/actions/")[1].split("?")[0])
    got = [(m["text"], m["due_on"]) for m in queries.show_action(demo.ctx, action_id)["milestones"]]
    assert got == [("Draft the pathway", date(2027, 1, 31)), ("Agree it at the Delivery Group", None)]


def _completed_action(demo) -> int:
    new = NewAction("Audit referrals", "housing-services", date(2027, 3, 31), theme="priority_response")
    action_id = add_action(demo.ctx, new, by=email_for("coordinator")).id or 0
    update_action(demo.ctx, action_id, Progress("completed", "Done"), by=email_for("coordinator"))
    action_evidence.add_evidence(demo.ctx, action_id, "audit.txt", b"audit", by=email_for("coordinator"))
    return action_id


def test_updates_and_closures_can_be_dated_when_they_happened(demo, client_for):
    action_id = _completed_action(demo)
    client = client_for("coordinator")
    page = f"/plan/actions/{action_id}"
    assert 'name="on-day"' in client.get(page).text
    earlier = demo.ctx.today() - timedelta(days=5)
    future = form_post(client, page, f"{page}/update", {"note": "Late note", **_boxes("on", earlier + timedelta(9))})
    assert future.status_code == 422 and 'href="#update-on"' in future.text
    assert form_post(client, page, f"{page}/update", {"note": "Late note", **_boxes("on", earlier)}).status_code == 303
    history = queries.show_action(demo.ctx, action_id)["history"]
    assert any(h["note"] == "Late note" and h["on"] == earlier for h in history)
    bad = form_post(client, page, f"{page}/close", {"on-day": "31", "on-month": "2", "on-year": "2026"})
    assert bad.status_code == 422 and 'href="#close-on"' in bad.text
    closed = form_post(client, page, f"{page}/close", _boxes("on", earlier))
    assert closed.status_code == 303
    assert queries.show_action(demo.ctx, action_id)["closed_on"] == earlier


def test_the_action_list_filters_by_topic(demo, client_for):
    tagged = NewAction("Coercive control training", "housing-services", date(2027, 3, 31), theme="community")
    tagged.tags = ["Coercive control"]
    tagged_id = add_action(demo.ctx, tagged, by=email_for("coordinator")).id
    other = NewAction("Leaflets in GP surgeries", "housing-services", date(2027, 3, 31), theme="community")
    other_id = add_action(demo.ctx, other, by=email_for("coordinator")).id
    client = client_for("coordinator")
    page = client.get("/plan/actions", params={"tag": "Coercive control"})
    assert page.status_code == 200 and 'name="tag"' in page.text and 'value="Coercive control"' in page.text
    assert f'href="/plan/actions/{tagged_id}"' in page.text and f'href="/plan/actions/{other_id}"' not in page.text
    wrong = client.get("/plan/actions", params={"tag": "<script>"})
    assert wrong.status_code == 422 and 'href="#tag"' in wrong.text and "<script>" not in wrong.text

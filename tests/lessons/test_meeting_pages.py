"""Delivery Group meetings from the browser, as `dhr meeting` does them: the team schedules, moves, cancels and
puts the collated plan on an agenda; the Board sees the meetings without the forms; the service refuses the rest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dhr_workflow.core.errors import NotPermitted
from dhr_workflow.demo.seed import email_for
from dhr_workflow.lessons import meetings
from tests.web.conftest import form_post

PAGE = "/plan/meetings"


def _boxes(name: str, day) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_the_team_schedules_moves_cancels_and_presents_from_the_page(demo, client_for):
    client = client_for("coordinator")
    before = {m["id"] for m in meetings.list_meetings(demo.ctx)}
    first = demo.ctx.today() + timedelta(days=30)
    made = form_post(
        client,
        PAGE,
        PAGE,
        {**_boxes("first", first), "count": "2", "time": "14:30", "minutes": "90", "location": "Town Hall"},
    )
    assert made.status_code == 303 and made.headers["location"] == f"{PAGE}?done=scheduled"
    new = [m for m in meetings.list_meetings(demo.ctx) if m["id"] not in before]
    assert len(new) == 2 and all(m["time"] == "14:30" and m["location"] == "Town Hall" for m in new)
    target = new[0]
    moved_to = first + timedelta(days=7)
    moved = form_post(client, PAGE, f"{PAGE}/{target['id']}/move", {**_boxes("on", moved_to), "time": "09:15"})
    assert moved.status_code == 303
    again = next(m for m in meetings.list_meetings(demo.ctx) if m["id"] == target["id"])
    assert again["date"] == moved_to and again["time"] == "09:15"
    presented = form_post(client, PAGE, f"{PAGE}/{target['id']}/present-round", {})
    assert presented.status_code == 303
    assert next(m for m in meetings.list_meetings(demo.ctx) if m["id"] == target["id"])["round_id"]
    cancelled = form_post(client, PAGE, f"{PAGE}/{new[1]['id']}/cancel", {})
    assert cancelled.status_code == 303
    assert next(m for m in meetings.list_meetings(demo.ctx) if m["id"] == new[1]["id"])["cancelled"]
    assert form_post(client, PAGE, f"{PAGE}/999999/cancel", {}).status_code == 404


def test_a_wrong_schedule_is_refused_against_each_field(demo, client_for):
    client = client_for("csp_chair")
    past = demo.ctx.today() - timedelta(days=3)
    bad = form_post(
        client, PAGE, PAGE, {**_boxes("first", past), "count": "12", "time": "25:00", "minutes": "90", "location": ""}
    )
    assert bad.status_code == 422
    for field in ("schedule-count", "schedule-time", "schedule-location"):
        assert f'href="#{field}"' in bad.text, field
    assert 'value="25:00"' in bad.text  # what was typed is shown again
    in_the_past = form_post(
        client, PAGE, PAGE, {**_boxes("first", past), "count": "1", "time": "10:00", "minutes": "90", "location": "X"}
    )
    assert in_the_past.status_code == 422 and 'href="#schedule-first"' in in_the_past.text


def test_the_board_sees_meetings_without_the_forms_and_cannot_change_them(demo, client_for):
    board = client_for("viewer")
    page = board.get(PAGE)
    assert page.status_code == 200 and "Schedule the next meetings" not in page.text
    some = meetings.list_meetings(demo.ctx)[0]
    assert form_post(board, PAGE, f"{PAGE}/{some['id']}/cancel", {}).status_code == 403
    assert not next(m for m in meetings.list_meetings(demo.ctx) if m["id"] == some["id"])["cancelled"]


@pytest.mark.parametrize("role", ["agency_contact", "reviewer", "viewer"])
def test_the_service_refuses_anyone_but_the_team(demo, role):
    some = meetings.list_meetings(demo.ctx)[0]
    with pytest.raises(NotPermitted):
        meetings.cancel(demo.ctx, some["id"], by=email_for(role))

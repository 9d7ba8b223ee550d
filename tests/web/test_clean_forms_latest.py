"""Clean errors on the forms that landed last (issue 16): factual accuracy, the family member's details, terms of
reference input and shared drafts, the service's own pages, the Delivery Plan's commentary rounds, actions and
meetings, retention and subject access, and the case's clocks, members and details. A hostile value in any field (or
in the address) gets a 4xx page, never a 500, and the database is unchanged (row counts and the audit head).

`test_every_form_is_fuzzed_or_excluded_for_a_reason` walks the app's POST routes: a new form that is neither in a
fuzz nor in EXCLUDED fails it, so no form escapes the fuzz."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from dhr_workflow.accuracy.rounds import circulate
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.documents.versions import generate
from dhr_workflow.family import involvement
from tests.integration.test_clean_errors import UNKNOWN_REFS, snapshot
from tests.integration.test_clean_errors_findings import bad_text
from tests.web import test_clean_forms_findings as findings_forms
from tests.web.conftest import csrf_of
from tests.web.test_clean_forms_findings import NOT_NUMBERS, bad_date, future_date, one

WORDS = st.sampled_from(["nonsense", "\u200b", "Ab\x00Z", "x" * 300])
BAD_TIMES = st.sampled_from(["25:00", "10:60", "noon", "\u0661\u0660:00"])
NOT_EMAILS = st.sampled_from(["not-an-email", "a@b\n", "nobody@example.org", "x" * 400 + "@example.org"])
HIDDEN = st.sampled_from(["Ab\x00Z", "Ab\u202eZ", "Ab\x1bZ", "\u200b\u200b"])
NOT_CLOCKS = st.sampled_from(["nonsense", "%E2%80%8B", "x" * 300, "REVIEW "])  # what a URL can carry
BAD_IN_PATH = st.sampled_from(["0", "-1", "99999999999999999999", "abc", "1.5", "\u0661"])

Form = tuple[str, dict[str, str], st.SearchStrategy[dict[str, str]]]


def _path(template: str) -> st.SearchStrategy[dict[str, str]]:
    """A hostile value in the address itself: the action is the template with the value in its {slot}."""
    return BAD_IN_PATH.map(lambda v: {"__path__": template.replace("{id}", v)})


def _forms(ref: str, party: int, version: int) -> list[Form]:
    """(action, good fields, hostile fields) for every field of every form, and every id in an address."""
    case, fam = f"/cases/{ref}", f"/cases/{ref}/family/{party}"
    circulate = {"version": str(version), "agency": "metropolitan-police", "due": "2027-01-04"}
    share = {"version": str(version), "how": "email"}
    action = {
        "description": "Train staff",
        "agency": "Metropolitan Police",
        "theme": "community",
        "target-day": "1",
        "target-month": "3",
        "target-year": "2027",
    }
    plan = {
        "title": "Delivery Plan 2027 to 2028",
        "start-day": "1",
        "start-month": "4",
        "start-year": "2027",
        "end-day": "31",
        "end-month": "3",
        "end-year": "2028",
    }
    meetings = {
        "count": "2",
        "time": "10:00",
        "minutes": "120",
        "location": "Town Hall",
        "first-day": "12",
        "first-month": "1",
        "first-year": "2027",
    }
    limits = {
        "relationship": 200,
        "contact": 500,
        "language": 100,
        "needs": 500,
        "advocate_name": 200,
        "pseudonym_reason": 500,
        "thanked_by_name": 200,
    }  # the rest are choices
    edit: list[Form] = [
        (
            f"{fam}/edit",
            {"relationship": "Mother"},
            one(k, bad_text(limits[k], required=k == "relationship") if k in limits else WORDS),
        )
        for k in family_edit_fields()
    ]
    return [
        (f"{case}/accuracy", circulate, one("version", NOT_NUMBERS)),
        (f"{case}/accuracy", circulate, bad_date("due")),
        (f"{case}/accuracy/answers/1", {"answer": "comments"}, one("comments", bad_text(20000))),
        (f"{case}/accuracy/answers/1", {"answer": "none"}, bad_date("on")),
        (f"{case}/accuracy/answers/{{id}}", {"answer": "none"}, _path(f"{case}/accuracy/answers/{{id}}")),
        (f"{case}/accuracy/comments/1/response", {}, one("response", bad_text(4000))),
        (f"{case}/accuracy/comments/{{id}}/response", {"response": "Done"},
         _path(f"{case}/accuracy/comments/{{id}}/response")),
        (f"{case}/accuracy/close", {}, bad_date("closed_on")),
        *edit,
        (f"/cases/{ref}/family/{{id}}/edit", {"language": "Welsh"}, _path(f"/cases/{ref}/family/{{id}}/edit")),
        (f"{fam}/tor-input", {"text": "Ask about"}, one("text", bad_text(4000))),
        (f"{fam}/tor-input", {"text": "Ask about"}, bad_date("on")),
        (f"{fam}/tor-input", {"text": "Ask about"}, future_date("on")),
        (f"{fam}/drafts", share, one("version", NOT_NUMBERS)),
        (f"{fam}/drafts", share, bad_date("on")),
        (f"{fam}/drafts", share, future_date("on")),
        (f"{fam}/drafts", share, one("how", WORDS)),
        (f"{fam}/drafts", share, one("response", bad_text(4000, required=False))),
        ("/admin/site-pages/privacy", {}, one("text", HIDDEN)),
        ("/admin/site-pages/{id}", {"text": "A page"}, st.sampled_from(["nonsense", "PRIVACY", "x" * 99]).map(
            lambda v: {"__path__": f"/admin/site-pages/{v}"})),
        ("/plan/commentary", {}, one("title", bad_text(200))),
        ("/plan/commentary", {}, bad_date("on")),
        ("/plan/commentary/steps/collate", {}, one("note", bad_text(2000))),
        ("/plan/commentary/steps/collate", {}, bad_date("on")),
        ("/plan/commentary/steps/{id}", {}, st.sampled_from(["nonsense", "open", "x" * 99]).map(
            lambda v: {"__path__": f"/plan/commentary/steps/{v}"})),
        ("/plan/new", plan, one("title", bad_text(200))),
        ("/plan/new", plan, bad_date("start")),
        ("/plan/new", plan, bad_date("end")),
        ("/plan/actions/new", action, one("description", bad_text(4000))),
        ("/plan/actions/new", action, bad_date("target")),
        ("/plan/actions/new", action, one("recommendation", NOT_NUMBERS)),
        ("/plan/actions/new", action, one("theme", WORDS)),
        ("/plan/actions/{id}/update", {"note": "Going well"}, _path("/plan/actions/{id}/update")),
        ("/plan/actions/{id}/close", {}, _path("/plan/actions/{id}/close")),
        ("/plan/actions/{id}/evidence", {}, _path("/plan/actions/{id}/evidence")),
        ("/plan/actions/{id}/milestones/1/done", {}, _path("/plan/actions/{id}/milestones/1/done")),
        ("/plan/meetings", meetings, bad_date("first")),
        ("/plan/meetings", meetings, one("time", BAD_TIMES)),
        ("/plan/meetings", meetings, one("count", NOT_NUMBERS)),
        ("/plan/meetings", meetings, one("minutes", NOT_NUMBERS)),
        ("/plan/meetings", meetings, one("location", bad_text(300, required=False))),
        ("/plan/meetings/{id}/move", {"on": "2027-02-01"}, _path("/plan/meetings/{id}/move")),
        ("/plan/meetings/{id}/cancel", {}, _path("/plan/meetings/{id}/cancel")),
        ("/plan/meetings/{id}/present-round", {}, _path("/plan/meetings/{id}/present-round")),
        ("/admin/retention/holds", {"reason": "Inquest"}, one("ref", UNKNOWN_REFS)),
        ("/admin/retention/holds/{id}/release", {"reason": "Done"}, _path("/admin/retention/holds/{id}/release")),
        ("/admin/retention/apply", {}, one("confirm", st.sampled_from(["", "no", "YES ", "\u200b"]))),
        ("/admin/subject-access", {"who": "email"}, one("email", NOT_EMAILS)),
        ("/admin/subject-access", {"who": "party"}, one("party", st.sampled_from(["", "x", f"{ref}:999", "1"]))),
        ("/admin/subject-access", {"email": "a@example.org"}, one("who", WORDS)),
        ("/admin/access-requests/{id}/acknowledge", {}, _path("/admin/access-requests/{id}/acknowledge")),
        ("/admin/holidays/{id}/remove", {}, st.sampled_from(["2026-02-30", "9999-01-01", "tomorrow"]).map(
            lambda v: {"__path__": f"/admin/holidays/{v}/remove"})),
        ("/admin/tokens/{id}/revoke", {}, _path("/admin/tokens/{id}/revoke")),
        ("/admin/users/{id}/deactivate", {}, _path("/admin/users/{id}/deactivate")),
        ("/notifications/{id}/read", {}, _path("/notifications/{id}/read")),
        (f"{case}/clocks/{{id}}/pause", {"reason": "Inquest"}, NOT_CLOCKS.map(
            lambda v: {"__path__": f"{case}/clocks/{v}/pause"})),
        (f"{case}/clocks/review/pause", {}, one("reason", bad_text(2000))),
        (f"{case}/clocks/{{id}}/resume", {}, NOT_CLOCKS.map(lambda v: {"__path__": f"{case}/clocks/{v}/resume"})),
        (f"{case}/members", {"role": "panel_member"}, one("email", NOT_EMAILS)),
        (f"{case}/details", {}, one("version", NOT_NUMBERS)),
        (f"{case}/actions", {}, one("trigger", WORDS)),
    ]  # fmt: skip


def family_edit_fields() -> list[str]:
    from dhr_workflow.web.pages_family import EDIT_FIELDS

    return list(EDIT_FIELDS)


# Forms the first fuzz posts (tests/web/test_clean_forms.py builds them inside its strategy).
FIRST_FUZZ = ["/cases/new", "/cases/{ref}/tasks", "/cases/{ref}/panel-meetings", "/admin/holidays", "/admin/users",
              "/admin/retention/holds"]  # fmt: skip

# POST routes no form fuzz posts, and why.
EXCLUDED = {
    "/login": "signing in: its refusals, limits and a hypothesis test are in tests/web/test_sign_in.py",
    "/logout": "no field",
    "/accessible-formats/request": "the public request form, with its limits in tests/web/test_public_requests.py",
    "/cases/{ref}/publication-check": "runs the check: no field",
    "/cases/{ref}/tasks/{task_id}/done": "its refusals are tests in tests/web/test_clean_forms.py",
    "/cases/{ref}/panel-meetings/{meeting_id}/cancel": "no field; unknown ids in tests/web/test_panel_meetings_page.py",
    "/cases/{ref}/panel-meetings/{meeting_id}/move": "tests/web/test_panel_meetings_page.py",
    "/cases/{ref}/chronology": "a file upload, refused in tests/agencies (CSV parsing fuzzed there)",
}
API = "/api/v1/"  # JSON for programs, not forms: tests/web/test_api*.py check their refusals


def unchanged_but_views(ctx, before: dict[str, object]) -> bool:  # type: ignore[no-untyped-def]
    """The database as `before`, except for audit events recording that someone saw personal data: a refused form
    shows the page again, and seeing a family member's details is audited (need to know) whether or not it saved."""
    after = snapshot(ctx)
    if after == before:
        return True
    if {k for k in after if after[k] != before[k]} != {"audit_event", "audit_head"}:
        return False
    with ctx.db.read() as session:
        since = before["audit_head"][0]  # type: ignore[index]
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.seq > since))
        return all(a.startswith("viewed_") for a in actions)


def _route_templates(app) -> set[str]:  # type: ignore[no-untyped-def]
    def walk(routes):  # type: ignore[no-untyped-def]
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:
                yield from walk(inner.routes)
            elif "POST" in (getattr(route, "methods", None) or ()):
                yield route.path

    return set(walk(app.routes))


def _matches(template: str, action: str) -> bool:
    pattern = "/".join("[^/]+" if part.startswith("{") else re.escape(part) for part in template.split("/"))
    return re.fullmatch(pattern, action) is not None


def test_every_form_is_fuzzed_or_excluded_for_a_reason(app) -> None:
    actions = [a for a, _, _ in _forms("DHR-2026-001", 1, 1)] + FIRST_FUZZ
    actions += [a for _p, a, _g, _h in findings_forms.forms_of("DHR-2026-001", {"request": 1, "entry": 1, "party": 1})]
    routes = {r for r in _route_templates(app) if not r.startswith(API)}
    fuzzed = {r for r in routes if any(_matches(r, a.replace("{ref}", "DHR-2026-001")) for a in actions)}
    assert not (routes - fuzzed - EXCLUDED.keys()), "neither fuzzed nor excluded: add it to a form fuzz"
    assert not (EXCLUDED.keys() - routes), "excluded but gone: drop it from EXCLUDED"


def test_fuzz_hostile_fields_of_the_latest_forms_get_a_4xx_and_change_nothing(demo, client_for) -> None:
    ref = demo.ref("gathering evidence")
    member = involvement.add_member(demo.ctx, ref, name="Ann Smith", relationship="Mother")
    doc, _ = generate(demo.ctx, ref, "overview_report")
    forms = _forms(ref, member.party_id, doc.version)
    clients = {who: client_for(who) for who in ("coordinator", "admin")}
    tokens = {who: csrf_of(c.get(f"/cases/{ref}" if who == "coordinator" else "/admin/users").text)
              for who, c in clients.items()}  # fmt: skip

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def post_hostile(data: st.DataObject) -> None:
        action, good, hostile = data.draw(st.sampled_from(forms))
        fields = {**good, **data.draw(hostile)}
        action = fields.pop("__path__", action)
        who = "admin" if action.startswith("/admin") else "coordinator"
        before = snapshot(demo.ctx)
        response = clients[who].post(action, data={**fields, "csrf_token": tokens[who]})
        shown = f"{who} {action} { ({k: v[:60] for k, v in fields.items()}) }"
        assert 400 <= response.status_code < 500, f"{response.status_code}: {shown}"
        assert unchanged_but_views(demo.ctx, before), f"changed the database: {shown}"

    post_hostile()


def test_a_factual_accuracy_deadline_outside_the_supported_years_is_refused(demo, client_for) -> None:
    """Found by the fuzz: the date input's three boxes did not check the year, and circulate stored 2101."""
    ref = demo.ref("gathering evidence")
    doc, _ = generate(demo.ctx, ref, "overview_report")
    client = client_for("coordinator")
    token = csrf_of(client.get(f"/cases/{ref}").text)
    before = snapshot(demo.ctx)
    fields = {"version": str(doc.version), "agency": "metropolitan-police", "due-day": "1", "due-month": "1"}
    response = client.post(f"/cases/{ref}/accuracy", data={**fields, "due-year": "2101", "csrf_token": token})
    assert response.status_code == 422 and "must be in a year from 1900 to 2100" in response.text
    assert snapshot(demo.ctx) == before
    with pytest.raises(InvalidInput, match="outside the years 1900 to 2100"):  # the service refuses it too
        circulate(demo.ctx, ref, doc.version, agencies=["Metropolitan Police"], due=date(2101, 1, 1))
    assert snapshot(demo.ctx) == before

"""Leavers and API tokens (issue 16): a deactivated person is switched off at once, in pages, API and CLI alike;
their assignments stay, their reminders go to the case's coordinator; tokens expire, can be listed and revoked."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from dhr_workflow.cases.tables import CaseMember, Task
from dhr_workflow.core.tables import utcnow
from dhr_workflow.demo.seed import email_for
from dhr_workflow.people.tables import ApiToken, User
from notifications.ledger.tables import Reminder
from tests.web.conftest import form_post

LEAVER = email_for("panel_member")


def _user_id(demo, email: str) -> int:
    with demo.ctx.db.read() as s:
        return s.scalars(select(User.id).where(User.email == email)).one()


def _open_task_reminders(demo, task_ids: list[int]) -> set[tuple[str, int]]:
    with demo.ctx.db.read() as s:
        rows = s.execute(
            select(Reminder.subject, Reminder.recipient_id).where(
                Reminder.subject.in_([f"task:{t}" for t in task_ids]), Reminder.status == "pending"
            )
        )
        return {(r.subject, r.recipient_id) for r in rows}


def test_a_deactivated_leaver_is_locked_out_at_once_and_their_reminders_go_to_the_coordinator(
    demo, cli, client_for, tokens
) -> None:
    leaver_id = _user_id(demo, LEAVER)
    with demo.ctx.db.write() as s:  # an open task for the leaver, due well ahead, so its reminders are pending
        member = s.scalars(select(CaseMember).where(CaseMember.user_id == leaver_id)).first()
        assert member is not None
        from dhr_workflow.cases.tables import Case

        ref = s.get(Case, member.case_id).ref
    from dhr_workflow.cases import tasks

    tasks.add_task(demo.ctx, ref, "Chronology", LEAVER, demo.ctx.today() + timedelta(days=40))
    with demo.ctx.db.read() as s:
        task_ids = list(s.scalars(select(Task.id).where(Task.assignee_id == leaver_id, Task.done_on.is_(None))))
        members_before = s.scalars(select(CaseMember.id).where(CaseMember.user_id == leaver_id)).all()
    assert any(who == leaver_id for _, who in _open_task_reminders(demo, task_ids))
    page, api = client_for("panel_member"), client_for(None)
    bearer = {"Authorization": f"Bearer {tokens['panel_member']}"}
    assert page.get("/").status_code == 200 and api.get("/api/v1/me", headers=bearer).status_code == 200

    result = cli("user", "deactivate", LEAVER, "--by", email_for("admin"))
    assert result.exit_code == 0, result.output
    assert "1 session(s) ended, 1 API token(s) revoked" in " ".join(result.stdout.split())

    assert page.get("/").status_code in (303, 401)
    assert api.get("/api/v1/me", headers=bearer).status_code == 401
    after = _open_task_reminders(demo, task_ids)
    assert after and all(who != leaver_id for _, who in after)
    coordinators = {_user_id(demo, email_for("coordinator"))}
    assert {who for _, who in after} <= coordinators | {_user_id(demo, email_for("csp_chair"))}
    with demo.ctx.db.read() as s:
        assert s.scalars(select(CaseMember.id).where(CaseMember.user_id == leaver_id)).all() == members_before
        assert not s.scalars(
            select(Reminder.id).where(Reminder.recipient_id == leaver_id, Reminder.status == "pending")
        ).all()
    listed = json.loads(cli("user", "list", "--json").stdout)
    assert next(u for u in listed if u["email"] == LEAVER)["active"] is False
    again = cli("user", "deactivate", LEAVER)
    assert again.exit_code != 0 and "already deactivated" in again.stderr
    history = cli("audit", "verify")
    assert history.exit_code == 0


def test_deactivating_from_the_admin_page_and_its_refusals(demo, client_for) -> None:
    coordinator = client_for("coordinator")
    leaver = client_for("panel_member")

    def deactivate(role: str):
        return form_post(coordinator, "/admin/users", f"/admin/users/{_user_id(demo, email_for(role))}/deactivate", {})

    own = deactivate("coordinator")
    assert own.status_code == 422 and "your own account" in own.text
    admin = deactivate("admin")
    assert admin.status_code == 403 and "Only an administrator" in admin.text
    missing = form_post(coordinator, "/admin/users", "/admin/users/99999999/deactivate", {})
    assert missing.status_code == 404
    done = form_post(coordinator, "/admin/users", f"/admin/users/{_user_id(demo, LEAVER)}/deactivate", {})
    assert done.status_code == 303
    assert "deactivated" in coordinator.get(done.headers["location"]).text
    assert leaver.get("/").status_code in (303, 401)
    forged = coordinator.post(f"/admin/users/{_user_id(demo, email_for('viewer'))}/deactivate", data={})
    assert forged.status_code == 400  # no CSRF token


def test_tokens_expire_after_the_configured_days_and_old_tokens_count_from_creation(demo, client_for, tokens) -> None:
    client = client_for(None)
    bearer = {"Authorization": f"Bearer {tokens['coordinator']}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    with demo.ctx.db.read() as s:
        token = s.scalars(select(ApiToken).join(User).where(User.email == email_for("coordinator"))).one()
    assert abs(
        (token.expires_at.replace(tzinfo=None) - token.created_at.replace(tzinfo=None)) - timedelta(days=90)
    ) < timedelta(seconds=5)
    assert token.last_used_at is not None
    with demo.ctx.db.write() as s:  # made before expiry existed, 91 days ago
        s.execute(
            update(ApiToken)
            .where(ApiToken.id == token.id)
            .values(expires_at=None, created_at=utcnow() - timedelta(days=91))
        )
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    with demo.ctx.db.write() as s:
        s.execute(update(ApiToken).where(ApiToken.id == token.id).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/api/v1/me", headers=bearer).status_code == 401


def test_token_list_and_revoke_on_the_command_line(demo, cli, client_for, tokens) -> None:
    listed = json.loads(cli("token", "list", "--json", "--user", email_for("reviewer")).stdout)
    assert [t["owner"] for t in listed] == [email_for("reviewer")]
    assert {"id", "owner", "created_at", "last_used_at", "expires_at", "status"} <= set(listed[0])
    assert listed[0]["status"] == "active"
    table = cli("token", "list")
    assert table.exit_code == 0 and "API tokens" in table.stdout
    revoked = cli("token", "revoke", str(listed[0]["id"]))
    assert revoked.exit_code == 0, revoked.output
    bearer = {"Authorization": f"Bearer {tokens['reviewer']}"}
    assert client_for(None).get("/api/v1/me", headers=bearer).status_code == 401
    assert json.loads(cli("token", "list", "--json", "--user", email_for("reviewer")).stdout)[0]["status"] == "revoked"
    twice = cli("token", "revoke", str(listed[0]["id"]))
    assert twice.exit_code != 0 and "already revoked" in twice.stderr
    for bad in ("99999", "99999999999999999999", "-1", "x"):
        result = cli("token", "revoke", bad)
        assert result.exit_code != 0 and "Traceback" not in result.output


def test_an_administrator_revokes_a_token_on_the_tokens_page(demo, client_for, tokens) -> None:
    coordinator = client_for("coordinator")
    page = coordinator.get("/admin/tokens")
    assert page.status_code == 200 and email_for("viewer") in page.text
    assert client_for("viewer").get("/admin/tokens").status_code == 403
    with demo.ctx.db.read() as s:
        token_id = s.scalars(select(ApiToken.id).join(User).where(User.email == email_for("viewer"))).one()
    done = form_post(coordinator, "/admin/tokens", f"/admin/tokens/{token_id}/revoke", {})
    assert done.status_code == 303
    bearer = {"Authorization": f"Bearer {tokens['viewer']}"}
    assert client_for(None).get("/api/v1/me", headers=bearer).status_code == 401
    again = form_post(coordinator, "/admin/tokens", f"/admin/tokens/{token_id}/revoke", {})
    assert again.status_code == 422 and "already revoked" in again.text
    assert form_post(coordinator, "/admin/tokens", "/admin/tokens/424242/revoke", {}).status_code == 404

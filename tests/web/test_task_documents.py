"""A document version shared with a task: the assignee (a panel member, who sees no other documents) opens exactly
that version, the read is audited, and nobody else on the case without document access can."""

from __future__ import annotations

from sqlalchemy import select

from dhr_workflow.core.tables import AuditEvent
from dhr_workflow.demo.seed import email_for
from tests.web.conftest import form_post


def _share_chronology(demo, client_for) -> tuple[str, str]:
    client = client_for("coordinator")
    ref = demo.ref("gathering evidence")
    page = client.get(f"/cases/{ref}").text
    assert 'id="task-document"' in page
    option = page.split('id="task-document"')[1].split('<option value="')[2].split('"')[0]
    added = form_post(
        client,
        f"/cases/{ref}",
        f"/cases/{ref}/tasks",
        {"form": "task", "title": "Comment on the draft", "kind": "chronology", "assignee": email_for("panel_member"),
         "due-day": "1", "due-month": "12", "due-year": "2026", "document": option},
    )  # fmt: skip
    assert added.status_code == 303, added.text[:300]
    return ref, option


def test_the_assignee_opens_exactly_the_shared_version_and_the_read_is_audited(demo, client_for):
    ref, template = _share_chronology(demo, client_for)
    panel = client_for("panel_member")
    tasks = panel.get("/tasks").text
    link = tasks.split("Shared with this task: ")[1].split('href="')[1].split('"')[0]
    assert link.startswith(f"/cases/{ref}/tasks/") and link.endswith(".pdf")
    opened = panel.get(link)
    assert opened.status_code == 200 and opened.content.startswith(b"%PDF")
    assert "No documents to show" in panel.get(f"/cases/{ref}").text  # nothing else of the case's documents
    assert panel.get(f"/cases/{ref}/documents/{template}.pdf").status_code == 403
    with demo.ctx.db.read() as session:
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "task_document_opened")).all()
    assert [r.actor for r in reads] == [email_for("panel_member")]


def test_someone_not_given_the_task_cannot_open_its_document(demo, client_for):
    ref, _ = _share_chronology(demo, client_for)
    link = client_for("panel_member").get("/tasks").text.split("Shared with this task: ")[1].split('href="')[1]
    link = link.split('"')[0]
    assert client_for("agency_contact").get(link).status_code == 404
    other = link.rsplit("/", 1)[0] + "/999999.pdf"
    assert client_for("panel_member").get(other).status_code == 404


def test_an_unknown_document_is_refused_and_no_task_is_made(demo, client_for):
    client = client_for("coordinator")
    ref = demo.ref("gathering evidence")
    before = client.get(f"/cases/{ref}").text.count('id="task-')
    refused = form_post(
        client,
        f"/cases/{ref}",
        f"/cases/{ref}/tasks",
        {"form": "task", "title": "Comment", "assignee": email_for("panel_member"),
         "due-day": "1", "due-month": "12", "due-year": "2026", "document": "no_such_document"},
    )  # fmt: skip
    assert refused.status_code == 422 and 'href="#task-document"' in refused.text
    assert client.get(f"/cases/{ref}").text.count('id="task-') == before


def test_the_command_line_shares_and_opens_the_same_version(demo, cli, tmp_path):
    ref = demo.ref("gathering evidence")
    added = cli(
        "task", "add", ref, "--title", "Comment on the ToR", "--assignee", email_for("panel_member"),
        "--due", "2026-12-01", "--document", "terms_of_reference", "--by", email_for("coordinator"),
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    task_id = added.output.split("Task ")[1].split()[0]
    document_id = added.output.split("(document ")[1].split(")")[0]
    out = tmp_path / "tor.pdf"
    opened = cli("task", "document", ref, task_id, document_id, "-o", str(out), "--by", email_for("panel_member"))
    assert opened.exit_code == 0, opened.output
    assert out.read_bytes().startswith(b"%PDF")
    refused = cli("task", "document", ref, task_id, document_id, "-o", str(out), "--by", email_for("agency_contact"))
    assert refused.exit_code != 0

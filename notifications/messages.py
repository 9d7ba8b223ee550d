"""What a reminder says. Only the case reference, what is due, the due date and a link: never a name, a pseudonym,
a task's free-text title or any case fact (PRODUCT.md §2.4). A test plants names in a case and scans every message.

Subjects are strings "KIND:..." ("clock:decision:1", "task:17", "digest:4"). Each known kind has a describer that
says what is due and where to look; other features register theirs in SUBJECT_KINDS. An unknown kind still gets a
safe, generic message (the kind's name and a link), so a new kind of reminder is never lost for want of wording.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session

from dhr_workflow.agencies.rules import EVIDENCE_KINDS
from dhr_workflow.agencies.tables import EvidenceRequest
from dhr_workflow.cases.meetings import Meeting
from dhr_workflow.cases.tables import Case, Task
from dhr_workflow.core.paths import templates_dir
from dhr_workflow.workflow.definition import WorkflowDefinition
from notifications.ledger.tables import Reminder

TASK_KIND_LABELS = {
    "general": "A task",
    "agency_report": "An agency report",
    "chronology": "An agency chronology",
    "draft_comments": "Comments on the draft report",
    "meeting": "A review panel meeting",
    "accessible_format": "An accessible-format request",
    "action": "An action plan item",
}


@dataclass(frozen=True)
class Described:
    what: str  # "An agency report", "Decide whether to hold a review"
    path: str  # the link, relative to DHR_BASE_URL


@dataclass(frozen=True)
class SubjectInfo:
    reminder: Reminder
    case: Case | None
    definition: WorkflowDefinition | None


Describer = Callable[[Session, SubjectInfo], Described]


def _case_path(info: SubjectInfo) -> str:
    return f"/cases/{info.case.ref}" if info.case is not None else "/"


def _describe_clock(session: Session, info: SubjectInfo) -> Described:
    name = info.reminder.subject.split(":")[1] if info.reminder.subject.count(":") >= 1 else ""
    spec = info.definition.clocks.get(name) if info.definition is not None else None
    return Described(spec.label if spec is not None else "A statutory deadline", _case_path(info))


def _describe_task(session: Session, info: SubjectInfo) -> Described:
    task_id = info.reminder.subject.split(":", 1)[1]
    task = session.get(Task, int(task_id)) if task_id.isdigit() else None
    # The task's kind only: its title is free text and may name people.
    return Described(TASK_KIND_LABELS.get(task.kind if task else "general", "A task"), "/tasks")


SUBJECT_KINDS: dict[str, Describer] = {"clock": _describe_clock, "task": _describe_task}


def describe(session: Session, info: SubjectInfo) -> Described:
    kind = info.reminder.subject.split(":", 1)[0]
    describer = SUBJECT_KINDS.get(kind)
    if describer is not None:
        return describer(session, info)
    return _describe_generic(kind, info)


def _describe_generic(kind: str, info: SubjectInfo) -> Described:
    label = "".join(ch if ch.isalnum() else " " for ch in kind).strip() or "item"
    article = "An" if label[:1].lower() in "aeiou" else "A"
    return Described(f"{article} {label}", _case_path(info))


def headline(rule: str, deadline: date, today: date) -> str:
    """How the deadline stands, from the rule that planned this reminder."""
    if rule.startswith("before:"):
        count = rule.split(":", 1)[1]
        return f"is due in {count} working day{'' if count == '1' else 's'}"
    if rule == "due":
        return "is due today" if deadline == today else "is due"
    if rule == "escalation":
        return "is overdue and has been escalated to you"
    if rule.startswith("overdue"):
        return "is overdue"
    return "is due"


def long_date(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


@dataclass(frozen=True)
class Item:
    ref: str | None
    what: str
    headline: str
    due: str
    link: str


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str
    link: str
    personalisation: dict[str, str] = field(default_factory=dict)
    invite: Meeting | None = None  # a calendar entry the email channel attaches as ICS (panel meetings)


def item_for(session: Session, info: SubjectInfo, base_url: str, today: date) -> Item:
    found = describe(session, info)
    row = info.reminder
    return Item(
        ref=info.case.ref if info.case is not None else None,
        what=found.what,
        headline=headline(row.rule, row.deadline_on, today),
        due=long_date(row.deadline_on),
        link=base_url.rstrip("/") + found.path,
    )


def render_reminder(item: Item, templates: Path | None = None) -> RenderedMessage:
    return render_message("reminder", {"item": item}, item.link, templates)


def render_digest(items: list[Item], day: date, base_url: str, templates: Path | None = None) -> RenderedMessage:
    link = base_url.rstrip("/") + "/tasks"
    return render_message("digest", {"items": items, "day": long_date(day), "link": link}, link, templates)


def render_message(name: str, context: dict[str, Any], link: str, templates: Path | None) -> RenderedMessage:
    """A message from templates/messages/NAME.subject.txt.j2, NAME.txt.j2 and NAME.html.j2."""
    text_env, html_env = _environments(str(templates_dir(templates) / "messages"))
    subject = " ".join(text_env.get_template(f"{name}.subject.txt.j2").render(**context).split())
    text = text_env.get_template(f"{name}.txt.j2").render(**context)
    html = html_env.get_template(f"{name}.html.j2").render(**context)
    personalisation = {"subject": subject, "body": text, "link": link}
    return RenderedMessage(subject, text, html, link, personalisation)


@lru_cache(maxsize=8)
def _environments(folder: str) -> tuple[Environment, Environment]:
    loader = FileSystemLoader(folder)
    text = Environment(loader=loader, undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    html = Environment(loader=loader, undefined=StrictUndefined, autoescape=select_autoescape(default=True))
    return text, html


# A commentary-round reminder says what is asked and where to answer, never the action's text (it may carry case
# detail). Subjects are "commentary:ROUND:action:ID".
def describe_commentary(session: Session, info: SubjectInfo) -> Described:
    parts = info.reminder.subject.split(":")
    action_id = parts[3] if len(parts) == 4 and parts[3].isdigit() else ""
    what = "Your update on a Delivery Plan action for the commentary round"
    return Described(what, f"/plan/actions/{action_id}" if action_id else "/plan")


SUBJECT_KINDS["commentary"] = describe_commentary


# An evidence request's reminder says which kind of evidence is asked for and where to answer, never the agency's or
# anyone's name. The agency's contacts answer on "Requests for my agency"; the coordinator's escalation links to the
# case. Subjects are "evidence:ID".
def describe_evidence(session: Session, info: SubjectInfo) -> Described:
    request_id = info.reminder.subject.split(":", 1)[1]
    row = session.get(EvidenceRequest, int(request_id)) if request_id.isdigit() else None
    label = EVIDENCE_KINDS.get(row.kind, "Evidence") if row is not None else "Evidence"
    what = f"{label} asked of an agency"
    if info.reminder.rule == "escalation":
        return Described(what, _case_path(info))
    return Described(what, "/agency-requests")


SUBJECT_KINDS["evidence"] = describe_evidence

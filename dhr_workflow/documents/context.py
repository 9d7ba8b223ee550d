"""The data a toolkit document is rendered from, built from the case. Publication documents get pseudonyms in
place of every real name, the same pseudonym for a person in every document (it is stored once, on their Party
row), and no police reference, contact emails or exact dates."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.agencies.document_data import document_data as agency_document_data
from dhr_workflow.agencies.report_data import report_data as agency_report_data
from dhr_workflow.cases.facts import load_extensions
from dhr_workflow.cases.tables import Case, CaseMember, Clock, Party, Task
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.settings import Settings
from dhr_workflow.core.tables import AuditEvent, Partnership
from dhr_workflow.documents.catalogue import TemplateInfo
from dhr_workflow.documents.environment import humanise, long_date
from dhr_workflow.documents.errors import MissingData
from dhr_workflow.people.tables import User
from dhr_workflow.workflow.definition import WorkflowDefinition

# Other features add to a document's data here (the lessons-learned feature adds `actions`): each provider takes
# (session, case, publication) and returns keys to merge into the context.
CONTEXT_PROVIDERS: list[Callable[[Session, Case, bool], dict[str, Any]]] = []


def add_context_provider(provider: Callable[[Session, Case, bool], dict[str, Any]]) -> None:
    """Called by a feature's module when imported (dhr_workflow.cases.facts.EXTENSIONS names it)."""
    if provider not in CONTEXT_PROVIDERS:
        CONTEXT_PROVIDERS.append(provider)


ROLE_LABELS = {
    "coordinator": "Review coordinator",
    "csp_chair": "Community safety partnership chair",
    "reviewer": "Independent reviewer",
    "panel_member": "Panel member",
    "agency_contact": "Agency contact",
    "viewer": "Observer",
}
VOLATILE_KEYS = ("today",)


def data_hash(context: dict[str, Any]) -> str:
    """A fingerprint of what the document says about the case; today's date is left out, so regenerating an
    unchanged case on another day does not make a new version."""
    stable = {k: v for k, v in context.items() if k not in VOLATILE_KEYS}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, default=str).encode()).hexdigest()


def check_needs(case: Case, info: TemplateInfo, definition: WorkflowDefinition) -> None:
    missing = [name for name in info.needs if case.fields.get(name) in (None, "")]
    if missing:
        labels = [
            f"{name} ({definition.fields[name].label})" if name in definition.fields else name for name in missing
        ]
        example = " ".join(f"{name}=..." for name in missing)
        raise MissingData(
            f"'{info.title}' for {case.ref}",
            labels,
            f"Fill them with `dhr case set {case.ref} {example}`.",
        )


def build_context(
    ctx: AppContext,
    session: Session,
    case: Case,
    info: TemplateInfo,
    request: dict[str, Any] | None = None,
) -> dict[str, Any]:
    definition = ctx.workflows.get(case.workflow_name, case.workflow_version)
    check_needs(case, info, definition)
    publication = info.publication
    people = _people(session, case, publication)
    coordinator = _coordinator(session, case, required=not publication)
    partnership = session.get(Partnership, case.partnership_id).name  # type: ignore[union-attr]
    context: dict[str, Any] = {
        "doc": {
            "title": info.title,
            "lang": "en-GB",
            "marking": info.marking,
            "readers": info.readers,
            "layout": info.layout,
        },
        "case": _case(session, case, definition, publication),
        "partnership": {"name": partnership},
        "letterhead": letterhead(ctx.settings, partnership),
        "people": people,
        "victim": next((p for p in people if p["kind"] == "victim"), {"name": "the person who died", "age": None}),
        "coordinator": {**coordinator, "email": "" if publication else coordinator["email"]},
        "panel": [] if publication else _panel(session, case),
        "agency_tasks": [] if publication else _agency_tasks(session, case),
        "clocks": _clocks(session, case, definition),
        "actions": [],
        "recommendations": [],  # filled by dhr_workflow.lessons.recommendations
        "action_plan_rows": [],
        "qa_last_round": None,  # filled by dhr_workflow.qa.rounds
        "family": {  # filled by dhr_workflow.family.involvement
            "members": [],
            "languages": [],
            "needs": [],
            "summary": {"invited": 0, "taking_part": 0, "advocates": [], "shared_with": 0},
            "tor_input": [],
            "shared": [],
            "pseudonyms": {"basis": "not_recorded", "reasons": []},
        },
        "sections": {},  # the chair's sections, filled by dhr_workflow.findings.sections
        "panel_roles": [],
        "today": ctx.today().isoformat(),
        "contact": contact(ctx.settings, "" if publication else coordinator["email"]),
    }
    if info.readers == "family":  # letters to families name the local specialist services beside the national ones
        context["support_services"] = support_services(ctx.settings)
    if info.needs_access_request:
        if request is None:
            raise MissingData(
                f"'{info.title}' for {case.ref}",
                ["an accessible-format request"],
                f"Record one with `dhr access-request new --case {case.ref} ...` first.",
            )
        context["request"] = request
    load_extensions()  # the features that add to documents register themselves when imported
    context.update(agency_document_data(session, case, definition, ctx.today(), publication))
    context.update(agency_report_data(session, case, publication))  # contributing agencies, chronology summary
    for provider in CONTEXT_PROVIDERS:
        context.update(provider(session, case, publication))
    return context


def letterhead(settings: Settings, partnership: str) -> dict[str, Any]:
    """The partnership's letterhead from settings (DHR_LETTERHEAD_*); the logo is a file path that the template
    embeds, so the stored document data stays small."""
    return {
        "name": settings.letterhead_name or partnership,
        "address": [line.strip() for line in settings.letterhead_address.split("|") if line.strip()],
        "phone": settings.letterhead_phone,
        "email": settings.letterhead_email,
        "website": settings.letterhead_website,
        "logo": str(settings.letterhead_logo or ""),
        "logo_alt": settings.letterhead_logo_alt,
    }


def support_services(settings: Settings) -> list[str]:
    return [entry.strip() for entry in settings.local_support_services.split("|") if entry.strip()]


def contact(settings: Settings, email: str) -> dict[str, str]:
    """Where to ask for another format: the full address for links, a short one to print, a phone number."""
    request_url = settings.base_url.rstrip("/") + "/accessible-formats/request"
    short = settings.short_link or request_url.split("://", 1)[-1].removeprefix("www.")
    return {"request_url": request_url, "short_link": short, "email": email, "phone": settings.letterhead_phone}


def _case(session: Session, case: Case, definition: WorkflowDefinition, publication: bool) -> dict[str, Any]:
    commented = session.scalar(
        select(AuditEvent.id).where(AuditEvent.case_id == case.id, AuditEvent.action == "fired:record_family_comments")
    )
    state = definition.states.get(case.state)
    return {
        "ref": case.ref,
        "review_type": case.review_type,
        "workflow_title": definition.title,
        "state": case.state,
        "state_label": state.label if state else humanise(case.state),
        "death_date": case.death_date.isoformat(),
        "death_month": f"{case.death_date:%B %Y}",
        "notified_date": case.notified_date.isoformat(),
        "police_ref": "" if publication else case.police_ref,
        "fields": {k: (v.isoformat() if isinstance(v, date) else v) for k, v in case.fields.items()},
        "family_commented": commented is not None,
    }


def _people(session: Session, case: Case, publication: bool) -> list[dict[str, Any]]:
    out = []
    for party in session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.id)):
        name = party.pseudonym if publication else party.real_name
        role = humanise(party.kind)
        relationship = party.relationship or ("The person who died" if party.kind == "victim" else "Not recorded")
        age = party.age if party.age is not None else "Not recorded"
        out.append(
            {
                "kind": party.kind,
                "name": name,
                "pseudonym": party.pseudonym,
                "age": party.age,
                "relationship": relationship,
                "row": [role, name, age, relationship],
                "pair": [role, name],
                "public_row": [party.pseudonym, role, age, relationship],
            }
        )
    return out


def _coordinator(session: Session, case: Case, required: bool = True) -> dict[str, str]:
    """The case's coordinator (letters give their name and email). Publication documents name no one, so they do
    not need one."""
    user = (
        session.scalars(
            select(User)
            .join(CaseMember, CaseMember.user_id == User.id)
            .where(CaseMember.case_id == case.id, CaseMember.role == "coordinator")
            .order_by(CaseMember.id)
        ).first()
        or session.scalars(
            select(User).where(
                User.partnership_id == case.partnership_id, User.role == "coordinator", User.active.is_(True)
            )
        ).first()
    )
    if user is None and not required:
        return {"name": "The review coordinator", "email": "", "role": ROLE_LABELS["coordinator"]}
    if user is None:
        raise MissingData(
            f"documents for {case.ref}",
            ["a coordinator"],
            f"Add one with `dhr case assign {case.ref} --user EMAIL --role coordinator`.",
        )
    return {"name": user.name, "email": user.email, "role": ROLE_LABELS["coordinator"]}


def _panel(session: Session, case: Case) -> list[dict[str, Any]]:
    rows = session.execute(
        select(User.name, CaseMember.role)
        .join(CaseMember, CaseMember.user_id == User.id)
        .where(CaseMember.case_id == case.id, CaseMember.role != "coordinator")
        .order_by(CaseMember.id)
    ).all()
    return [
        {"name": name, "role": ROLE_LABELS.get(role, humanise(role)), "row": [name, ROLE_LABELS.get(role, role)]}
        for name, role in rows
    ]


def _agency_tasks(session: Session, case: Case) -> list[dict[str, Any]]:
    tasks = session.scalars(
        select(Task)
        .where(Task.case_id == case.id, Task.kind.in_(("agency_report", "chronology")))  # type: ignore[attr-defined]
        .order_by(Task.id)
    )
    return [{"row": [t.title, long_date(t.due_on), long_date(t.done_on) if t.done_on else "Not yet"]} for t in tasks]


def _clocks(session: Session, case: Case, definition: WorkflowDefinition) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for clock in session.scalars(select(Clock).where(Clock.case_id == case.id).order_by(Clock.round)):
        spec = definition.clocks.get(clock.name)
        found[clock.name] = {
            "label": spec.label if spec else humanise(clock.name),
            "started_on": clock.started_on.isoformat(),
            "due_on": clock.due_on.isoformat(),
            "stopped_on": clock.stopped_on.isoformat() if clock.stopped_on else None,
            "paused": clock.paused,
        }
    return found

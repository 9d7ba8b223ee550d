"""The JSON API for agencies and their evidence (issue 12), over the same services as `dhr agency`, `dhr case
agencies`, `dhr evidence`, `dhr chronology` and the case page: the directory, a case's agencies in scope, evidence
requests and what came in, and the merged chronology. Visibility first (404), then the role (403 naming the roles
allowed), then the service, which refuses bad input field by field (422) and changes nothing when it refuses."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from dhr_workflow.agencies import chronology, directory, evidence
from dhr_workflow.agencies.rules import AGENCY_KINDS, EVIDENCE_KINDS
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import NotPermitted
from dhr_workflow.people.roles import REAL_NAME_ROLES
from dhr_workflow.people.tables import User
from dhr_workflow.web.api_common import (
    CHANGERS,
    RESPONSES,
    AgencyKey,
    Id,
    Ref,
    about,
    check_dates,
    read_upload,
    visible,
)
from dhr_workflow.web.deps import ApiUser, Ctx

router = APIRouter(prefix="/api/v1", tags=["agencies"], responses=RESPONSES)

DIRECTORY_KEEPERS = ("admin", "coordinator", "csp_chair")  # as the /agencies page: the community safety team
SCOPE_READERS = tuple(sorted({*CHANGERS, "viewer"}))  # panel members and agency contacts see requests, not scope
RECORDERS = (*CHANGERS, "agency_contact")  # an agency contact records what their own agency sent
CHRONOLOGY_READERS = tuple(sorted({*REAL_NAME_ROLES, "agency_contact"}))  # agencies' own words carry real names
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class NewAgency(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(default="other", max_length=60, json_schema_extra={"enum": list(AGENCY_KINDS)})
    contact_email: str | None = Field(default=None, max_length=320, description="An agency_contact user's email")


class ScopeAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agency: str = Field(min_length=1, max_length=200, description="The agency's slug or name")


class ScopeRemove(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Text


class NewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agency: str = Field(min_length=1, max_length=200)
    kind: str = Field(max_length=60, json_schema_extra={"enum": list(EVIDENCE_KINDS)})
    due: date | None = Field(default=None, description="Default: the workflow file's working days for the kind")
    on: date | None = Field(default=None, description="When it was asked for (default today)")


class NilReturn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: date | None = None
    note: str | None = Field(default=None, max_length=2000)


class Extension(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: date
    agreed_by: str = Field(min_length=1, max_length=200)
    reason: Text


class NotRequired(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Text


@router.get("/agencies")
def list_agencies(ctx: Ctx, user: ApiUser) -> list[dict[str, Any]]:
    """The partnership's agency directory (as `dhr agency list --json`)."""
    _keeper(user.role)
    return directory.list_agencies(ctx)


@router.post("/agencies", status_code=201)
def add_agency(ctx: Ctx, user: ApiUser, body: NewAgency) -> dict[str, Any]:
    _keeper(user.role)
    with about("name", lookup="contact_email", words={"kind of agency": "kind", "speaks for": "contact_email"}):
        added = directory.add_agency(ctx, body.name, body.kind, contact_email=body.contact_email, by=user.email)
    return next(a for a in directory.list_agencies(ctx) if a["slug"] == added.slug)


def _keeper(role: str) -> None:
    if role not in DIRECTORY_KEEPERS:
        raise NotPermitted(
            f"the agency directory is kept only by: {', '.join(DIRECTORY_KEEPERS)} (you are {role})",
            DIRECTORY_KEEPERS,
        )


@router.get("/cases/{ref}/agencies")
def case_agencies(ctx: Ctx, user: ApiUser, ref: Ref) -> list[dict[str, Any]]:
    """Every agency put in scope on the case, including those taken out (with the reason)."""
    ref = visible(ctx, ref, user, SCOPE_READERS, "reading the agencies in scope")
    return directory.case_scope(ctx, ref, user)


@router.post("/cases/{ref}/agencies", status_code=201)
def put_in_scope(ctx: Ctx, user: ApiUser, ref: Ref, body: ScopeAdd) -> list[dict[str, Any]]:
    ref = visible(ctx, ref, user, CHANGERS, "putting an agency in scope")
    with about("agency", lookup="agency"):
        return directory.change_scope(ctx, ref, add=[body.agency], by=user.email)


@router.post("/cases/{ref}/agencies/{agency}/remove")
def take_out_of_scope(ctx: Ctx, user: ApiUser, ref: Ref, agency: AgencyKey, body: ScopeRemove) -> list[dict[str, Any]]:
    """Take an agency out of scope, saying why; its open requests are withdrawn."""
    ref = visible(ctx, ref, user, CHANGERS, "taking an agency out of scope")
    with about("reason"):
        return directory.change_scope(ctx, ref, remove=[agency], reason=body.reason, by=user.email)


@router.get("/cases/{ref}/evidence")
def list_evidence(ctx: Ctx, user: ApiUser, ref: Ref) -> list[dict[str, Any]]:
    """The requests you may see, overdue first (an agency contact: their own agency's only)."""
    return evidence.list_requests(ctx, visible(ctx, ref, user), user)


@router.post("/cases/{ref}/evidence", status_code=201)
def request_evidence(ctx: Ctx, user: ApiUser, ref: Ref, body: NewRequest) -> dict[str, Any]:
    ref = visible(ctx, ref, user, CHANGERS, "asking an agency for evidence")
    check_dates(due=body.due, on=body.on)
    with about("agency", lookup="agency", words={"kind of evidence": "kind", "due date": "due", "--on": "on"}):
        made = evidence.request_evidence(ctx, ref, body.agency, body.kind, due=body.due, on=body.on, by=user.email)
    return _request(ctx, user, ref, made)


@router.post("/cases/{ref}/evidence/{request_id}/nil-return")
def nil_return(ctx: Ctx, user: ApiUser, ref: Ref, request_id: Id, body: NilReturn) -> dict[str, Any]:
    """The agency held nothing relevant."""
    ref = visible(ctx, ref, user, RECORDERS, "recording what an agency sent")
    check_dates(on=body.on)
    with about("on"):
        evidence.receive(ctx, ref, request_id, nil_return=True, on=body.on, note=body.note, by=user.email)
    return _request(ctx, user, ref, request_id)


@router.post("/cases/{ref}/evidence/{request_id}/files")
def receive_file(
    ctx: Ctx,
    user: ApiUser,
    ref: Ref,
    request_id: Id,
    file: Annotated[UploadFile, File(description="PDF, Word, OpenDocument, RTF, text, CSV or a spreadsheet")],
    on: Annotated[date | None, Form()] = None,
    note: Annotated[str | None, Form(max_length=2000)] = None,
) -> dict[str, Any]:
    """What the agency sent, as multipart/form-data; stored with its SHA-256, reads audited."""
    ref = visible(ctx, ref, user, RECORDERS, "recording what an agency sent")
    check_dates(on=on)
    name, content = read_upload(file)
    with about("file", words={"--on": "on", "before it was asked": "on", "the note": "note"}):
        sent = evidence.Upload(name, content)
        evidence.receive(ctx, ref, request_id, upload=sent, on=on, note=note or None, by=user.email)
    return _request(ctx, user, ref, request_id)


@router.post("/cases/{ref}/evidence/{request_id}/extend")
def extend(ctx: Ctx, user: ApiUser, ref: Ref, request_id: Id, body: Extension) -> dict[str, Any]:
    ref = visible(ctx, ref, user, CHANGERS, "extending a deadline")
    check_dates(to=body.to)
    with about("to", words={"who agreed": "agreed_by", "the reason": "reason"}):
        evidence.extend(ctx, ref, request_id, to=body.to, agreed_by=body.agreed_by, reason=body.reason, by=user.email)
    return _request(ctx, user, ref, request_id)


@router.post("/cases/{ref}/evidence/{request_id}/not-required")
def not_required(ctx: Ctx, user: ApiUser, ref: Ref, request_id: Id, body: NotRequired) -> dict[str, Any]:
    ref = visible(ctx, ref, user, CHANGERS, "marking a request not required")
    with about("reason"):
        evidence.settle_without_evidence(ctx, ref, request_id, "not_required", reason=body.reason, by=user.email)
    return _request(ctx, user, ref, request_id)


def _request(ctx: AppContext, user: User, ref: str, request_id: int) -> dict[str, Any]:
    return next(r for r in evidence.list_requests(ctx, ref, user) if r["id"] == request_id)


@router.get("/cases/{ref}/chronology")
def merged_chronology(ctx: Ctx, user: ApiUser, ref: Ref) -> list[dict[str, Any]]:
    """Every agency's entries by date, time and agency, likely duplicates flagged (an agency contact: their own)."""
    ref = visible(ctx, ref, user, CHRONOLOGY_READERS, "reading agencies' chronologies")
    return chronology.merged(ctx, ref, user)


@router.post("/cases/{ref}/chronology/{agency}")
def import_chronology(
    ctx: Ctx,
    user: ApiUser,
    ref: Ref,
    agency: AgencyKey,
    file: Annotated[UploadFile, File(description="The chronology template (.xlsx) or a .csv")],
) -> dict[str, Any]:
    """Replace the agency's chronology with the file's rows: all or none; every bad row is a 422 item under
    `file` with its row number."""
    ref = visible(ctx, ref, user, (*CHANGERS, "agency_contact"), "importing a chronology")
    name, content = read_upload(file)
    with about("file"):
        count = chronology.import_chronology(ctx, ref, agency, name, content, user.email)
    return {"ref": ref, "agency": agency, "imported": count}

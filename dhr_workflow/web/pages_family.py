"""A family member's page (issue 13): how they want to be involved (every field, changeable), what they asked the
review to consider, the drafts shared with them, and their family letter in the format recorded for them. Need to
know: a case you cannot see is a 404, and so are the family's records for a role that does not see real names;
a role that sees them but cannot change cases gets a 403 on the forms. The services decide the rest, and their
refusals are shown against the field they are about."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from dhr_workflow.cases import views as case_views
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import DhrError, InvalidInput, NotFound, NotPermitted
from dhr_workflow.family import drafts, fields, involvement, letters, tor_input, wishes
from dhr_workflow.people.roles import may_change_cases, sees_real_names
from dhr_workflow.people.tables import User
from dhr_workflow.web.case_page import changeable_case
from dhr_workflow.web.deps import Ctx, Form, Viewer
from dhr_workflow.web.forms import Errors, date_input
from dhr_workflow.web.pages_documents import MEDIA_TYPES
from dhr_workflow.web.render import render
from dhr_workflow.web.templating import long_date

router = APIRouter(include_in_schema=False)
PartyId = Annotated[int, Path(ge=1, le=2**31 - 1)]
DONE = {
    "updated": "Their details were saved.",
    "tor": "What they asked the review to consider was recorded for the terms of reference.",
    "shared": "The shared draft was recorded.",
}
EDIT_FIELDS = {  # form name -> (service field, the id of the field its error links to)
    "relationship": ("relationship", "member-relationship"),
    "contact": ("contact_preference", "member-contact"),
    "language": ("language", "member-language"),
    "needs": ("accessibility_needs", "member-needs"),
    "document_format": ("document_format", "member-format"),
    "wants_involvement": ("wants_involvement", "member-wants"),
    "advocate": ("advocate", "member-advocate"),
    "advocate_name": ("advocate_name", "member-advocate-name"),
    "pseudonym_consent": ("pseudonym_consent", "member-consent"),
    "pseudonym_reason": ("pseudonym_reason", "member-consent-reason"),
    "thanked_by_name": ("thanked_by_name", "member-thanked"),
}


def _reader(ctx: AppContext, ref: str, viewer: User) -> str:
    ref = case_views.ensure_visible(ctx, ref, viewer)
    if not sees_real_names(viewer.role):  # need to know: the family's records do not exist for this role
        raise NotFound("no such record, or you do not have access to it")
    return ref


@router.get("/cases/{ref}/family/{party}")
def member_page(request: Request, ctx: Ctx, viewer: Viewer, party: PartyId, done: str = "") -> Response:
    ref = _reader(ctx, request.path_params["ref"], viewer)
    return _page(request, ctx, viewer, ref, party, Errors(), {}, "", 200, DONE.get(done, ""))


def _page(
    request: Request,
    ctx: AppContext,
    viewer: User,
    ref: str,
    party: int,
    errors: Errors,
    posted: dict[str, str],
    form: str,
    status: int,
    done: str,
) -> Response:
    member = involvement.member_of(ctx, ref, party, viewer=viewer)
    return render(
        request,
        "family_member.html",
        status=status,
        ref=ref,
        member=member,
        choices=_choices(),
        versions=_versions(ctx, ref, viewer) if may_change_cases(viewer.role) else {},
        can_change=may_change_cases(viewer.role),
        errors=errors,
        posted=posted,
        form=form,
        done=done,
    )


def _versions(ctx: AppContext, ref: str, viewer: User) -> dict[str, str]:
    made = drafts.draft_versions(ctx, ref, viewer=viewer)
    return {str(d["id"]): f"{d['title']}, version {d['version']} (made {long_date(d['made_on'])})" for d in made}


def _choices() -> dict[str, Any]:
    return {
        "advocates": fields.ADVOCATES,
        "formats": fields.DOCUMENT_FORMATS,
        "consent": fields.PSEUDONYM_CONSENT,
        "share_ways": {way: way.replace("-", " ").capitalize() for way in fields.SHARE_WAYS},
    }


def _changing(request: Request, ctx: AppContext, viewer: User) -> str:
    ref = changeable_case(ctx, request.path_params["ref"], viewer)
    return _reader(ctx, ref, viewer)


def _outcome(
    request: Request,
    ctx: AppContext,
    viewer: User,
    ref: str,
    party: int,
    form: dict[str, str],
    which: str,
    errors: Errors,
    done: str,
) -> Response:
    if not errors:
        return RedirectResponse(f"/cases/{ref}/family/{party}?done={done}#{which}", status_code=303)
    return _page(request, ctx, viewer, ref, party, errors, form, which, 422, "")


def _refused(err: DhrError, field_id: str, errors: Errors) -> None:
    if isinstance(err, NotPermitted | NotFound):
        raise err  # a 403 or 404 page, never a message against a field
    errors.add(field_id, str(err))


@router.post("/cases/{ref}/family/{party}/edit")
def edit(request: Request, ctx: Ctx, viewer: Viewer, form: Form, party: PartyId) -> Response:
    ref = _changing(request, ctx, viewer)
    errors = Errors()
    changes = {name: form.get(key, "") for key, (name, _) in EDIT_FIELDS.items()}
    for name, field_id in EDIT_FIELDS.values():
        try:
            wishes.checked({name: changes[name]})  # each field's own refusal, against that field
        except InvalidInput as err:
            errors.add(field_id, str(err))
    if not errors:
        try:
            wishes.update_member(ctx, ref, party, by=viewer.email, **changes)
        except DhrError as err:
            _refused(err, _field_of(str(err)), errors)
    return _outcome(request, ctx, viewer, ref, party, form, "edit", errors, "updated")


def _field_of(message: str) -> str:
    """Where a rule between fields sends its refusal."""
    if "specialist service" in message:
        return "member-advocate-name"
    if "chair chose" in message:
        return "member-consent-reason"
    return "member-relationship"


@router.post("/cases/{ref}/family/{party}/tor-input")
def record_tor_input(request: Request, ctx: Ctx, viewer: Viewer, form: Form, party: PartyId) -> Response:
    ref = _changing(request, ctx, viewer)
    errors = Errors()
    on = date_input(form, "on", "tor-on", "the day they asked", errors, today=ctx.today())
    if not errors:
        try:
            tor_input.record_tor_input(ctx, ref, party, text=form.get("text", ""), on=on, by=viewer.email)
        except DhrError as err:
            _refused(err, "tor-on" if "day they asked" in str(err) else "tor-text", errors)
    return _outcome(request, ctx, viewer, ref, party, form, "tor-input", errors, "tor")


@router.post("/cases/{ref}/family/{party}/drafts")
def share_draft(request: Request, ctx: Ctx, viewer: Viewer, form: Form, party: PartyId) -> Response:
    ref = _changing(request, ctx, viewer)
    errors = Errors()
    on = date_input(form, "on", "share-on", "the day it was shared", errors, today=ctx.today())
    version = form.get("version", "").strip()
    if not version.isdigit() or len(version) > 9:
        errors.add("share-version", "Choose the version that was shared")
    if not errors:
        try:
            drafts.share_draft(
                ctx,
                ref,
                party,
                version_id=int(version),
                on=on,
                how=form.get("how") or None,
                response=form.get("response", ""),
                by=viewer.email,
            )
        except DhrError as err:
            if isinstance(err, NotFound) and "document version" in str(err):
                errors.add("share-version", str(err))  # a version of another case: as if it did not exist
            else:
                _refused(err, _share_field(str(err)), errors)
    return _outcome(request, ctx, viewer, ref, party, form, "share-draft", errors, "shared")


def _share_field(message: str) -> str:
    if "sharing" in message:
        return "share-how"
    return "share-on" if "shared" in message else "share-response"


@router.get("/cases/{ref}/family/{party}/letter")
def letter(
    request: Request,
    ctx: Ctx,
    viewer: Viewer,
    party: PartyId,
    fmt: Annotated[str | None, Query(alias="format", max_length=10)] = None,
) -> Response:
    """The family letter for this person, in the variant recorded for them; the file format too unless asked."""
    ref = _reader(ctx, request.path_params["ref"], viewer)
    made = letters.letter_for(ctx, ref, party, fmt=fmt, by=viewer.email, viewer=viewer)
    kind = made.filename.rsplit(".", 1)[-1]
    return Response(
        made.content,
        media_type=MEDIA_TYPES.get(kind, "application/octet-stream"),
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )

"""The JSON API for what the review found (issue 13), over the same services as `dhr recommendation`, `dhr family`,
`dhr qa`, `dhr report` and the case page: recommendations, the family's involvement and contact log (need to know:
a 404 for roles that do not see real names, as a case they are not on), Home Office QA rounds and items, and the
chair's sections with every version. Visibility first (404), then the role (403 naming the roles allowed), then the
service, which refuses bad input field by field (422) and changes nothing when it refuses."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import NotFound
from dhr_workflow.family import involvement
from dhr_workflow.family.involvement import YES_NO
from dhr_workflow.findings import sections
from dhr_workflow.lessons import recommendations
from dhr_workflow.lessons.recommendations import RECOMMENDATION_KEEPERS
from dhr_workflow.lessons.rules import ADDRESSEE_TYPES
from dhr_workflow.people.roles import REAL_NAME_ROLES
from dhr_workflow.people.tables import User
from dhr_workflow.qa import rounds
from dhr_workflow.web.api_common import CHANGERS, RESPONSES, Id, Ref, about, check_dates, visible
from dhr_workflow.web.deps import ApiUser, Ctx

router = APIRouter(prefix="/api/v1", tags=["findings"], responses=RESPONSES)

FAMILY_KEEPERS = tuple(sorted(set(CHANGERS) & REAL_NAME_ROLES))
Number = Annotated[str, Path(min_length=1, max_length=20, description="The recommendation's number, e.g. 3 or 3a")]
Section = Annotated[str, Path(min_length=1, max_length=60, description="One of the sections the chair writes")]
Line = Annotated[str, Field(min_length=1, max_length=200)]


class NewRecommendation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=4000)
    addressee_type: str = Field(max_length=40, json_schema_extra={"enum": list(ADDRESSEE_TYPES)})
    addressee: str | None = Field(default=None, max_length=200, description="Which agency, department or body")
    single_agency: str | None = Field(default=None, max_length=200, description="The agency whose report it is from")


class Agreed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: date | None = Field(default=None, description="When the panel agreed it (default today)")


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action_id: int = Field(ge=1, le=2**31 - 1)


class NewFamilyMember(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Line
    relationship: Line
    advocate: str = Field(default="none", max_length=20, json_schema_extra={"enum": list(involvement.ADVOCATES)})
    wants_involvement: str | None = Field(default=None, max_length=3, json_schema_extra={"enum": [*YES_NO, None]})
    pseudonym: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=100)
    accessibility_needs: str | None = Field(default=None, max_length=500)
    contact_preference: str | None = Field(default=None, max_length=500)


class NewContact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    party_id: int = Field(ge=1, le=2**31 - 1, description="The family member's id, from GET .../family")
    on: date
    how: str = Field(max_length=20, json_schema_extra={"enum": list(involvement.CONTACT_WAYS)})
    note: str = Field(min_length=1, max_length=4000)


class NewRound(BaseModel):
    model_config = ConfigDict(extra="forbid")
    letter_date: date | None = None
    meeting_date: date | None = None


class NewItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=4000)


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    response: str = Field(min_length=1, max_length=4000)
    section: str = Field(min_length=1, max_length=500, description="Where in the report it was addressed")


class SectionText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=100_000)


@router.get("/cases/{ref}/recommendations")
def list_recommendations(ctx: Ctx, user: ApiUser, ref: Ref) -> list[dict[str, Any]]:
    """As `dhr recommendation list --json`: number, text, addressee, status and the actions that carry it out."""
    return recommendations.list_for_case(ctx, visible(ctx, ref, user), viewer=user)


@router.post("/cases/{ref}/recommendations", status_code=201)
def add_recommendation(ctx: Ctx, user: ApiUser, ref: Ref, body: NewRecommendation) -> dict[str, Any]:
    ref = visible(ctx, ref, user, RECOMMENDATION_KEEPERS, "recording a review's recommendations")
    with about("text", lookup="single_agency", words={"addressee": "addressee", "--number": "addressee_type"}):
        added = recommendations.add(
            ctx,
            ref,
            text=body.text,
            addressee_type=body.addressee_type,
            addressee=body.addressee,
            single_agency=body.single_agency,
            by=user.email,
        )
    return _recommendation(ctx, user, ref, added.number)


@router.post("/cases/{ref}/recommendations/{number}/agree")
def agree(ctx: Ctx, user: ApiUser, ref: Ref, number: Number, body: Agreed) -> dict[str, Any]:
    ref = visible(ctx, ref, user, RECOMMENDATION_KEEPERS, "recording the panel's agreement")
    check_dates(on=body.on)
    with about("on"):
        recommendations.agree(ctx, ref, number, on=body.on, by=user.email)
    return _recommendation(ctx, user, ref, number)


@router.post("/cases/{ref}/recommendations/{number}/link")
def link(ctx: Ctx, user: ApiUser, ref: Ref, number: Number, body: Link) -> dict[str, Any]:
    """An agreed recommendation is carried out by this Delivery Plan action."""
    ref = visible(ctx, ref, user, RECOMMENDATION_KEEPERS, "linking a recommendation to an action")
    with about("action_id"):
        recommendations.link(ctx, ref, number, body.action_id, by=user.email)
    return _recommendation(ctx, user, ref, number)


def _recommendation(ctx: AppContext, user: User, ref: str, number: str) -> dict[str, Any]:
    return next(r for r in recommendations.list_for_case(ctx, ref, viewer=user) if r["number"] == number)


@router.get("/cases/{ref}/family")
def family(ctx: Ctx, user: ApiUser, ref: Ref) -> list[dict[str, Any]]:
    """The family members and friends, with real names and their wishes (need to know)."""
    return involvement.members_of(ctx, visible(ctx, ref, user), viewer=user)


@router.post("/cases/{ref}/family", status_code=201)
def add_family_member(ctx: Ctx, user: ApiUser, ref: Ref, body: NewFamilyMember) -> dict[str, Any]:
    ref = visible(ctx, ref, user, FAMILY_KEEPERS, "recording the family's details")
    words = {"advocate": "advocate", "yes or no": "wants_involvement", "pseudonym": "pseudonym", "language": "language"}
    with about("name", words=words | {"the needs": "accessibility_needs", "how to contact": "contact_preference"}):
        added = involvement.add_member(ctx, ref, **body.model_dump(), by=user.email)
    return next(m for m in involvement.members_of(ctx, ref, viewer=user) if m["member_id"] == added.id)


@router.get("/cases/{ref}/family/contacts")
def family_contacts(ctx: Ctx, user: ApiUser, ref: Ref) -> list[dict[str, Any]]:
    """The contact log, newest first (need to know; every reading is audited)."""
    return involvement.contacts_of(ctx, visible(ctx, ref, user), viewer=user)


@router.post("/cases/{ref}/family/contacts", status_code=201)
def add_contact(ctx: Ctx, user: ApiUser, ref: Ref, body: NewContact) -> dict[str, Any]:
    ref = visible(ctx, ref, user, FAMILY_KEEPERS, "recording a contact with the family")
    check_dates(on=body.on)
    with about("note", words={"--on": "on", "how the contact": "how", "a way of contact": "how"}):
        made = involvement.record_contact(
            ctx, ref, body.party_id, on=body.on, how=body.how, note=body.note, by=user.email
        )
    return {"id": made.id, "party_id": body.party_id, "on": made.occurred_on, "how": made.how, "by": made.contact_by}


@router.get("/cases/{ref}/qa")
def qa_rounds(ctx: Ctx, user: ApiUser, ref: Ref) -> list[dict[str, Any]]:
    """Every Home Office QA round, oldest first, with its items and their responses (as `dhr qa items --json`)."""
    return rounds.items_of(ctx, visible(ctx, ref, user), viewer=user)


@router.post("/cases/{ref}/qa/rounds", status_code=201)
def add_round(ctx: Ctx, user: ApiUser, ref: Ref, body: NewRound) -> dict[str, Any]:
    ref = visible(ctx, ref, user, CHANGERS, "recording Home Office feedback")
    check_dates(letter_date=body.letter_date, meeting_date=body.meeting_date)
    with about("letter_date", words={"meeting": "meeting_date"}):
        made = rounds.open_round(ctx, ref, letter_date=body.letter_date, meeting_date=body.meeting_date, by=user.email)
    return {"number": made.number, "letter_date": made.letter_date, "meeting_date": made.meeting_date}


@router.post("/cases/{ref}/qa/items", status_code=201)
def add_item(ctx: Ctx, user: ApiUser, ref: Ref, body: NewItem) -> dict[str, Any]:
    """A point of the latest round's feedback letter."""
    ref = visible(ctx, ref, user, CHANGERS, "recording Home Office feedback")
    with about("text"):
        made = rounds.add_item(ctx, ref, body.text, by=user.email)
    return {"number": made.number, "text": made.text}


@router.post("/cases/{ref}/qa/items/{number}/answer")
def answer_item(ctx: Ctx, user: ApiUser, ref: Ref, number: Id, body: Answer) -> dict[str, Any]:
    ref = visible(ctx, ref, user, CHANGERS, "answering Home Office feedback")
    with about("response", words={"where it was addressed": "section"}):
        made = rounds.answer_item(ctx, ref, number, response=body.response, section=body.section, by=user.email)
    return {"number": made.number, "response": made.response, "section": made.section, "answered_on": made.answered_on}


@router.get("/cases/{ref}/report-sections")
def report_sections(ctx: Ctx, user: ApiUser, ref: Ref) -> list[dict[str, Any]]:
    """The sections of the overview report the chair writes, each with its latest version (null if not written)."""
    return sections.sections_of(ctx, visible(ctx, ref, user), viewer=user)


@router.put("/cases/{ref}/report-sections/{name}")
def write_section(ctx: Ctx, user: ApiUser, ref: Ref, name: Section, body: SectionText) -> dict[str, Any]:
    """Save a new version of the section; earlier versions are kept."""
    ref = visible(ctx, ref, user, CHANGERS, "writing the report")
    if name not in sections.SECTIONS:
        raise NotFound(f"no section '{name}'")
    with about("text"):
        made = sections.write_section(ctx, ref, name, body.text, by=user.email)
    return {"name": made.name, "version": made.version, "written_by": made.written_by}


@router.get("/cases/{ref}/report-sections/{name}/history")
def section_history(ctx: Ctx, user: ApiUser, ref: Ref, name: Section) -> list[dict[str, Any]]:
    """Every version of the section, oldest first."""
    ref = visible(ctx, ref, user)
    if name not in sections.SECTIONS:
        raise NotFound(f"no section '{name}'")
    return sections.history_of(ctx, ref, name, viewer=user)

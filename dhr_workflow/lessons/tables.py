"""Lessons learned (issue 6): the Delivery Plan, recommendations, actions, commentary rounds and Delivery Group
meetings. Review actions and the partnership's own actions share one table, so one plan holds both."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, LargeBinary, UniqueConstraint
from sqlalchemy.ext.mutable import MutableDict
from sqlmodel import Field, SQLModel

from dhr_workflow.core.tables import utcnow


def _instant(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kw)  # type: ignore[call-overload]


class DeliveryPlan(SQLModel, table=True):
    __tablename__ = "delivery_plan"
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    title: str = Field(max_length=200)
    period_start: date
    period_end: date
    chair_id: int | None = Field(default=None, foreign_key="account.id")  # the Delivery Group chair
    active: bool = True
    created_at: datetime = _instant()


class PlanObjective(SQLModel, table=True):
    __tablename__ = "plan_objective"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="delivery_plan.id", index=True)
    position: int
    text: str = Field(max_length=2000)


class Recommendation(SQLModel, table=True):
    """What a review (or the partnership) recommends; its actions carry it out."""

    __tablename__ = "recommendation"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="delivery_plan.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="review_case.id", index=True)
    number: str = Field(max_length=20)  # as numbered in the overview report, e.g. "3" or "3a"
    text: str = Field(max_length=4000)
    level: str = Field(max_length=20)  # single_agency, multi_agency, national
    addressee: str = Field(max_length=200)
    theme: str = Field(max_length=40)
    sent_to_national_on: date | None = None
    national_status: str | None = Field(default=None, max_length=20)  # sent, acknowledged, accepted, ...
    national_response: str | None = Field(default=None, max_length=2000)
    # The review's own record of it (issue 13): addressee type (rules.ADDRESSEE_TYPES), the agency whose report made
    # a single-agency recommendation (None: the overview report's), and proposed -> agreed -> accepted | rejected.
    addressee_type: str | None = Field(default=None, max_length=30)
    source_agency: str | None = Field(default=None, max_length=200)
    status: str = Field(default="proposed", max_length=20)
    agreed_on: date | None = None
    responded_on: date | None = None
    rejection_reason: str | None = Field(default=None, max_length=2000)
    created_by: str = Field(max_length=320)
    created_at: datetime = _instant()


class PlanAction(SQLModel, table=True):
    """A tracked action. `status` is its progress (RAG comes from it); `closed_on` + `approved_by` close it."""

    __tablename__ = "plan_action"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="delivery_plan.id", index=True)
    recommendation_id: int | None = Field(default=None, foreign_key="recommendation.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="review_case.id", index=True)
    theme: str = Field(max_length=40)
    description: str = Field(max_length=4000)  # the SMART statement
    outcome: str | None = Field(default=None, max_length=2000)  # what success looks like (the measure)
    owner_agency_id: int = Field(foreign_key="agency.id", index=True)
    lead_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    lead_name: str = Field(max_length=200)  # a lead officer may have no account
    target_on: date
    status: str = Field(default="not_started", max_length=20, index=True)
    closed_on: date | None = None
    approved_by: str | None = Field(default=None, max_length=320)
    handed_over_on: date | None = None  # the review closed; the Delivery Plan now holds it
    created_by: str = Field(max_length=320)
    created_at: datetime = _instant()
    updated_at: datetime = _instant()


class ActionTag(SQLModel, table=True):
    __tablename__ = "action_tag"
    __table_args__ = (UniqueConstraint("action_id", "tag"),)
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="plan_action.id", index=True)
    tag: str = Field(max_length=60, index=True)


class ActionMilestone(SQLModel, table=True):
    __tablename__ = "action_milestone"
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="plan_action.id", index=True)
    position: int
    text: str = Field(max_length=500)
    due_on: date | None = None
    done_on: date | None = None


class ActionUpdate(SQLModel, table=True):
    """The action's history: notes, status changes, commentary responses, blockages and requests, closure."""

    __tablename__ = "action_update"
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="plan_action.id", index=True)
    kind: str = Field(max_length=20)  # note, status, commentary, milestone, evidence, closure, handover
    status_from: str | None = Field(default=None, max_length=20)
    status_to: str | None = Field(default=None, max_length=20)
    note: str | None = Field(default=None, max_length=4000)
    blockage: str | None = Field(default=None, max_length=2000)
    request: str | None = Field(default=None, max_length=2000)  # what the owner asks of the Board
    round_id: int | None = Field(default=None, foreign_key="commentary_round.id", index=True)
    occurred_on: date
    by: str = Field(max_length=320)
    recorded_at: datetime = _instant()


class ActionEvidence(SQLModel, table=True):
    """A file that shows the action was done. Stored in the database so it commits with its update."""

    __tablename__ = "action_evidence"
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="plan_action.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    description: str | None = Field(default=None, max_length=500)
    added_by: str = Field(max_length=320)
    added_at: datetime = _instant()


class ActionHandover(SQLModel, table=True):
    """A review closed while this action was open: the Delivery Plan took it over, for the reason given."""

    __tablename__ = "action_handover"
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="plan_action.id", index=True)
    case_id: int = Field(foreign_key="review_case.id", index=True)
    plan_id: int = Field(foreign_key="delivery_plan.id", index=True)
    reason: str = Field(max_length=5000)
    handed_over_on: date
    by: str = Field(max_length=320)
    recorded_at: datetime = _instant()


class CommentaryRound(SQLModel, table=True):
    """One bi-annual commentary round; `state` moves only through the commentary_round workflow's engine."""

    __tablename__ = "commentary_round"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="delivery_plan.id", index=True)
    title: str = Field(max_length=200)
    workflow_name: str = Field(max_length=60)
    workflow_version: str = Field(max_length=40)
    state: str = Field(max_length=60, index=True)
    opened_on: date
    due_on: date | None = None
    last_event_on: date
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(MutableDict.as_mutable(JSON), nullable=False))
    opened_by: str = Field(max_length=320)
    created_at: datetime = _instant()


class CommentaryRequest(SQLModel, table=True):
    """One action owner asked for one action's update in a round; `answered_on` is set by their update."""

    __tablename__ = "commentary_request"
    __table_args__ = (UniqueConstraint("round_id", "action_id"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="commentary_round.id", index=True)
    action_id: int = Field(foreign_key="plan_action.id", index=True)
    owner_id: int = Field(foreign_key="account.id", index=True)
    answered_on: date | None = None
    update_id: int | None = Field(default=None, foreign_key="action_update.id")


class DeliveryMeeting(SQLModel, table=True):
    """A quarterly, themed Delivery Group meeting. `uid` never changes, so calendar updates replace the invite."""

    __tablename__ = "delivery_meeting"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="delivery_plan.id", index=True)
    theme: str = Field(max_length=40)
    starts_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    minutes: int = 120
    location: str = Field(max_length=300)
    uid: str = Field(max_length=120, unique=True)
    sequence: int = 0  # iCalendar SEQUENCE: bumped on every change
    cancelled: bool = False
    round_id: int | None = Field(default=None, foreign_key="commentary_round.id")  # round presented here
    created_at: datetime = _instant()

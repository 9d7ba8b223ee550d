"""Lessons learned vocabulary and rules, pure: themes, levels, action statuses and their RAG colour, tags, who sees
which actions, and the Delivery Group's theme rotation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dhr_workflow.core.errors import InvalidInput

# The Delivery Plan's themed areas (BCSP Strategic Delivery Group), in the order meetings rotate through them.
THEMES = ("community", "engagement", "priority_response", "funding", "communication")
THEME_LABELS = {
    "community": "Community",
    "engagement": "Engagement",
    "priority_response": "Priority response",
    "funding": "Funding",
    "communication": "Communication",
}
LEVELS = {"single_agency": "Single agency", "multi_agency": "Multi-agency", "national": "National"}
NATIONAL_STATUSES = ("sent", "acknowledged", "accepted", "partially_accepted", "rejected", "implemented")
NATIONAL_STATUS_LABELS = {
    "sent": "Sent, no response yet",
    "acknowledged": "Acknowledged",
    "accepted": "Accepted",
    "partially_accepted": "Partially accepted",
    "rejected": "Rejected",
    "implemented": "Implemented",
}
# Who a review's recommendation is addressed to (issue 13); the three national ones go to a named national body.
ADDRESSEE_TYPES = {
    "local_agency": "A local agency",
    "partnership": "The community safety partnership",
    "home_office": "The Home Office",
    "government_department": "A government department",
    "national_body": "A national body",
}
NAMED_ADDRESSEES = frozenset({"local_agency", "government_department", "national_body"})  # --addressee required
# A recommendation's status: proposed, agreed by the panel, then accepted by its addressee or rejected with reasons.
RECOMMENDATION_STATUSES = {
    "proposed": "Proposed",
    "agreed": "Agreed by the panel",
    "accepted": "Accepted by the addressee",
    "rejected": "Rejected by the addressee",
}
NEXT_RECOMMENDATION_STATUSES = {"proposed": ("agreed",), "agreed": ("accepted", "rejected")}


def parse_addressee_type(value: str) -> str:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in ADDRESSEE_TYPES:
        raise InvalidInput(f"'{value}' is not an addressee type; give one of {', '.join(ADDRESSEE_TYPES)}")
    return key


def level_for(addressee_type: str, single_agency: bool) -> str:
    """The Delivery Plan's level for a review's recommendation."""
    if addressee_type in ("home_office", "government_department", "national_body"):
        return "national"
    return "single_agency" if single_agency or addressee_type == "local_agency" else "multi_agency"


def check_recommendation_step(number: str, status: str, to: str) -> None:
    if to not in NEXT_RECOMMENDATION_STATUSES.get(status, ()):
        raise InvalidInput(
            f"recommendation {number} is {RECOMMENDATION_STATUSES[status].lower()}; it cannot become {to} now "
            "(proposed -> agreed by the panel -> accepted or rejected by the addressee)"
        )


class Status(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    BLOCKED = "blocked"
    COMPLETED = "completed"  # the owner says it is done; awaiting approval with evidence
    CLOSED = "closed"  # approved as done: the only status nobody can change


STATUS_LABELS = {
    Status.NOT_STARTED: "Not started",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OFF_TRACK: "Off track",
    Status.BLOCKED: "Blocked",
    Status.COMPLETED: "Completed, awaiting sign-off",
    Status.CLOSED: "Closed",
}
OPEN_STATUSES = frozenset(s.value for s in Status if s is not Status.CLOSED)
# Statuses an owner may report; closing needs someone who may approve it.
OWNER_STATUSES = tuple(s.value for s in Status if s is not Status.CLOSED)


def parse_status(value: str) -> Status:
    try:
        return Status(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        raise InvalidInput(f"'{value}' is not an action status; statuses: {', '.join(OWNER_STATUSES)}") from None


def parse_theme(value: str) -> str:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in THEMES:
        labels = ", ".join(THEMES)
        raise InvalidInput(f"'{value}' is not a Delivery Plan theme; themes: {labels}")
    return key


def parse_level(value: str) -> str:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in LEVELS:
        raise InvalidInput(f"'{value}' is not a recommendation level; levels: {', '.join(LEVELS)}")
    return key


_TAG = re.compile(r"^[a-z0-9][a-z0-9 \-]{0,58}[a-z0-9]$")


def normalise_tag(value: str) -> str:
    """Cross-cutting topics ('Coercive control', 'coercive-control') fold to one tag, so recurrences count."""
    tag = re.sub(r"[\s_\-]+", "-", value.strip().lower())
    if not _TAG.match(tag):
        raise InvalidInput(f"'{value}' is not a tag: use 2-60 letters, digits and hyphens, e.g. coercive-control")
    return tag


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    COMPLETE = "complete"  # shown blue in the plan, as partners' spreadsheets do


def rag(status: str, target_on: date, today: date) -> Rag:
    """Red when off track, blocked or past its target and still open; amber at risk or not started; else green."""
    if status in (Status.COMPLETED, Status.CLOSED):
        return Rag.COMPLETE
    if status in (Status.OFF_TRACK, Status.BLOCKED) or target_on < today:
        return Rag.RED
    if status in (Status.AT_RISK, Status.NOT_STARTED):
        return Rag.AMBER
    return Rag.GREEN


def is_overdue(status: str, target_on: date, today: date) -> bool:
    return status in OPEN_STATUSES and status != Status.COMPLETED and target_on < today


class Scope(StrEnum):
    ALL = "all"  # the community safety team and the CSP chair
    AGENCY = "agency"  # an agency contact: their agencies' actions only
    CASES = "cases"  # reviewers and panel members: actions from the reviews they sit on
    AGGREGATE = "aggregate"  # the Board (viewer role): totals and the Board report, no action detail


def scope_for(role: str) -> Scope:
    if role in ("admin", "coordinator", "csp_chair"):
        return Scope.ALL
    if role == "agency_contact":
        return Scope.AGENCY
    if role in ("reviewer", "panel_member"):
        return Scope.CASES
    return Scope.AGGREGATE


def may_approve_closure(role: str) -> bool:
    """An owner cannot sign off their own action: the team or the chair approves closure."""
    return role in ("admin", "coordinator", "csp_chair")


@dataclass(frozen=True)
class Slot:
    starts_on: date
    theme: str


def quarterly_slots(first: date, count: int, first_theme: str) -> list[Slot]:
    """`count` meetings three months apart, each themed, rotating through THEMES from `first_theme`."""
    from dhr_workflow.core.calendar import add_months

    if not 1 <= count <= 20:
        raise InvalidInput("schedule between 1 and 20 meetings at a time")
    start = THEMES.index(first_theme)
    return [Slot(add_months(first, 3 * i), THEMES[(start + i) % len(THEMES)]) for i in range(count)]


def next_theme(last_theme: str | None) -> str:
    return THEMES[0] if last_theme is None else THEMES[(THEMES.index(last_theme) + 1) % len(THEMES)]

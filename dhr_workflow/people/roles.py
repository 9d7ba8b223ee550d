"""Roles, and who may see which cases (need to know, PRODUCT.md §2.4)."""

from __future__ import annotations

ROLES = ("admin", "coordinator", "csp_chair", "reviewer", "panel_member", "agency_contact", "viewer")
# These roles see only the cases they are members of; everyone else in the partnership sees every case.
CASE_SCOPED_ROLES = frozenset({"reviewer", "panel_member", "agency_contact"})
# Only these roles see real names; everyone else sees pseudonyms.
REAL_NAME_ROLES = frozenset({"admin", "coordinator", "csp_chair", "reviewer"})
CASE_ROLES = ("coordinator", "csp_chair", "reviewer", "panel_member", "agency_contact", "viewer")


def sees_only_own_cases(role: str) -> bool:
    return role in CASE_SCOPED_ROLES


def sees_real_names(role: str) -> bool:
    return role in REAL_NAME_ROLES


# These roles may change cases (fire transitions, pause clocks, assign people, set tasks) in the web app and API.
CASE_CHANGER_ROLES = frozenset({"admin", "coordinator", "csp_chair", "reviewer"})


def may_change_cases(role: str) -> bool:
    return role in CASE_CHANGER_ROLES


# Who sees the access log of a case (the reads of its sensitive records), and other people's email addresses.
ACCESS_LOG_ROLES = frozenset({"admin", "coordinator"})


def sees_access_log(role: str) -> bool:
    return role in ACCESS_LOG_ROLES


def sees_email_addresses(role: str) -> bool:
    """People who run cases need to reach everyone on them; panel members and agency contacts do not."""
    return role in ACCESS_LOG_ROLES or role == "csp_chair"

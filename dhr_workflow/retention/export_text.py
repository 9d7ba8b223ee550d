"""A subject-access export as readable text: each section a heading, each record its fields, withheld values as
they are marked. The same data as the JSON, nothing more."""

from __future__ import annotations

from typing import Any

TITLES = {
    "account": "Account",
    "case_roles": "Roles on cases",
    "tasks": "Tasks assigned",
    "agencies": "Agencies they speak for",
    "notification_preference": "Notification preference",
    "in_app_notifications": "In-app notifications",
    "reminders_by_status": "Reminders addressed to them",
    "api_tokens": "API tokens",
    "sessions": "Signed-in sessions",
    "files_uploaded": "Files they uploaded (listed, not included)",
    "family_contacts_recorded": "Family contacts they recorded",
    "audit_events_by_them": "What they did (audit trail)",
    "audit_events_about_them": "What was done about them (audit trail)",
    "party": "Their record in the case",
    "family_involvement": "Their involvement in the review",
    "contacts_with_them": "Contacts with them",
}


def sections(data: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]] | list[str]]]:
    """(title, records) for every section, in order; a record is a mapping of field to value."""
    out: list[tuple[str, list[dict[str, Any]] | list[str]]] = []
    for key, title in TITLES.items():
        if key not in data:
            continue
        value = data[key]
        if value is None:
            out.append((title, []))
        elif isinstance(value, list):
            out.append((title, value))
        elif isinstance(value, dict):
            out.append((title, [value]))
    return out


def _line(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_line(v)}" for k, v in value.items()) or "-"
    return str(value)


def as_text(data: dict[str, Any]) -> str:
    subject = data["subject"]
    who = subject.get("email") or f"party {subject.get('party_id')} on {subject.get('case_ref')}"
    lines = [f"What we hold about {who}", "", data["redaction_rule"], ""]
    for title, records in sections(data):
        lines += [title, "-" * len(title)]
        if not records:
            lines.append("None.")
        for record in records:
            if isinstance(record, dict):
                lines += [f"  {k.replace('_', ' ')}: {_line(v)}" for k, v in record.items()]
                lines.append("")
            else:
                lines.append(f"  {record}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

"""Case data fields declared by a workflow: parsing `KEY=VALUE` from people into typed, checked values."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.text import clean_text, not_in_future, parse_date
from dhr_workflow.workflow.definition import FieldDef, WorkflowDefinition

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def split_assignments(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"'{pair}' is not KEY=VALUE (for example rationale='Criteria met')")
        values[key.strip()] = value
    return values


def parse_fields(definition: WorkflowDefinition, raw: dict[str, str], today: date) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(definition.fields))
    if unknown:
        raise InvalidInput(
            f"unknown field(s) {', '.join(unknown)} for workflow {definition.name}; "
            f"fields: {', '.join(sorted(definition.fields))}"
        )
    return {key: parse_value(key, definition.fields[key], value, today) for key, value in raw.items()}


def parse_value(key: str, spec: FieldDef, raw: str, today: date) -> Any:
    if spec.type == "date":
        return not_in_future(parse_date(raw, key), today, key).isoformat()
    if spec.type == "integer":
        if not re.fullmatch(r"-?\d{1,9}", raw.strip()):
            raise InvalidInput(f"{key} must be a whole number, not '{raw}'")
        return int(raw)
    text = clean_text(raw, key, spec.max_length)
    if spec.type == "choice" and text not in spec.choices:
        raise InvalidInput(f"{key} must be one of {', '.join(spec.choices)}, not '{text}'")
    if spec.type == "email" and not _EMAIL.match(text):
        raise InvalidInput(f"{key} must be an email address, not '{text}'")
    return text


def effect_fields(definition: WorkflowDefinition) -> set[str]:
    """The fields the workflow's effects write (a decision, a QA round count): the engine keeps them, people don't."""
    from dhr_workflow.workflow.guards import EFFECTS, GuardContext

    probe = GuardContext(ref="", state=definition.initial, fields={})
    return {key for t in definition.transitions for name in t.effects for key in EFFECTS[name](probe)}


def editable_fields(definition: WorkflowDefinition) -> dict[str, FieldDef]:
    """The case data fields people fill in, in the workflow file's order: a form generated from these can supply
    anything a guard or a document needs."""
    written = effect_fields(definition)
    return {name: spec for name, spec in definition.fields.items() if name not in written}

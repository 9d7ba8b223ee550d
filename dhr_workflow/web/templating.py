"""Jinja2 for pages: our templates run with StrictUndefined (a missing value is an error naming it), while the
GOV.UK Frontend macros run in an environment of their own, because they test optional parameters by touching
them (`params.classes`) and would fail under StrictUndefined. Both autoescape."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, PackageLoader, PrefixLoader, StrictUndefined, select_autoescape

from dhr_workflow.core import text
from dhr_workflow.core.paths import templates_dir

COMPONENTS = {
    "govukBackLink": "back-link",
    "govukButton": "button",
    "govukCharacterCount": "character-count",
    "govukCheckboxes": "checkboxes",
    "govukDateInput": "date-input",
    "govukDetails": "details",
    "govukErrorSummary": "error-summary",
    "govukFileUpload": "file-upload",
    "govukFooter": "footer",
    "govukHeader": "header",
    "govukInput": "input",
    "govukInsetText": "inset-text",
    "govukNotificationBanner": "notification-banner",
    "govukPagination": "pagination",
    "govukPanel": "panel",
    "govukPasswordInput": "password-input",
    "govukPhaseBanner": "phase-banner",
    "govukRadios": "radios",
    "govukSelect": "select",
    "govukServiceNavigation": "service-navigation",
    "govukSkipLink": "skip-link",
    "govukSummaryList": "summary-list",
    "govukTable": "table",
    "govukTag": "tag",
    "govukTextarea": "textarea",
    "govukWarningText": "warning-text",
}


@cache
def _govuk_macros() -> dict[str, Any]:
    env = Environment(
        loader=PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}),
        autoescape=True,
        auto_reload=False,  # every macro call imports govukAttributes: without this each import stats the file
    )
    return {
        name: getattr(env.get_template(f"govuk_frontend_jinja/components/{folder}/macro.html").module, name)
        for name, folder in COMPONENTS.items()
    }


@lru_cache(maxsize=8)
def page_environment(override: Path | None = None) -> Environment:
    """One per templates folder per process, as documents/environment.py keeps its own: every app made in a process
    (the tests make one a test) would otherwise compile each page template again, ~40 ms a page. Nothing changes the
    environment after this returns, so apps can share it."""
    env = Environment(
        loader=FileSystemLoader(templates_dir(override) / "web"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the code; restart to pick up changes
    )
    env.globals.update(_govuk_macros())
    env.filters["status_tag"] = status_tag
    env.globals["formats_items"] = formats_items
    env.globals["choice_items"] = choice_items
    env.globals["radio_items"] = radio_items
    env.filters["capitalize_first"] = lambda value: str(value)[:1].upper() + str(value)[1:]
    env.filters["humanise"] = lambda value: str(value).replace("_", " ")
    env.filters["long_date"] = long_date
    env.filters["short_date"] = short_date
    return env


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def long_date(value: Any) -> str:
    """A date the GOV.UK way: 1 December 2026. Anything that is not a date is shown as it is."""
    day = _as_date(value)
    return text.long_date(day) if day else ("" if value is None else str(value))


def short_date(value: Any) -> str:
    """A date for tables: 1 Dec 2026."""
    day = _as_date(value)
    return text.short_date(day) if day else ("" if value is None else str(value))


# Clock and task status -> GOV.UK tag colour; the words carry the meaning, the colour only repeats it.
_TAG_COLOURS = {
    "overdue": "govuk-tag--red",
    "due_soon": "govuk-tag--orange",
    "paused": "govuk-tag--grey",
    "running": "govuk-tag--blue",
    "open": "govuk-tag--blue",
    "met": "govuk-tag--green",
    "met_late": "govuk-tag--yellow",
    "done": "govuk-tag--green",
    "stopped": "govuk-tag--green",
}


def status_tag(status: str) -> dict[str, str]:
    return {"text": status.replace("_", " "), "classes": _TAG_COLOURS.get(status, "govuk-tag--grey")}


def formats_items(formats: dict[str, str], chosen: str) -> list[dict[str, Any]]:
    return [{"value": key, "text": label, "checked": key == chosen} for key, label in formats.items()]


def choice_items(choices: Any, chosen: str) -> list[dict[str, Any]]:
    """Select items from a list of values or a {value: label} mapping."""
    pairs = choices.items() if isinstance(choices, dict) else ((c, c.replace("_", " ")) for c in choices)
    return [{"value": value, "text": label, "selected": value == chosen} for value, label in pairs]


def radio_items(choices: list[str], chosen: str) -> list[dict[str, Any]]:
    """Radio items for a workflow choice field: its values, shown in words ("yes" -> "Yes")."""
    return [
        {"value": value, "text": value.replace("_", " ").capitalize(), "checked": value == chosen} for value in choices
    ]

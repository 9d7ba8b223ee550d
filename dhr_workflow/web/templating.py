"""Jinja2 for pages: our templates run with StrictUndefined (a missing value is an error naming it), while the
GOV.UK Frontend macros run in an environment of their own, because they test optional parameters by touching
them (`params.classes`) and would fail under StrictUndefined. Both autoescape."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, PackageLoader, PrefixLoader, StrictUndefined, select_autoescape

from dhr_workflow.core.paths import templates_dir

COMPONENTS = {
    "govukBackLink": "back-link",
    "govukButton": "button",
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


def page_environment(override: Path | None = None) -> Environment:
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
    env.filters["humanise"] = lambda value: str(value).replace("_", " ")
    return env


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

"""The formats a document can be asked for in, which of them we make ourselves, and the checks on what the public
request form collects (pure: no database)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.text import clean_text
from dhr_workflow.documents.catalogue import template_info

FORMAT_LABELS = {
    "accessible_pdf": "Accessible PDF",
    "large_print": "Large print",
    "easy_read": "Easy read",
    "word": "Word document",
    "plain_text": "Plain text",
    "braille": "Braille",
    "audio": "Audio recording",
    "bsl": "British Sign Language video",
    "other_language": "Another language",
}


# format -> (file format, variant) for what we can make ourselves
PRODUCIBLE = {
    "accessible_pdf": ("pdf", "standard"),
    "large_print": ("pdf", "large-print"),
    "easy_read": ("pdf", "easy-read"),
    "word": ("docx", "standard"),
    "plain_text": ("txt", "standard"),
}


SUPPLIER_GUIDANCE = {
    "braille": "a braille transcription service (for example RNIB's), sent the plain-text version",
    "audio": "an audio transcription service, or a recorded reading by a member of the team, sent the plain text",
    "bsl": "a British Sign Language translation service with registered (NRCPD) translators",
    "other_language": "the council's approved translation and interpreting supplier",
    "easy_read": "an easy-read writing service (this document has no easy-read version of its own)",
}


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RequestInput:
    """What the public form (and `dhr access-request new`) collects. At least one way to reach the person."""

    requester_name: str
    document: str
    format: str
    email: str | None = None
    phone: str | None = None
    postal_address: str | None = None
    language: str | None = None
    details: str | None = None
    case_ref: str | None = None
    template: str | None = None


def optional_text(value: str | None, what: str, limit: int) -> str | None:
    return clean_text(value, what, limit, required=False) or None if value is not None else None


def check_request(raw: RequestInput) -> RequestInput:
    """Hostile-input hygiene; raises InvalidInput naming the field."""
    if raw.format not in FORMAT_LABELS:
        raise InvalidInput(f"'{raw.format}' is not a format we know; choose one of: {', '.join(FORMAT_LABELS)}")
    email = optional_text(raw.email, "the email address", 320)
    if email and not _EMAIL.match(email):
        raise InvalidInput(f"'{email}' does not look like an email address")
    phone = optional_text(raw.phone, "the phone number", 40)
    if phone and not re.fullmatch(r"[0-9 +()\-]{6,40}", phone):
        raise InvalidInput("the phone number may contain only digits, spaces, +, ( ) and -")
    address = optional_text(raw.postal_address, "the postal address", 500)
    if not (email or phone or address):
        raise InvalidInput("give at least one way to reach the person: an email address, a phone number or an address")
    language = optional_text(raw.language, "the language", 100)
    if raw.format == "other_language" and not language:
        raise InvalidInput("say which language the document is needed in")
    if raw.template and not raw.case_ref:
        raise InvalidInput("a toolkit document (--template) belongs to a case: give the case reference too")
    if raw.template:
        template_info(raw.template)
    return RequestInput(
        requester_name=clean_text(raw.requester_name, "the name", 200),
        document=clean_text(raw.document, "the document asked for", 300),
        format=raw.format,
        email=email,
        phone=phone,
        postal_address=address,
        language=language,
        details=optional_text(raw.details, "the details", 2000),
        case_ref=raw.case_ref.strip().upper() if raw.case_ref else None,
        template=raw.template,
    )

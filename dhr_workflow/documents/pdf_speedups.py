"""One version-guarded patch of pydyf, the PDF writer under WeasyPrint (ADR 0059).

pydyf's `PDF.page_references` is a property that builds a new tuple of every page's reference on each read, and
WeasyPrint's tag tree (`weasyprint/pdf/tags.py`) reads it once per structure element: for a 361-page chronology that
is 56,000 reads of a 361-item tuple, about a quarter of `write_pdf`. The replacement returns the same tuple, rebuilt
only when the page list is a different list or has changed length (pydyf only ever appends pages to it)."""

from __future__ import annotations

from typing import Any

# The pydyf versions whose `page_references` was read and found to be the uncached property this replaces; any other
# version is left alone (the patch is then simply not applied, and output is unchanged).
PATCHED_PYDYF_VERSIONS = frozenset({"0.13.0"})

# pydyf's own property, kept once replaced so a test can hold the replacement to it.
REPLACED: dict[str, property] = {}


def _cached_page_references(pdf: Any) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    cache = pdf.__dict__.get("_dhr_page_references")
    if cache is None or cache[0] is not kids or cache[1] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cache = (kids, len(kids), references)
        pdf.__dict__["_dhr_page_references"] = cache
    references_now: tuple[bytes, ...] = cache[2]
    return references_now


def install() -> bool:
    """Apply the patch once; True when pydyf now has it. Safe to call on every PDF."""
    import pydyf

    current = pydyf.PDF.__dict__.get("page_references")
    if isinstance(current, property) and current.fget is _cached_page_references:
        return True
    if pydyf.__version__ not in PATCHED_PYDYF_VERSIONS or not isinstance(current, property):
        return False
    REPLACED["page_references"] = current
    pydyf.PDF.page_references = property(_cached_page_references)  # type: ignore[method-assign,assignment]
    return True

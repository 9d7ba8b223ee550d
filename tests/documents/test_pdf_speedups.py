"""The pydyf patch (ADR 0059) answers exactly what pydyf's own `page_references` would, keeps up with pages added
after a first read, is applied once, only to the pydyf versions it was written for, and leaves WeasyPrint's PDF
byte for byte the same."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pikepdf
import pydyf
import pytest
from weasyprint import HTML

from dhr_workflow.documents import pdf_speedups

pytestmark = pytest.mark.single_db


def _unpatched() -> property:
    current = pydyf.PDF.__dict__["page_references"]
    return pdf_speedups.REPLACED.get("page_references", current)


@pytest.fixture
def unpatched_pydyf() -> Iterator[property]:
    """pydyf as it ships, for the length of one test; the patch is put back afterwards if it was there."""
    before = pydyf.PDF.__dict__["page_references"]
    original = _unpatched()
    pydyf.PDF.page_references = original  # type: ignore[method-assign,assignment]
    yield original
    pydyf.PDF.page_references = before  # type: ignore[method-assign,assignment]


def _add_pages(pdf: pydyf.PDF, count: int) -> None:
    for _ in range(count):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))


def test_patched_references_equal_pydyfs_own_even_after_more_pages_are_added(unpatched_pydyf: property) -> None:
    assert pdf_speedups.install()
    pdf = pydyf.PDF()
    _add_pages(pdf, 3)
    first = pdf.page_references
    assert first == unpatched_pydyf.fget(pdf)  # type: ignore[misc]
    assert len(first) == 3
    pdf.add_object(pydyf.Dictionary())  # an object that is not a page changes nothing
    assert pdf.page_references is first
    _add_pages(pdf, 2)
    assert pdf.page_references == unpatched_pydyf.fget(pdf)  # type: ignore[misc]
    assert len(pdf.page_references) == 5


def test_a_replaced_page_list_is_not_answered_from_the_old_one(unpatched_pydyf: property) -> None:
    assert pdf_speedups.install()
    pdf = pydyf.PDF()
    _add_pages(pdf, 2)
    assert len(pdf.page_references) == 2
    pdf.pages["Kids"] = [91, 0, "R", 92, 0, "R"]
    assert pdf.page_references == (b"91 0 R", b"92 0 R") == unpatched_pydyf.fget(pdf)  # type: ignore[misc]


def test_install_is_idempotent_and_keeps_pydyfs_property(unpatched_pydyf: property) -> None:
    assert pdf_speedups.install()
    patched = pydyf.PDF.__dict__["page_references"]
    assert pdf_speedups.install()
    assert pydyf.PDF.__dict__["page_references"] is patched
    assert pdf_speedups.REPLACED["page_references"] is unpatched_pydyf


def test_another_pydyf_version_is_left_alone(unpatched_pydyf: property, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pydyf, "__version__", "99.0.0")
    assert not pdf_speedups.install()
    assert pydyf.PDF.__dict__["page_references"] is unpatched_pydyf


def test_weasyprints_tagged_pdf_is_byte_for_byte_the_same(unpatched_pydyf: property) -> None:
    rows = "".join(f"<tr><th scope='row'>Row {n}</th><td>Value {n}</td></tr>" for n in range(120))
    html = f"<html lang='en'><head><title>T</title></head><body><h1>Rows</h1><table>{rows}</table></body></html>"
    before = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf_speedups.install()
    after = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    with pikepdf.open(io.BytesIO(after)) as made:  # several pages, tagged: the references are used
        assert len(made.pages) > 1 and "/StructTreeRoot" in made.Root
    assert after == before


def test_the_installed_pydyf_is_one_the_patch_was_checked_against() -> None:
    """pyproject.toml pins pydyf to the release the patch was checked against (ADR 0059)."""
    assert pydyf.__version__ in pdf_speedups.PATCHED_PYDYF_VERSIONS
    assert pdf_speedups.install()

"""Each template declares its readers: the protective marking only on internal and agency documents, never on what
families and the public receive; letters carry the partnership's letterhead from settings, reports a plain title
page; every link says where it goes."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from dhr_workflow.core.paths import templates_dir
from dhr_workflow.core.settings import Settings
from dhr_workflow.documents.catalogue import READERS, catalogue
from tests.documents.conftest import LETTERHEAD, Matrix

pytestmark = pytest.mark.single_db
LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)
LOGO = re.compile(r'<img class="logo" src="data:image/png;base64,[^"]+" alt="Northbridge Borough Council">')
BARE = re.compile(r"://|^www\.|@|^(click )?here$|^link$|^read more$", re.I)


def test_every_template_declares_readers_and_only_internal_and_agency_ones_are_marked(matrix: Matrix) -> None:
    readers = {info.readers for info in catalogue().values()}
    assert readers == set(READERS)
    for (name, fmt, variant), _ in matrix.items():
        info = catalogue()[name]
        text = matrix.text((name, fmt, variant))
        if info.readers in ("internal", "agency"):
            assert "OFFICIAL-SENSITIVE" in text, (name, fmt, variant)
        else:
            assert "OFFICIAL" not in text, (name, fmt, variant)
    assert catalogue()["family_letter"].marking == "" and catalogue()["publication_notice"].marking == ""
    assert catalogue()["overview_report"].readers == "public"


def test_a_catalogue_entry_with_unknown_readers_is_refused_naming_it(tmp_path: Path) -> None:
    shutil.copytree(templates_dir() / "documents", tmp_path / "documents")
    source = tmp_path / "documents" / "catalogue.yaml"
    source.write_text(source.read_text().replace("readers: family", "readers: everyone", 1))
    with pytest.raises(ValueError, match="family_letter: readers must be one of internal, agency, family, public"):
        catalogue(tmp_path)


def test_every_link_has_descriptive_text_in_every_document(matrix: Matrix) -> None:
    seen = 0
    for (name, _, variant), content in matrix.items("html"):
        for text in LINK.findall(content.decode()):
            words = re.sub(r"<[^>]+>|\s+", " ", text).strip()
            assert words and not BARE.search(words), (name, variant, words)
            seen += 1
    assert seen >= len(matrix.items("html"))


def test_letters_carry_the_letterhead_from_settings_with_the_logo_and_its_alt_text(matrix: Matrix) -> None:
    from pypdf import PdfReader

    letters = [name for name, info in catalogue().items() if info.layout == "letter"]
    assert len(letters) >= 8
    for name in letters:
        html = matrix.outputs[(name, "html", "standard")].decode()
        assert LETTERHEAD["letterhead_name"] in html and "2 Watling Street" in html, name
        assert "020 3045 5000" in html and "community.safety@northbridge.example" in html, name
        assert re.search(
            r'<img class="logo" src="data:image/png;base64,[^"]+" alt="Northbridge Borough Council">', html
        )
        text = matrix.text((name, "pdf", "standard"))
        assert "Northbridge NB1 2AB" in text, name
    pdf = PdfReader(io.BytesIO(matrix.outputs[("family_letter", "pdf", "standard")]))
    figures = [e for e in _struct(pdf.trailer["/Root"]["/StructTreeRoot"]) if e.get("/S") == "/Figure"]
    assert [str(f["/Alt"]) for f in figures] == ["Northbridge Borough Council"]


def _struct(node: object) -> list[dict]:  # type: ignore[type-arg]
    out = []
    kids = node.get("/K", []) if hasattr(node, "get") else []  # type: ignore[union-attr]
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get") and "/S" in kid:
            out += [kid, *_struct(kid)]
    return out


def test_reports_open_with_a_plain_title_page_and_no_letterhead(matrix: Matrix) -> None:
    from pypdf import PdfReader

    for name in ("overview_report", "executive_summary", "action_plan"):
        html = matrix.outputs[(name, "html", "standard")].decode()
        assert '<div class="title-page">' in html and "2 Watling Street" not in html, name
        reader = PdfReader(io.BytesIO(matrix.outputs[(name, "pdf", "standard")]))
        first = " ".join(reader.pages[0].extract_text().split())
        assert catalogue()[name].title in first and "Review reference" in first, name
        assert "1." not in first, name  # the report starts on the next page


def test_a_logo_without_alt_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="DHR_LETTERHEAD_LOGO_ALT must describe the logo"):
        Settings(letterhead_logo=Path("logo.png"), _env_file=None)  # type: ignore[call-arg]

"""The toolkit's catalogue (templates/documents/catalogue.yaml): each template's title, audience, states, needed
case fields and version. The version stored with a document is the declared version plus a hash of the template
sources, so an edit that forgot to bump the number still shows up as a new template version."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from dhr_workflow.core.disk_cache import cached, file_key
from dhr_workflow.core.errors import NotFound
from dhr_workflow.core.paths import templates_dir
from dhr_workflow.documents.easy_read import easy_read_name, has_easy_read

SHARED_SOURCES = (
    "_base.html.j2",
    "_macros.html.j2",
    "styles/standard.css",
    "styles/large-print.css",
    "styles/easy-read.css",
)
TYPESET = 'name="dhr-typesetter"'  # a template whose PDF Typst sets (documents/typeset.py)
INCLUDE = re.compile(r"\{%-?\s*include\s+[\"']documents/([^\"']+)[\"']")
READERS = ("internal", "agency", "family", "public")
LAYOUTS = ("letter", "report", "form")
MARKED_READERS = ("internal", "agency")  # the Government Security Classifications' OFFICIAL-SENSITIVE handling
MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    title: str
    audience: str
    readers: str
    layout: str
    one_page: bool
    states: tuple[str, ...]
    needs: tuple[str, ...]
    version: int
    publication: bool
    needs_access_request: bool
    easy_read: bool
    source_hash: str
    path: str | None = None  # "review" or "no_review": the only path the document belongs to

    def fits(self, review_decision: object) -> bool:
        """Whether the document belongs to a case whose decision is `review_decision` (None: not decided yet)."""
        return self.path is None or review_decision in (None, "", self.path)

    @property
    def marking(self) -> str:
        """The protective marking printed on the document: none on what families and the public receive."""
        return MARKING if self.readers in MARKED_READERS else ""

    @property
    def template(self) -> str:
        return f"documents/{self.name}.html.j2"

    @property
    def template_version(self) -> str:
        return f"{self.version}+{self.source_hash[:12]}"


def _source_hash(root: Path, name: str, easy_read: bool) -> str:
    digest = hashlib.sha256()
    files = [f"{name}.html.j2", *SHARED_SOURCES]
    if easy_read:
        files.append(easy_read_name(f"{name}.html.j2"))
    files += _included(root / "documents" / f"{name}.html.j2")  # a section kept in its own file is a source too
    if TYPESET in (root / "documents" / f"{name}.html.j2").read_text(encoding="utf-8"):
        files.append("typst/document.typ")  # its PDF's layout (ADR 0063)
    for rel in files:
        digest.update(rel.encode())
        digest.update((root / "documents" / rel).read_bytes())
    return digest.hexdigest()


def _included(template: Path) -> list[str]:
    """The partials a template includes (`{% include "documents/_x.html.j2" %}`), relative to documents/."""
    return sorted(set(INCLUDE.findall(template.read_text(encoding="utf-8"))))


@lru_cache(maxsize=4)
def catalogue(root: Path | None = None) -> dict[str, TemplateInfo]:
    base = root or templates_dir()
    raw = _read_yaml(base / "documents" / "catalogue.yaml")
    found = {}
    for name, meta in raw.items():
        easy = has_easy_read(f"documents/{name}.html.j2", root)
        readers, layout = meta.get("readers"), meta.get("layout", "form")
        if readers not in READERS or layout not in LAYOUTS:
            raise ValueError(
                f"catalogue.yaml, {name}: readers must be one of {', '.join(READERS)} and layout one of "
                f"{', '.join(LAYOUTS)} (found readers={readers!r}, layout={layout!r})"
            )
        found[name] = TemplateInfo(
            name=name,
            title=meta["title"],
            audience=meta["audience"],
            readers=readers,
            layout=layout,
            one_page=bool(meta.get("one_page", False)),
            states=tuple(meta.get("states", ())),
            needs=tuple(meta.get("needs", ())),
            version=int(meta["version"]),
            publication=bool(meta.get("publication", False)),
            needs_access_request=bool(meta.get("needs_access_request", False)),
            easy_read=easy,
            source_hash=_source_hash(base, name, easy),
            path=meta.get("path"),
        )
    return found


def _read_yaml(path: Path) -> Any:
    def parse() -> Any:
        import yaml

        return yaml.safe_load(path.read_text(encoding="utf-8"))

    return cached("yaml", file_key(path), parse)  # no YAML parser to import on `dhr docs list` (issue 17)


def template_info(name: str, root: Path | None = None) -> TemplateInfo:
    known = catalogue(root)
    if name not in known:
        raise NotFound(f"no document template '{name}'; `dhr docs list REF` lists them: {', '.join(sorted(known))}")
    return known[name]


def publication_templates(root: Path | None = None) -> list[TemplateInfo]:
    return [t for t in catalogue(root).values() if t.publication]

"""The full toolkit matrix (every template x format x variant) rendered once per test session for a fully
populated demo case, on its own SQLite database; tests then read the outputs with real readers."""

from __future__ import annotations

import fcntl
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.database import Database
from dhr_workflow.core.migrate import upgrade
from dhr_workflow.core.settings import Settings
from dhr_workflow.documents.catalogue import catalogue
from dhr_workflow.documents.pipeline import FORMATS
from dhr_workflow.workflow.registry import WorkflowRegistry
from tests.conftest import REPO, TODAY

TRICKY = "Dr J Independent & Associates <Ltd>"
LETTERHEAD = {
    "letterhead_name": "Northbridge Community Safety Partnership",
    "letterhead_address": "Civic Offices | 2 Watling Street | Northbridge NB1 2AB",
    "letterhead_phone": "020 3045 5000",
    "letterhead_email": "community.safety@northbridge.example",
    "letterhead_website": "https://northbridge.example/community-safety",
    "letterhead_logo": Path(__file__).with_name("demo-logo.png"),
    "letterhead_logo_alt": "Northbridge Borough Council",
    "short_link": "northbridge.example/formats",
}


@dataclass
class Matrix:
    ref: str
    outputs: dict[tuple[str, str, str], bytes]
    plan_outputs: dict[tuple[str, str, str], bytes] = field(default_factory=dict)  # the Delivery Plan documents
    _texts: dict[tuple[str, str, str], str] = field(default_factory=dict)
    _plan_texts: dict[tuple[str, str, str], str] = field(default_factory=dict)

    @property
    def plan_pdfs(self) -> dict[tuple[str, str], bytes]:
        return {(name, variant): v for (name, fmt, variant), v in self.plan_outputs.items() if fmt == "pdf"}

    def plan_text(self, key: tuple[str, str, str]) -> str:
        from dhr_workflow.documents.extract import text_of

        if key not in self._plan_texts:
            self._plan_texts[key] = text_of(key[1], self.plan_outputs[key])
        return self._plan_texts[key]

    def text(self, key: tuple[str, str, str]) -> str:
        """The text a reader extracts (pypdf, python-docx, our HTML reader), cached: PDF extraction is slow."""
        from dhr_workflow.documents.extract import text_of

        if key not in self._texts:
            self._texts[key] = text_of(key[1], self.outputs[key])
        return self._texts[key]

    def items(self, fmt: str | None = None) -> list[tuple[tuple[str, str, str], bytes]]:
        return [(k, v) for k, v in sorted(self.outputs.items()) if fmt is None or k[1] == fmt]


def published_demo_case(ctx: AppContext) -> str:
    from dhr_workflow.cases import lifecycle as cases
    from dhr_workflow.demo import seed as demo
    from dhr_workflow.documents.access_formats import RequestInput
    from dhr_workflow.documents.access_requests import new_request
    from tests.web.conftest import cheapest_hashing

    with cheapest_hashing():  # the documents need the people, not production-strength hashes (~0.2 s of CPU each)
        result = demo.seed(ctx, password="demo-password-123")
    ref = result.cases["published"]
    cases.set_fields(ctx, ref, {"chair_name": TRICKY, "police_force": "Metropolitan Police"})
    new_request(
        ctx,
        RequestInput("Sam Requester", "The executive summary", "braille", email="sam@example.org", case_ref=ref),
        by=demo.email_for("coordinator"),
    )
    return ref


@pytest.fixture(scope="session")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    """Built once per run even under xdist: the first worker renders and pickles it, the others wait and load it."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return _build_matrix(tmp_path_factory.mktemp("matrix") / "matrix.sqlite3")
    shared = tmp_path_factory.getbasetemp().parent  # this run's directory, shared by its workers
    with open(shared / "documents-matrix.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cached = shared / "documents-matrix.pickle"
        if cached.exists():
            return pickle.loads(cached.read_bytes())  # noqa: S301 - written by this test run
        built = _build_matrix(tmp_path_factory.mktemp("matrix") / "matrix.sqlite3")
        cached.write_bytes(pickle.dumps(built))
        return built


def _build_matrix(db_file: Path) -> Matrix:
    from dhr_workflow.documents.versions import render_for_case, variants_for

    url = f"sqlite:///{db_file}"
    upgrade(url)
    ctx = AppContext(
        settings=Settings(database_url=url, _env_file=None, **LETTERHEAD),  # type: ignore[call-arg]
        db=Database(url),
        workflows=WorkflowRegistry.from_directory(REPO / "workflows"),
        clock=lambda: TODAY,
    )
    ref = published_demo_case(ctx)
    outputs = {}
    for info in catalogue().values():
        for variant in variants_for(info):
            for fmt in FORMATS:
                outputs[(info.name, fmt, variant)] = render_for_case(ctx, ref, info.name, fmt, variant).content
    plan_outputs = _plan_outputs(ctx, ref)
    ctx.db.dispose()
    return Matrix(ref, outputs, plan_outputs)


def _plan_outputs(ctx: AppContext, ref: str) -> dict[tuple[str, str, str], bytes]:
    """The Delivery Plan's documents (lessons) go through the same pipeline, in every format: standard and large
    print (easy read is for family letters)."""
    from dhr_workflow.lessons import documents, meetings

    subjects = {"agenda_pack": meetings.list_meetings(ctx)[0]["id"], "learning_briefing": ref}
    return {
        (name, fmt, variant): documents.render(ctx, name, fmt, subject=subjects.get(name), variant=variant)
        for name in documents.DOCUMENTS
        for fmt in FORMATS
        for variant in ("standard", "large-print")
    }

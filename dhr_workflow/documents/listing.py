"""Which toolkit documents a case has, read with SQLAlchemy Core (issue 17): `dhr docs list` runs it in a fresh
process each time, without the ORM table classes; `versions.list_documents` calls it on its session's connection.
"""

from __future__ import annotations

from typing import Any

from dhr_workflow.cases.read_model import CaseRow, find_case
from dhr_workflow.core.context import ReadContext
from dhr_workflow.core.plain_sql import Query, read_connection
from dhr_workflow.documents.catalogue import catalogue

VERSIONS = Query("dhr_workflow.documents.listing_sql", "VERSIONS")


def list_documents(ctx: ReadContext, ref: str) -> list[dict[str, Any]]:
    """`dhr docs list REF`: the case as the system sees it (the command line's `load_case` without a viewer)."""
    with read_connection(ctx.engine) as connection:
        return documents_for(connection, find_case(connection, ref))


def documents_for(connection: Any, case: CaseRow) -> list[dict[str, Any]]:
    """Every toolkit document: whether it fits the case's stage, which fields it still needs, its latest version."""
    latest = {row.template: row for row in VERSIONS.run(connection, {"case_id": case.id})}  # highest wins
    out = []
    for info in (i for i in catalogue().values() if i.fits(case.fields.get("review_decision"))):
        newest = latest.get(info.name)
        missing = [n for n in info.needs if case.fields.get(n) in (None, "")]
        out.append(
            {
                "name": info.name,
                "title": info.title,
                "audience": info.audience,
                "readers": info.readers,
                "marking": info.marking,
                "for_this_stage": case.state in info.states,
                "missing_fields": missing,
                "ready": not missing,
                "publication": info.publication,
                "easy_read": info.easy_read,
                "latest_version": newest.version if newest else None,
                "generated_at": newest.generated_at if newest else None,
                "generated_by": newest.generated_by if newest else None,
            }
        )
    return out

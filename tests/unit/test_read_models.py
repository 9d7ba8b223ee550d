"""The Core tables of the read commands (the packages' `*_sql` modules) name real columns of the ORM tables,
with the same kind of type (the cached workflow states: tests/unit/test_workflow_catalogues.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, TableClause, TypeDecorator

from dhr_workflow.accuracy import problem_sql
from dhr_workflow.accuracy.tables import AccuracyRecipient, AccuracyRound
from dhr_workflow.agencies import evidence_sql
from dhr_workflow.agencies.tables import Agency, CaseAgency, EvidenceRequest
from dhr_workflow.cases import detail_sql, read_sql
from dhr_workflow.cases.tables import Case, CaseMember, Clock, ClockExtension, ClockPause, Party, Task
from dhr_workflow.core import holiday_sql
from dhr_workflow.core.tables import HolidayOverride
from dhr_workflow.documents import listing_sql
from dhr_workflow.documents.tables import GeneratedDocument
from dhr_workflow.lessons import action_sql
from dhr_workflow.lessons.tables import PlanAction
from dhr_workflow.people.tables import User
from dhr_workflow.qa import item_sql
from dhr_workflow.qa.tables import QaItem, QaRound

PAIRS = [
    (read_sql.CASES, Case),
    (read_sql.CLOCKS, Clock),
    (read_sql.MEMBERS, CaseMember),
    (listing_sql.GENERATED, GeneratedDocument),
    (holiday_sql.OVERRIDE_TABLE, HolidayOverride),
    (detail_sql.CASE_TABLE, Case),
    (detail_sql.CLOCK, Clock),
    (detail_sql.PAUSE, ClockPause),
    (detail_sql.EXTENSION, ClockExtension),
    (detail_sql.TASK, Task),
    (detail_sql.PARTY, Party),
    (detail_sql.MEMBER, CaseMember),
    (detail_sql.ACCOUNT, User),
    (action_sql.ACTIONS, PlanAction),
    (evidence_sql.AGENCY, Agency),
    (evidence_sql.CASE_AGENCY, CaseAgency),
    (evidence_sql.REQUEST, EvidenceRequest),
    (item_sql.QA_ROUND, QaRound),
    (item_sql.QA_ITEM, QaItem),
    (problem_sql.ROUND, AccuracyRound),
    (problem_sql.RECIPIENT, AccuracyRecipient),
]
KINDS = (DateTime, Date, Boolean, Integer, String, JSON)


def _kind(sql_type: object) -> type:
    plain = sql_type.impl if isinstance(sql_type, TypeDecorator) else sql_type  # SQLModel's AutoString is a String
    return next(k for k in KINDS if isinstance(plain, k))


@pytest.mark.parametrize(("core", "orm"), PAIRS, ids=lambda p: getattr(p, "name", getattr(p, "__name__", "")))
def test_core_columns_are_the_orm_tables_columns(core: TableClause, orm: type) -> None:
    table = orm.__table__  # type: ignore[attr-defined]
    assert core.name == table.name
    for col in core.columns:
        assert col.name in table.columns, col.name
        assert _kind(col.type) is _kind(table.columns[col.name].type), col.name
        if isinstance(col.type, DateTime):
            assert col.type.timezone == table.columns[col.name].type.timezone

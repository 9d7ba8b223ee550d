"""Chronology imports: the toolkit's own .xlsx template read back, and .csv; every bad row reported by number and
nothing imported while any row is bad; the merged chronology ordered by date, time, agency with likely duplicates
flagged; exclusion with a reason."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from dhr_workflow.agencies import chronology, directory
from dhr_workflow.agencies.chronology_files import ChronologyRejected
from dhr_workflow.agencies.chronology_rules import check_row
from dhr_workflow.agencies.tables import ChronologyEntry
from dhr_workflow.core.errors import InvalidInput, NotPermitted
from tests.agencies.builders import HEALTH_CONTACT, POLICE_CONTACT, agencies, case_at

TODAY = date(2026, 11, 20)


@pytest.fixture
def ref(ctx):
    agencies(ctx)
    ref = case_at(ctx, date(2026, 9, 1))
    directory.change_scope(ctx, ref, add=["Metropolitan Police", "Oxleas NHS Trust"])
    return ref


def _filled_template(ctx, ref, agency, rows, merge=None):
    """The system's own template, filled in the way a person would in Excel."""
    book = load_workbook(io.BytesIO(chronology.template_for(ctx, ref, agency)))
    sheet = book["Chronology"]
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows):
    lines = ["Date,Time,Agency,Event,Source"] + [",".join(f'"{c}"' for c in r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def _count(ctx):
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(ChronologyEntry))


def test_the_template_the_system_produces_reads_back_with_excel_dates_and_times(ctx, ref):
    content = _filled_template(
        ctx,
        ref,
        "Metropolitan Police",
        [
            (
                datetime(2024, 3, 7),
                time(14, 30),
                "Metropolitan Police",
                "Call to the address; DASH completed",
                "CAD 123",
            ),
            ("2024-01-02", None, "", "First contact", ""),
        ],
    )
    assert chronology.import_chronology(ctx, ref, "Metropolitan Police", "police.xlsx", content, by=POLICE_CONTACT) == 2
    rows = chronology.merged(ctx, ref)
    assert [(r["date"], r["time"], r["event"]) for r in rows] == [
        ("2024-01-02", None, "First contact"),
        ("2024-03-07", "14:30", "Call to the address; DASH completed"),
    ]


def test_every_bad_row_is_reported_by_number_and_nothing_is_imported(ctx, ref):
    content = _csv(
        [
            ("2024-02-30", "10:00", "", "Impossible date", ""),
            ("07/03/2024", "25:00", "", "Bad time", ""),
            ("", "", "", "", ""),  # a blank row is skipped
            ("2024-03-08", "", "", "", "Source only"),
            ("2030-01-01", "", "", "In the future", ""),
            ("2024-03-09", "", "", "Fine", ""),
        ]
    )
    with pytest.raises(ChronologyRejected) as caught:
        chronology.import_chronology(ctx, ref, "Metropolitan Police", "police.csv", content, by=POLICE_CONTACT)
    found = [str(e) for e in caught.value.errors]
    assert found == [
        "row 2: the date '2024-02-30' is not a date (use YYYY-MM-DD, for example 2024-03-07)",
        "row 3: the time '25:00' is not a time (use HH:MM, for example 14:30)",
        "row 5: the event is empty (say what happened)",
        "row 6: the date 2030-01-01 is in the future",
    ]
    assert _count(ctx) == 0


def test_merged_cells_are_refused_with_where_they_are(ctx, ref):
    content = _filled_template(
        ctx, ref, "Metropolitan Police", [("2024-03-07", "", "", "One", ""), ("2024-03-08", "", "", "Two", "")], "D2:D3"
    )
    with pytest.raises(ChronologyRejected, match="row 2: cells D2:D3 are merged"):
        chronology.import_chronology(ctx, ref, "Metropolitan Police", "police.xlsx", content, by=POLICE_CONTACT)
    assert _count(ctx) == 0


def test_files_that_are_not_chronologies_are_refused(ctx, ref):
    with pytest.raises(InvalidInput, match=r"\.xlsx .* or \.csv"):
        chronology.import_chronology(ctx, ref, "Metropolitan Police", "police.pdf", b"%PDF", by=None)
    with pytest.raises(InvalidInput, match="could not be read"):
        chronology.import_chronology(ctx, ref, "Metropolitan Police", "police.xlsx", b"not a zip", by=None)
    with pytest.raises(ChronologyRejected, match="no Date or Event column"):
        chronology.import_chronology(ctx, ref, "Metropolitan Police", "p.csv", b"When,What\n2024-01-01,x\n", by=None)
    with pytest.raises(NotPermitted):
        chronology.import_chronology(
            ctx, ref, "Oxleas NHS Trust", "p.csv", _csv([("2024-01-01", "", "", "x", "")]), by=POLICE_CONTACT
        )


def test_a_ten_thousand_row_file_imports_in_one_go(ctx, ref):
    rows = [
        (f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", f"{i % 24:02d}:00", "", f"Contact number {i}", f"REC-{i}")
        for i in range(10_000)
    ]
    content = _filled_template(ctx, ref, "Metropolitan Police", rows)
    assert chronology.import_chronology(ctx, ref, "Metropolitan Police", "big.xlsx", content, by=None) == 10_000
    assert _count(ctx) == 10_000


def test_the_merged_chronology_orders_by_date_time_agency_and_flags_likely_duplicates(ctx, ref):
    police = _csv(
        [
            ("2024-03-07", "14:30", "", "Police attended the address after a 999 call from a neighbour.", "CAD 1"),
            ("2024-03-07", "", "", "Officer spoke to the victim by phone", "CAD 2"),
        ]
    )
    health = _csv(
        [
            ("2024-03-07", "14:30", "", "Police attended the address after a 999 call from a neighbour", "A&E note"),
            ("2024-03-06", "09:00", "", "GP appointment", "GP record"),
        ]
    )
    chronology.import_chronology(ctx, ref, "Metropolitan Police", "police.csv", police, by=POLICE_CONTACT)
    chronology.import_chronology(ctx, ref, "Oxleas NHS Trust", "health.csv", health, by=HEALTH_CONTACT)
    rows = chronology.merged(ctx, ref)
    assert [(r["date"], r["time"], r["agency"]) for r in rows] == [
        ("2024-03-06", "09:00", "Oxleas NHS Trust"),
        ("2024-03-07", None, "Metropolitan Police"),
        ("2024-03-07", "14:30", "Metropolitan Police"),
        ("2024-03-07", "14:30", "Oxleas NHS Trust"),
    ]
    assert rows[3]["duplicate_of"] == rows[2]["id"] and rows[1]["duplicate_of"] is None
    chronology.exclude(ctx, ref, rows[3]["id"], "Same call as the police entry")
    after = chronology.merged(ctx, ref)
    assert after[3]["excluded"] and after[3]["excluded_reason"] == "Same call as the police entry"
    assert after[3]["duplicate_of"] is None
    with pytest.raises(InvalidInput, match="reason is required"):
        chronology.exclude(ctx, ref, rows[2]["id"], " ")
    with pytest.raises(NotPermitted):
        chronology.exclude(ctx, ref, rows[2]["id"], "x", by=POLICE_CONTACT)


def test_a_re_import_replaces_the_agencys_earlier_rows_only(ctx, ref):
    chronology.import_chronology(
        ctx, ref, "Oxleas NHS Trust", "h.csv", _csv([("2024-01-01", "", "", "GP", "")]), by=None
    )
    chronology.import_chronology(
        ctx, ref, "Metropolitan Police", "p.csv", _csv([("2024-01-02", "", "", "A", "")]), by=None
    )
    chronology.import_chronology(
        ctx, ref, "Metropolitan Police", "p.csv", _csv([("2024-01-03", "", "", "B", "")]), by=None
    )
    assert [(r["agency"], r["event"]) for r in chronology.merged(ctx, ref)] == [
        ("Oxleas NHS Trust", "GP"),
        ("Metropolitan Police", "B"),
    ]


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    day=st.one_of(st.dates(), st.text(max_size=12), st.none()),
    at=st.one_of(st.times(), st.text(max_size=8), st.none()),
    event=st.text(max_size=50),
)
def test_any_row_is_either_accepted_as_written_or_rejected_with_its_row_number(day, at, event):
    result = check_row(7, {"Date": day, "Time": at, "Event": event}, TODAY)
    if isinstance(result, list):
        assert result and all(e.number == 7 and str(e).startswith("row 7: ") for e in result)
    else:
        assert result.on <= TODAY and result.event == " ".join(event.split()) and result.event

"""Toolkit documents built from agency evidence: the information request's reply-by date is the scoping request's
due date (not the decision clock's), and the decision record lists which scoping returns were in at the decision."""

from __future__ import annotations

from datetime import date

from dhr_workflow.agencies import directory, evidence
from dhr_workflow.cases import lifecycle as cases
from dhr_workflow.documents.versions import render_for_case
from tests.agencies.builders import agencies
from tests.factories import COORDINATOR, DECISION, new_case


def _text(ctx, ref, name):
    return render_for_case(ctx, ref, name, "html").content.decode()


def test_the_information_request_asks_for_a_reply_by_the_scoping_requests_due_date(ctx):
    agencies(ctx)
    ref = new_case(ctx, date(2026, 11, 2))
    cases.assign(ctx, ref, COORDINATOR, "coordinator")
    directory.change_scope(ctx, ref, add=["Metropolitan Police"])
    evidence.request_evidence(ctx, ref, "Metropolitan Police", "scoping_return", on=date(2026, 11, 3))
    html = _text(ctx, ref, "information_request")
    assert "Please reply by 17 November 2026" in html  # 10 working days after 3 November
    assert "2 December 2026" not in html  # the decision clock's due date leaves the CSP no time to decide


def test_the_decision_record_lists_which_scoping_returns_were_in_when_the_decision_was_made(ctx):
    agencies(ctx)
    ref = new_case(ctx, date(2026, 10, 1))
    cases.assign(ctx, ref, COORDINATOR, "coordinator")
    directory.change_scope(ctx, ref, add=["Metropolitan Police", "Oxleas NHS Trust", "Housing Services"])
    police = evidence.request_evidence(ctx, ref, "Metropolitan Police", "scoping_return", on=date(2026, 10, 2))
    health = evidence.request_evidence(ctx, ref, "Oxleas NHS Trust", "scoping_return", on=date(2026, 10, 2))
    evidence.request_evidence(ctx, ref, "Housing Services", "scoping_return", on=date(2026, 10, 2))
    evidence.receive(ctx, ref, police, nil_return=True, on=date(2026, 10, 9))
    evidence.receive(ctx, ref, health, nil_return=True, on=date(2026, 10, 20))  # after the decision
    cases.fire(ctx, ref, "decide_review", on=date(2026, 10, 14), values=DECISION)
    html = _text(ctx, ref, "decision_record")
    section = html.split('id="scoping"')[1].split("</table>")[0]
    rows = section.split("<tr>")[2:]
    cells = {r.split("<td>")[1].split("</td>")[0]: r for r in rows}
    assert set(cells) == {"Metropolitan Police", "Oxleas NHS Trust", "Housing Services"}
    assert "<td>Yes</td>" in cells["Metropolitan Police"] and "2026-10-09" in cells["Metropolitan Police"]
    assert "<td>No</td>" in cells["Oxleas NHS Trust"]  # it came in six days after the decision
    assert "<td>No</td>" in cells["Housing Services"] and "Requested" in cells["Housing Services"]


def test_the_merged_chronology_document_leaves_out_exclusions_and_marks_likely_duplicates(ctx):
    from dhr_workflow.agencies import chronology

    agencies(ctx)
    ref = new_case(ctx, date(2026, 9, 1))
    cases.assign(ctx, ref, COORDINATOR, "coordinator")
    cases.set_fields(ctx, ref, {"review_period_start": "2021-01-01"})
    directory.change_scope(ctx, ref, add=["Metropolitan Police", "Oxleas NHS Trust"])
    head = "Date,Time,Agency,Event,Source\n"
    police = head + "2021-02-03,21:40,,Attended after a 999 call,CAD 1\n2021-01-05,,,Out of period note,CAD 0\n"
    health = head + "2021-02-03,21:40,,Attended after a 999 call.,Liaison\n"
    chronology.import_chronology(ctx, ref, "Metropolitan Police", "p.csv", police.encode(), None)
    chronology.import_chronology(ctx, ref, "Oxleas NHS Trust", "h.csv", health.encode(), None)
    first = chronology.merged(ctx, ref)[0]
    chronology.exclude(ctx, ref, first["id"], "Recorded in error")
    html = _text(ctx, ref, "merged_chronology")
    assert "Out of period note" not in html
    assert html.index("Metropolitan Police</td>") < html.index("Oxleas NHS Trust</td>")
    assert "<td>3 February 2021, 21:40</td>" in html and "likely the same as an entry above" in html


def test_the_merged_chronology_table_stays_within_the_page_margins_in_every_print_variant(ctx):
    """The month tables have fixed column widths: widths plus padding once ran the table 67 px into the right margin,
    to 7.6 px from the paper's edge. Nothing painted (a row's shading, a header cell) may reach past the 1.5 cm
    margin, the narrowest the document uses; measured in points on the page, whoever typeset it."""
    import io

    import pikepdf

    from dhr_workflow.agencies import chronology
    from tests.pdf_paint import painted_right_edge

    agencies(ctx)
    ref = new_case(ctx, date(2026, 9, 1))
    cases.assign(ctx, ref, COORDINATOR, "coordinator")
    cases.set_fields(ctx, ref, {"review_period_start": "2021-01-01"})
    directory.change_scope(ctx, ref, add=["Metropolitan Police"])
    event = "Officers attended the address after a call; risk assessment completed and referral made to MARAC"
    rows = "".join(f"2021-0{1 + n % 3}-{10 + n},21:40,,{event} ({n}),CAD {n}\n" for n in range(12))
    chronology.import_chronology(
        ctx, ref, "Metropolitan Police", "p.csv", f"Date,Time,Agency,Event,Source\n{rows}".encode(), None
    )
    for variant in ("standard", "large-print"):
        content = render_for_case(ctx, ref, "merged_chronology", "pdf", variant).content
        with pikepdf.open(io.BytesIO(content)) as pdf:
            assert "Typst" in str(pdf.docinfo.get("/Creator", "")), variant  # not WeasyPrint's fallback (ADR 0063)
            edges = [(painted_right_edge(page), float(page.MediaBox[2])) for page in pdf.pages]
        assert max(edge for edge, _ in edges) > 400, variant  # the rows' shading was found
        for edge, width_pt in edges:
            assert edge <= width_pt - 1.5 / 2.54 * 72 + 0.5, (variant, edge, width_pt)

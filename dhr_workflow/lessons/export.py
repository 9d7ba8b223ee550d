"""The Delivery Plan as a spreadsheet (openpyxl), because partners live in Excel: one sheet per theme with the
plan's columns, a summary sheet, and the national recommendations. Cells are values, never formulas: text that
starts with = + - @ is written as text so a hostile note cannot run in someone's Excel."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from dhr_workflow.core.context import AppContext
from dhr_workflow.lessons import queries

COLUMNS = (
    ("Action", 8),
    ("Review", 14),
    ("Recommendation", 40),
    ("Action to take (SMART)", 50),
    ("Outcome / measure", 30),
    ("Owner agency", 24),
    ("Lead", 20),
    ("Key milestones", 40),
    ("Target date", 12),
    ("Status", 18),
    ("RAG", 10),
    ("Latest update", 50),
    ("Tags", 24),
)
RAG_FILLS = {"red": "F4B6B6", "amber": "FFE29A", "green": "B7E1CD", "complete": "BBD4F0"}


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _row(a: dict[str, Any]) -> list[Any]:
    rec = a["recommendation"]
    milestones = "\n".join(
        f"{m['position']}. {m['text']}" + (f" (done {m['done_on']})" if m["done_on"] else "") for m in a["milestones"]
    )
    latest = a["latest_update"]
    return [
        a["id"],
        a["case_ref"] or "Partnership",
        f"{rec['number']}. {rec['text']}" if rec else "",
        a["description"],
        a["outcome"] or "",
        a["agency"]["name"],
        a["lead"],
        milestones,
        a["target_on"],
        a["status_label"],
        a["rag"].title(),
        (latest["note"] or "") if latest else "",
        ", ".join(a["tags"]),
    ]


def plan_workbook(ctx: AppContext, *, viewer: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    summary = queries.plan_summary(ctx, viewer=viewer)
    actions = summary.get("actions", [])
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "Summary"
    _summary_sheet(sheet, summary, Font(bold=True))
    for theme in summary["plan"]["themes"]:
        ws = wb.create_sheet(theme["label"][:31])
        ws.append([c for c, _ in COLUMNS])
        for i, (_, width) in enumerate(COLUMNS, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = width
            ws.cell(1, i).font = Font(bold=True)
        for a in (a for a in actions if a["theme"] == theme["key"]):
            ws.append([_safe(v) for v in _row(a)])
            ws.cell(ws.max_row, 11).fill = PatternFill("solid", fgColor=RAG_FILLS[a["rag"]])
            ws.cell(ws.max_row, 9).number_format = "dd/mm/yyyy"
            for cell in ws[ws.max_row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = ws.dimensions
    _national_sheet(wb.create_sheet("National recommendations"), summary["recommendations"], Font(bold=True))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _summary_sheet(ws: Any, summary: dict[str, Any], bold: Any) -> None:
    plan = summary["plan"]
    ws.append([plan["title"]])
    ws["A1"].font = bold
    ws.append(["Plan period", plan["period_start"], plan["period_end"]])
    ws.append([])
    ws.append(["Theme", "Actions", "Red", "Amber", "Green", "Complete", "Overdue"])
    for r in summary["by_theme"]:
        ws.append([r["label"], r["total"], r["red"], r["amber"], r["green"], r["complete"], r["overdue"]])
    ws.append([])
    ws.append(["Objectives"])
    for o in plan["objectives"]:
        ws.append([_safe(o)])
    ws.column_dimensions["A"].width = 60


def _national_sheet(ws: Any, recs: list[dict[str, Any]], bold: Any) -> None:
    ws.append(["Review", "Number", "Recommendation", "Level", "Addressee", "Sent on", "Status", "Response"])
    for cell in ws[1]:
        cell.font = bold
    for r in recs:
        ws.append(
            [
                _safe(v)
                for v in (
                    r["case_ref"] or "Partnership",
                    r["number"],
                    r["text"],
                    r["level_label"],
                    r["addressee"],
                    r["sent_to_national_on"],
                    r["national_status"] or "",
                    r["national_response"] or "",
                )
            ]
        )

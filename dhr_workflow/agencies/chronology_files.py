"""Reading an agency's chronology file (.xlsx from the toolkit's own template, read with openpyxl, or .csv) into
numbered rows of cells by heading, and writing that template. Files are hostile input: size-limited, no formulas
run, merged cells refused (each cell must hold one value)."""

from __future__ import annotations

import csv
import io
from typing import Any

from dhr_workflow.agencies.chronology_rules import HEADERS, REQUIRED, RowError
from dhr_workflow.core.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
Cells = dict[str, object]


class ChronologyRejected(InvalidInput):
    """Nothing was imported: every bad row, by row number, with what is wrong."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        shown = "\n".join(f"  {e}" for e in errors[:50])
        more = f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(
            f"nothing was imported: {len(errors)} problem(s) in the file; fix them and upload it again\n{shown}{more}"
        )


def read_rows(filename: str, content: bytes) -> list[tuple[int, Cells]]:
    """(row number in the file, cells by heading) for every row under the heading row."""
    if not content:
        raise InvalidInput("the file is empty")
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        return _xlsx_rows(content)
    if extension == "csv":
        return _csv_rows(content)
    raise InvalidInput("upload the chronology as .xlsx (the chronology template) or .csv")


def _headings(values: list[Any], row_number: int) -> dict[int, str]:
    found = {}
    for i, value in enumerate(values):
        text = str(value).strip().lower() if value is not None else ""
        for heading in HEADERS:
            if text == heading.lower() or text.startswith(heading.lower() + " "):
                found[i] = heading
    missing = [h for h in REQUIRED if h not in found.values()]
    if missing:
        raise ChronologyRejected(
            [
                RowError(
                    row_number,
                    f"no {' or '.join(missing)} column; the first row needs the headings {', '.join(HEADERS)}",
                )
            ]
        )
    return found


def _csv_rows(content: bytes) -> list[tuple[int, Cells]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the .csv file is not UTF-8 text; save it as 'CSV UTF-8'") from None
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows:
        raise InvalidInput("the file is empty")
    columns = _headings(rows[0], 1)
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"the file has {len(rows)} rows; the limit is {MAX_ROWS}")
    return [
        (number, {heading: (row[i] if i < len(row) else "") for i, heading in columns.items()})
        for number, row in enumerate(rows[1:], start=2)
    ]


def _xlsx_rows(content: bytes) -> list[tuple[int, Cells]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), data_only=True)
    except Exception:  # noqa: BLE001 - any reader failure means the file is not a workbook we can read
        raise InvalidInput("the .xlsx file could not be read; save it again from Excel or use the template") from None
    sheet = book["Chronology"] if "Chronology" in book.sheetnames else book.worksheets[0]
    if sheet.max_row > MAX_ROWS:
        raise InvalidInput(f"the file has {sheet.max_row} rows; the limit is {MAX_ROWS}")
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if first is None:
        raise InvalidInput("the file is empty")
    columns = _headings(list(first), 1)
    merged = [
        RowError(r.min_row, f"cells {r.coord} are merged; unmerge them so each cell holds one value")
        for r in sheet.merged_cells.ranges
        if r.max_row >= 2
    ]
    if merged:
        raise ChronologyRejected(sorted(merged, key=lambda e: e.number))
    return [
        (number, {heading: (row[i] if i < len(row) else None) for i, heading in columns.items()})
        for number, row in enumerate(rows, start=2)
    ]


def template_workbook(ref: str, agency: str, period: str) -> bytes:
    """The chronology template as a spreadsheet: the headings this import reads, one row per contact."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (14, 8, 28, 80, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    about = book.create_sheet("About")
    for row in (
        ("Review reference", ref),
        ("Agency", agency),
        ("Period covered", period),
        ("How to fill it in", "One row per contact, oldest first. Date as YYYY-MM-DD; time as HH:MM (optional)."),
    ):
        about.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""Spreadsheet-safe writers: every CSV and XLSX download goes through these.

Exported cells hold text people typed (a public join form, an uploaded file). A spreadsheet runs a
cell that begins with `=`, `+`, `-` or `@` as a formula (tab and CR too, once trimmed), so
`=HYPERLINK("http://evil", "click")` typed as a name would become a live link in staff's Excel
("CSV injection", OWASP). So:

- CSV: such a cell is prefixed with an apostrophe, OWASP's advice; Excel and LibreOffice show the
  rest as text. The file starts with a UTF-8 BOM, without which Excel reads it as the local ANSI code
  page and garbles accented names.
- XLSX: such a cell is written as a string cell with Excel's "quote prefix" style, so it shows the
  text exactly and stays text even when edited; no cell is ever a formula (values only).
Characters XML cannot hold (C0 controls) are dropped from XLSX cells rather than failing the export.
"""

import csv
from collections.abc import Iterable, Iterator
from io import BytesIO
from typing import Any

from django.http import StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV text of the rows, a BOM first then one line per row, ready to stream."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    return "".join(csv_chunks(rows))


def csv_response(rows: Iterable[Iterable[Any]], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV download (the rows may be a generator over a large query)."""
    response = StreamingHttpResponse(csv_chunks(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(rows: Iterable[Iterable[Any]], *, sheet: str = "Sheet1") -> bytes:
    """A workbook of one sheet holding the rows as values: no cell is a formula."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in rows:
        worksheet.append([_xlsx_cell(worksheet, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(worksheet, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_STARTS):
        return value
    cell = WriteOnlyCell(worksheet, value=value)
    cell.data_type = "s"  # openpyxl would store a leading "=" as a formula
    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell

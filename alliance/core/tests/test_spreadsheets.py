import csv
import io

from openpyxl import load_workbook

from alliance.core import spreadsheets


def test_it_prefixes_csv_cells_a_spreadsheet_would_run():
    text = spreadsheets.csv_text([["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "plain", "a=b", 7, -7]])
    assert text.startswith("\ufeff")
    row = next(csv.reader(io.StringIO(text[1:], newline="")))
    assert row == ["'=1+1", "'+1", "'-1", "'@A1", "'\tx", "'\rx", "plain", "a=b", "7", "-7"]


def test_it_writes_xlsx_values_only_and_drops_characters_xml_cannot_hold():
    data = spreadsheets.xlsx_bytes([["name", "n"], ["=cmd|' /C calc'!A0", 3], ["bell\x07", -2.5]], sheet="S")
    sheet = load_workbook(io.BytesIO(data))["S"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["name", "n"],
        ["=cmd|' /C calc'!A0", 3],
        ["bell", -2.5],
    ]
    assert sheet["A2"].data_type == "s"
    assert sheet["B3"].data_type == "n"  # numbers stay numbers

"""Files an attacker (or an unlucky export) sends to the import: built here, byte by byte."""

import io
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
SHEET_OPEN = b'<?xml version="1.0" encoding="UTF-8"?>\n'
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def xlsx_with_sheet(sheet_xml: bytes | None = None, *, chunks=None, level: int = 6) -> bytes:
    """A real workbook from openpyxl whose first sheet's XML is replaced by sheet_xml (or chunks)."""
    workbook = Workbook()
    workbook.active.append(["First name", "Last name", "Email"])
    original = io.BytesIO()
    workbook.save(original)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(original) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target,
    ):
        for item in source.infolist():
            if item.filename != SHEET:
                target.writestr(item, source.read(item))
            elif chunks is None:
                target.writestr(SHEET, sheet_xml or b"")
            else:
                with target.open(SHEET, "w", force_zip64=True) as member:
                    for chunk in chunks:
                        member.write(chunk)
    return out.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    xml = (
        f'<?xml version="1.0"?>\n<!DOCTYPE worksheet [{"".join(entities)}]>\n'
        f'<worksheet {NS.decode()}><sheetData><row r="1">{_cell("A1", "&lol9;")}</row></sheetData></worksheet>'
    )
    return xlsx_with_sheet(xml.encode())


def external_entity() -> bytes:
    xml = (
        '<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        f'<worksheet {NS.decode()}><sheetData><row r="1">{_cell("A1", "&xxe;")}</row></sheetData></worksheet>'
    )
    return xlsx_with_sheet(xml.encode())


def malformed() -> bytes:
    return xlsx_with_sheet(b'<?xml version="1.0"?><worksheet ' + NS + b"><sheetData><row><c r=")


def zip_bomb(megabytes: int = 64) -> bytes:
    """A sheet that inflates megabytes of blank space from a few tens of kilobytes."""
    head = SHEET_OPEN + b"<worksheet " + NS + b"><sheetData>"
    blank = b" " * (1024 * 1024)
    return xlsx_with_sheet(chunks=[head, *([blank] * megabytes), b"</sheetData></worksheet>"], level=9)


def many_rows(rows: int, *, dimension: bool = True) -> bytes:
    """A plain people sheet of `rows` data rows, written as XML directly (openpyxl takes minutes)."""

    def chunks():
        yield SHEET_OPEN + b"<worksheet " + NS + b">"
        if dimension:
            yield f'<dimension ref="A1:C{rows + 1}"/>'.encode()
        yield (
            b'<sheetData><row r="1">'
            + (_cell("A1", "First name") + _cell("B1", "Last name") + _cell("C1", "Email")).encode()
            + b"</row>"
        )
        part = []
        for n in range(2, rows + 2):
            cells = _cell(f"A{n}", f"First{n}") + _cell(f"B{n}", f"Last{n}") + _cell(f"C{n}", f"p{n}@example.org")
            part.append(f'<row r="{n}">{cells}</row>')
            if len(part) == 10_000:
                yield "".join(part).encode()
                part = []
        yield "".join(part).encode() + b"</sheetData></worksheet>"

    return xlsx_with_sheet(chunks=chunks(), level=1)

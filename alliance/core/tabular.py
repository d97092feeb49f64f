"""Reading the tables people upload (CSV or XLSX), assuming the worst of every file.

Shared by every importer. An XLSX is a zip of XML: its members' declared sizes and compression
ratios are checked before anything is inflated (a zip bomb inflates 10 MB into gigabytes), and
openpyxl parses the XML with defusedxml (installed as a dependency), which refuses entity
declarations (billion laughs) and external entities (XXE). Every refusal is a `FileRefused` whose
message says what to do.
"""

import codecs
import zipfile
from collections.abc import Generator, Iterator
from datetime import date, datetime
from typing import IO
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _
from openpyxl import load_workbook


class FileRefused(Exception):
    """A file that cannot be read, with a message for the person who uploaded it."""


# Every refusal is a NetworkError whose message says what to do.

# A worksheet's XML compresses about 10:1; a zip bomb's, 1000:1. Small members are exempt.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024


def archive_check(handle: IO[bytes] | File) -> None:
    """Refuse an XLSX whose members would inflate beyond IMPORT_MAX_UNCOMPRESSED_MB or look like a zip bomb.

    Python's zipfile never inflates a member past its declared size, so checking the declared
    sizes bounds what reading the file can cost.
    """
    limit = settings.IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024
    with zipfile.ZipFile(handle) as archive:
        members = archive.infolist()
    total = sum(member.file_size for member in members)
    if total > limit:
        raise FileRefused(
            _("The workbook would take %(size)d MB once unpacked, more than the %(max)d MB allowed; split it.")
            % {"size": total // (1024 * 1024), "max": settings.IMPORT_MAX_UNCOMPRESSED_MB}
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM and ratio > MAX_COMPRESSION_RATIO:
            raise FileRefused(
                _("The workbook was refused: its part %(name)s unpacks %(ratio)d times larger, as a zip bomb does.")
                % {"name": member.filename, "ratio": ratio}
            )
    handle.seek(0)


def decode_text(data: bytes, cp1252_lines: set[int] | None = None) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1.

    A file of UTF-8 with some lines in Windows-1252 (rows pasted from an older file) is decoded line
    by line, and the numbers of the lines read as Windows-1252 (from 1) are added to cp1252_lines:
    those rows are very likely right (é is one byte there), so they are stored, with a warning per row
    for someone to check, rather than rejected or turned into mojibake.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lines = data.splitlines(keepends=True)
    utf8 = [_utf8_or_none(line) for line in lines]
    if not any(text is not None and not text.isascii() for text in utf8):
        return _cp1252(data)  # a plain Windows-1252 file, as Excel on Windows saves one: nothing to warn of
    for number, (line, text) in enumerate(zip(lines, utf8, strict=True), start=1):
        if text is None:
            utf8[number - 1] = _cp1252(line)
            if cp1252_lines is not None:
                cp1252_lines.add(number)
    return "".join(text or "" for text in utf8)


def _utf8_or_none(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _cp1252(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
        return data.decode("latin-1")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and not value.time():
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def xlsx_sheets(handle: IO[bytes] | File, *, max_rows: int) -> Generator[tuple[str, Iterator[list[str]]]]:
    """Each worksheet's name and rows (cells as stripped text), after the archive check.

    A sheet declaring more than `max_rows` rows (its <dimension>, when the writer gave one) is
    refused before it is read.
    """
    archive_check(handle)
    workbook = load_workbook(handle, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            if (sheet.max_row or 0) > max_rows + 1:
                raise too_many_rows(max_rows)
            yield sheet.title, ([cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def too_many_rows(max_rows: int) -> FileRefused:
    return FileRefused(
        _("The file has more than %(max)s rows; split it into files of at most %(max)s rows.")
        % {"max": f"{max_rows:,}"}
    )


def unreadable(exc: Exception) -> FileRefused:
    """A clear message for why a file could not be read (openpyxl wraps the XML parser's errors)."""
    causes: list[BaseException] = [exc]
    while (cause := causes[-1].__cause__ or causes[-1].__context__) and len(causes) < 10:
        causes.append(cause)
    for cause in causes:
        if isinstance(cause, DefusedXmlException):
            return FileRefused(
                _(
                    "The workbook was refused: it declares XML entities (%(what)s), "
                    "which Excel never writes and attacks do."
                )
                % {"what": type(cause).__name__}
            )
        if isinstance(cause, ElementTree.ParseError):
            return FileRefused(_("The workbook is damaged: its XML cannot be read (%(error)s).") % {"error": cause})
        if isinstance(cause, zipfile.BadZipFile):
            return FileRefused(_("This is not a real Excel .xlsx workbook (%(error)s).") % {"error": cause})
    first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return FileRefused(_("The file could not be read: %(error)s") % {"error": first_line})

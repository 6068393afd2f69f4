"""Streaming writers: rows in, byte chunks out (CSV, JSON array, Excel write-only)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator

CHUNK_ROWS = 500
FILE_CHUNK = 64 * 1024

# OWASP "CSV injection": a spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)*\Z")  # ASCII digits, as in fund.exports.decision_sql


def neutralise_formula(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'`` (OWASP), so
    applicant text such as ``=HYPERLINK(...)`` is shown as text. Plain numbers (``-12.50``)
    stay as they are. Used for every CSV and Excel cell the fund writes; an auditor who
    recomputes audit hashes uses the JSON export, which is never escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"  # money as a string with two decimals (regeling §1)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def csv_stream(columns: list[tuple[str, str]], rows: Iterable[dict], text: Callable[[str, Any], str],
               cells: list[tuple[str, Callable[[Any], str]]] | None = None) -> Iterator[bytes]:
    """CSV of ``rows``; ``cells`` (key, value -> text, formula-neutralised already) per column
    may replace ``text`` + :func:`neutralise_formula` where speed matters (decision export)."""
    buffer = io.StringIO()
    buffer.write(csv_header(columns))
    writer = csv.writer(buffer, lineterminator="\r\n")
    count = 0
    if cells is None:
        cells = [(key, lambda v, key=key: neutralise_formula(text(key, v))) for key, _ in columns]
    for row in rows:
        writer.writerow([cell(row.get(key)) for key, cell in cells])
        count += 1
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def json_stream(rows: Iterable[dict]) -> Iterator[bytes]:
    """A JSON array written element by element (valid JSON, also when empty)."""
    return json_array_stream(json.dumps(row, default=_json_default, ensure_ascii=False) for row in rows)


def json_array_stream(objects: Iterable[str]) -> Iterator[bytes]:
    """A JSON array of objects already written as JSON text, one per line."""
    parts: list[str] = ["["]
    first = True
    for obj in objects:
        parts.append(("\n" if first else ",\n") + obj)
        first = False
        if len(parts) >= CHUNK_ROWS:
            yield "".join(parts).encode("utf-8")
            parts = []
    parts.append("\n]\n")
    yield "".join(parts).encode("utf-8")


def csv_header(columns: list[tuple[str, str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([heading for _, heading in columns])
    return buffer.getvalue()


def text_stream(head: str, lines: Iterable[str]) -> Iterator[bytes]:
    """``head`` and then ``lines`` (each with its line end) in chunks of CHUNK_ROWS lines."""
    parts: list[str] = [head]
    for line in lines:
        parts.append(line)
        if len(parts) >= CHUNK_ROWS:
            yield "".join(parts).encode("utf-8")
            parts = []
    yield "".join(parts).encode("utf-8")


def xlsx_stream(columns: list[tuple[str, str]], rows: Iterable[dict], sheet_title: str,
                cell: Callable[[str, Any], Any]) -> Iterator[bytes]:
    """Excel via openpyxl's write-only mode (rows go to a temporary file, not to memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31])
    bold = Font(bold=True)
    header = []
    for _, heading in columns:
        c = WriteOnlyCell(ws, value=heading)
        c.font = bold
        header.append(c)
    ws.append(header)
    ws.freeze_panes = "A2"
    for row in rows:
        ws.append([neutralise_formula(cell(key, row.get(key))) for key, _ in columns])
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(path)
        with open(path, "rb") as fh:
            while chunk := fh.read(FILE_CHUNK):
                yield chunk
    finally:
        os.unlink(path)

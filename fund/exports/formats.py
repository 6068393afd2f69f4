"""Pick a format: returns (chunks, mimetype, file extension)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from fund.exports import audit_trail, decisions
from fund.exports.period import ExportError
from fund.exports.writers import csv_header, csv_stream, json_array_stream, json_stream, text_stream, xlsx_stream

DECISION_FORMATS = ("csv", "xlsx", "json", "zgw")
TRAIL_FORMATS = ("csv", "json")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "zgw": "application/json",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json", "zgw": "zgw.json"}


def _xlsx_cell(key: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return value
    return value


def decision_export(flt: decisions.DecisionFilter, fmt: str) -> Iterator[bytes]:
    from fund.exports import decision_sql

    if fmt in ("csv", "json", "zgw") and decision_sql.supported():  # rows formatted by PostgreSQL
        if fmt == "csv":
            return text_stream(csv_header(decisions.COLUMNS), decision_sql.csv_lines(flt))
        return json_array_stream(decision_sql.json_objects(flt) if fmt == "json" else decision_sql.zgw_objects(flt))
    if fmt == "csv":
        return csv_stream(decisions.COLUMNS, decisions.iter_rows(flt), decisions.text_value,
                          cells=decisions.CSV_CELLS)
    if fmt == "json":
        return json_stream(decisions.iter_rows(flt))
    if fmt == "xlsx":
        return xlsx_stream(decisions.COLUMNS, decisions.iter_rows(flt), "Besluiten", _xlsx_cell)
    if fmt == "zgw":
        from fund.exports.zgw import iter_besluiten

        return json_stream(iter_besluiten(flt))
    raise ExportError(f"onbekend formaat '{fmt}'; kies uit: {', '.join(DECISION_FORMATS)}")


def trail_export(flt: audit_trail.TrailFilter, fmt: str) -> Iterator[bytes]:
    if fmt == "csv":
        return csv_stream(audit_trail.COLUMNS, audit_trail.iter_events(flt), audit_trail.text_value)
    if fmt == "json":
        return json_stream(audit_trail.iter_events(flt))
    raise ExportError(f"onbekend formaat '{fmt}'; kies uit: {', '.join(TRAIL_FORMATS)}")

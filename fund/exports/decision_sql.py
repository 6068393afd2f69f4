"""The decision export written by PostgreSQL: each row leaves the database as its finished CSV line
or JSON object, so Python only adds the applicant pseudonym and joins lines.

Why: the generic path (:func:`fund.exports.decisions.iter_rows` into :mod:`fund.exports.writers`)
decodes the two JSON columns, builds a dict and encodes every cell in Python, 6–9× the time of a
plain ``COPY`` (docs/performance.md, decision export). Here the same query
(:func:`~fund.exports.decisions.decision_query`) is wrapped in one select whose single text column
is the row, formatted exactly as the Python writers format it:

* CSV: ``text_value`` + :func:`~fund.exports.writers.neutralise_formula` per cell (money with two
  decimals, ISO dates, lists joined by ``;``, ``ja``/``nee``, formula-like text prefixed with
  ``'``), quoted like ``csv.writer`` (QUOTE_MINIMAL: a cell with ``"``, ``,``, CR or LF), CRLF;
* JSON: ``json.dumps(row, ensure_ascii=False)`` (``to_json`` escapes the same characters),
  money as ``"1800.00"``, dates as ``"2026-03-20"``, the reason lists as JSON arrays;
* ZGW: the ``Besluit`` object of :func:`fund.exports.zgw.to_besluit`; the last day to object is
  added in Python when the decision does not store it (one computation per sent date and ruleset).

The applicant pseudonym (HMAC with ``FUND_PSEUDONYM_KEY``) stays in Python: the key never goes to
the database. Used on PostgreSQL only (the generic path serves SQLite and Excel);
``tests/exports/test_decision_export_sql.py`` checks both give the same bytes. Rows stream through
a server-side cursor (``yield_per``), so memory does not grow with the number of rows.
"""
from __future__ import annotations

from typing import Any, Iterator

from flask import current_app
from sqlalchemy import literal_column, select, text

from fund.exports.decisions import BATCH, DecisionFilter, decision_query
from fund.exports.pseudonym import applicant_keys
from fund.extensions import db

# Text of a value as the CSV writer's cell function makes it, before quoting.
_NEUTRAL = (  # writers.neutralise_formula: FORMULA_START, unless a plain number
    "CASE WHEN left({x}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') "
    "AND {x} !~ '^[-+]?[0-9]+([.,][0-9]+)*$' THEN '''' || {x} ELSE {x} END"
)


def _csv_quote(x: str) -> str:
    """csv.writer's QUOTE_MINIMAL of a text expression; NULL becomes the empty cell."""
    return (f"CASE WHEN {x} ~ '[\",\r\n]' THEN '\"' || replace({x}, '\"', '\"\"') || '\"' "
            f"ELSE coalesce({x}, '') END")


def _text(column: str) -> str:
    return _csv_quote(_NEUTRAL.format(x=f"q.{column}"))


def _money(column: str) -> str:
    return f"coalesce(q.{column}::text, '')"


def _date(column: str) -> str:
    return f"coalesce(to_char(q.{column}, 'YYYY-MM-DD'), '')"


def _joined(column: str) -> str:
    """``";".join(str(x) for x in list(value or []))`` for a list of codes (texts; most lists
    have at most two). Computed once per row in an inner select: PostgreSQL would otherwise
    evaluate it again for every mention of it in the quoting expressions."""
    c = f"q.{column}"
    return (f"CASE WHEN jsonb_typeof({c}) = 'array' THEN CASE jsonb_array_length({c}) "
            f"WHEN 0 THEN '' WHEN 1 THEN {c} ->> 0 WHEN 2 THEN ({c} ->> 0) || ';' || ({c} ->> 1) "
            f"ELSE array_to_string(ARRAY(SELECT jsonb_array_elements_text({c})), ';') END ELSE '' END")


def _codes(column: str) -> str:
    return _csv_quote(_NEUTRAL.format(x=f"q.{column}_joined"))


def _array(column: str) -> str:
    """``list(value or [])``: a JSON array, or the empty one."""
    return f"CASE WHEN jsonb_typeof(q.{column}) = 'array' THEN q.{column} ELSE '[]'::jsonb END"


CSV_LINE = " || ',' || ".join([
    _text("number"), _text("application_number"), _text("instrument"), _text("kind"),
    _date("decided_on"), _date("sent_on"), _money("amount"), _money("granted_amount"),
    "coalesce(q.paid, 0.00)::text", _money("final_amount"), _text("ruleset_id"),
    _codes("reasons"), _codes("referrals"), "CASE WHEN q.deviates THEN 'ja' ELSE 'nee' END",
    _text("motivation"), _text("officer_name"), _text("second_officer_name"), _text("municipality"),
]) + " || ','"


def _json_text(x: str) -> str:
    return f"coalesce(to_json({x})::text, 'null')"


def _json_quoted(x: str) -> str:
    return f"coalesce('\"' || {x} || '\"', 'null')"


def _json_fields(fields: list[tuple[str, str]]) -> str:
    return "'{' || " + " || ', ' || ".join(f"'\"{key}\": ' || {value}" for key, value in fields)


JSON_LINE = _json_fields([
    ("decision_number", _json_text("q.number")),
    ("application_number", _json_text("q.application_number")),
    ("instrument", _json_text("q.instrument")),
    ("kind", _json_text("q.kind")),
    ("decided_on", _json_quoted("to_char(q.decided_on, 'YYYY-MM-DD')")),
    ("sent_on", _json_quoted("to_char(q.sent_on, 'YYYY-MM-DD')")),
    ("decision_amount", _json_quoted("q.amount::text")),
    ("granted_amount", _json_quoted("q.granted_amount::text")),
    ("paid_amount", "'\"' || coalesce(q.paid, 0.00)::text || '\"'"),
    ("final_amount", _json_quoted("q.final_amount::text")),
    ("ruleset_id", _json_text("q.ruleset_id")),
    ("reasons", f"({_array('reasons')})::text"),
    ("referrals", f"({_array('referrals')})::text"),
    ("deviates", "CASE WHEN q.deviates THEN 'true' ELSE 'false' END"),
    ("motivation", "to_json(coalesce(q.motivation, ''))::text"),
    ("officer", _json_text("q.officer_name")),
    ("second_officer", _json_text("q.second_officer_name")),
    ("municipality", _json_text("q.municipality")),
]) + " || ', \"applicant_key\": \"'"


def _zgw_line() -> str:
    from fund.exports.zgw import TOELICHTING_MAX

    label = "coalesce(CAST(:labels AS jsonb) ->> q.kind, q.kind)"
    text = f"CASE WHEN coalesce(q.motivation, '') <> '' THEN {label} || '. ' || q.motivation ELSE {label} END"
    toelichting = (f"(SELECT CASE WHEN char_length(t) <= {TOELICHTING_MAX} THEN t "
                   f"ELSE left(t, {TOELICHTING_MAX - 1}) || '…' END FROM (SELECT {text} AS t) AS x)")
    return _json_fields([
        ("url", "to_json(CAST(:base AS text) || '/zgw/besluiten/' || coalesce(q.number, 'None'))::text"),
        ("identificatie", _json_text("q.number")),
        ("verantwoordelijkeOrganisatie", _json_text("CAST(:rsin AS text)")),
        ("besluittype", "to_json(CAST(:base AS text) || '/zgw/besluittypen/' || coalesce(q.instrument, 'None') || '-' "
                        "|| coalesce(q.kind, 'None'))::text"),
        ("zaak", "to_json(CAST(:base AS text) || '/zgw/zaken/' || coalesce(q.application_number, 'None'))::text"),
        ("datum", "'\"' || to_char(q.decided_on, 'YYYY-MM-DD') || '\"'"),
        ("toelichting", f"to_json({toelichting})::text"),
        ("bestuursorgaan", _json_text("CAST(:bestuursorgaan AS text)")),
        ("ingangsdatum", "'\"' || to_char(coalesce(q.effective_on, q.decided_on), 'YYYY-MM-DD') || '\"'"),
        ("vervaldatum", _json_quoted("to_char(q.revoked_on, 'YYYY-MM-DD')")),
        ("vervalreden", "CASE WHEN q.revoked_on IS NULL THEN '\"\"' ELSE '\"ingetrokken_belanghebbende\"' END"),
        ("publicatiedatum", "'null'"),
        ("verzenddatum", _json_quoted("to_char(q.sent_on, 'YYYY-MM-DD')")),
    ]) + " || ', \"uiterlijkeReactiedatum\": '"


def _lines(flt: DecisionFilter, line_sql: str, *extra: str, params: dict[str, Any] | None = None):
    """(line, *extra columns) per decision, in the export's order, through a server-side cursor."""
    rows = decision_query(flt).order_by(None).subquery("q")
    # OFFSET 0: PostgreSQL does not fold this select into the outer one, so the joined code lists
    # are computed once per row.
    q = select(rows, *(literal_column(_joined(name)).label(f"{name}_joined") for name in ("reasons", "referrals"))
               ).offset(0).subquery("q")
    line = text(line_sql).bindparams(**params) if params else text(line_sql)
    stmt = select(line, *(q.c[name] for name in extra)).select_from(q).order_by(q.c.decided_on, q.c.id)
    result = db.session.execute(stmt, execution_options={"yield_per": BATCH})
    try:
        yield from result
    finally:
        result.close()


def csv_lines(flt: DecisionFilter) -> Iterator[str]:
    """Each decision as its CSV line (CRLF included), the pseudonym appended."""
    key = applicant_keys(current_app.config["FUND_PSEUDONYM_KEY"])
    for line, applicant_id in _lines(flt, CSV_LINE, "applicant_id"):
        yield line + key(applicant_id) + "\r\n"


def json_objects(flt: DecisionFilter) -> Iterator[str]:
    """Each decision as the JSON object ``json.dumps(row, ensure_ascii=False)`` would write."""
    key = applicant_keys(current_app.config["FUND_PSEUDONYM_KEY"])
    for line, applicant_id in _lines(flt, JSON_LINE, "applicant_id"):
        yield line + key(applicant_id) + '"}'


def zgw_objects(flt: DecisionFilter) -> Iterator[str]:
    """Each decision as its ZGW ``Besluit`` object (as :func:`fund.exports.zgw.to_besluit`)."""
    import json

    from fund.exports.zgw import short_bestuursorgaan
    from fund.letters.context import REMEDY_KINDS
    from fund.letters.dutch import KIND_LABELS
    from fund.workflow.decisions import remedy_deadline

    cfg = current_app.config
    org = cfg["FUND_BESTUURSORGAAN"]
    params = {"base": cfg["FUND_BASE_URL"].rstrip("/"), "rsin": org.rsin,
              "bestuursorgaan": short_bestuursorgaan(org.name),
              "labels": json.dumps(dict(KIND_LABELS), ensure_ascii=False)}
    deadlines: dict[tuple, str] = {}  # (sent, ruleset, instrument): a few hundred at most
    columns = ("bezwaar_deadline", "kind", "sent_on", "decided_on", "ruleset_id", "instrument")
    for line, stored, kind, sent_on, decided_on, ruleset_id, instrument in _lines(
            flt, _zgw_line(), *columns, params=params):
        if stored is not None:
            reactie = f'"{stored.isoformat()}"'
        elif kind in REMEDY_KINDS:
            sent = sent_on or decided_on
            memo = (sent, ruleset_id, instrument)
            reactie = deadlines.get(memo)
            if reactie is None:
                day = remedy_deadline(sent, ruleset_id=ruleset_id, instrument=instrument, on=sent)
                reactie = deadlines[memo] = f'"{day.isoformat()}"'
        else:
            reactie = "null"
        yield line + reactie + "}"


def supported() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


__all__ = ["CSV_LINE", "JSON_LINE", "csv_lines", "json_objects", "supported", "zgw_objects"]

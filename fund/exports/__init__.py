"""Auditor exports: decisions (CSV, Excel, JSON, ZGW Besluit) and the audit trail.

Everything streams: rows come from the database in batches (server-side cursor on
PostgreSQL) and leave as chunks, so 100,000 decisions take the same memory as 100.
Applicants appear only as a keyed hash (:mod:`fund.exports.pseudonym`); never BSN, name,
address or IBAN.
"""

"""Pages at a million applications: the auditor dashboard, /healthz while reports run, and the
officer queue and review pages at 8 users, measured with ``wrk`` against gunicorn on PostgreSQL.

    nice -n 10 .venv/bin/python bench/pages_bench.py --applications 1000000 --duration 20

1. A throwaway PostgreSQL cluster (``bench/pg.py``; or a scratch database under ``DATABASE_URL``),
   migrated with the project's migrations.
2. Filled set-wise in SQL (``generate_series``, one ``INSERT … SELECT`` per table, never the ORM
   per row): inwoners, werkgevers with their organisations, N applications over every status,
   instrument and werkgebied gemeente with facts and the stored rule evaluation of realistic size
   (the real rules' output for the instrument), decisions for the decided ones (a vaststelling
   too where one is due), documents, payments, outcomes, budgets and several audit events per
   application. Numbers are ``lpad``-ded ids, so they are unique at any N. Then VACUUM ANALYZE
   (what autovacuum does in production).
3. gunicorn with the project's ``gunicorn.conf.py`` (2 workers, gthread), logged in as auditor and
   as officer through the real login form; the session cookie goes to ``wrk`` as a header.
4. wrk runs, each beside a baseline from the same run: a static file and ``/healthz`` alone
   (what the server costs without the page's own work), and the page's main SQL with
   ``EXPLAIN ANALYZE``. Latencies come from wrk's own histogram (p50/p95/p99); every response
   must be 200, otherwise the run is reported as failed.

Everything it creates (cluster or database, gunicorn, the instance folder) is removed at the end,
also on Ctrl-C. What it leaves out is printed at the end (see ``LEFT_OUT``).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pg import scratch_database  # noqa: E402

PASSWORD = "bench-Wachtwoord-2026!"
OFFICERS = 6
# A fund some years in: most cases are closed (weights in percent of all applications).
STATUSES = {
    "ingediend": 4, "in_behandeling": 8, "herstel": 2, "besluit_voorgesteld": 1, "verleend": 5,
    "afgewezen": 8, "doorverwezen": 6, "buiten_behandeling": 2, "ingetrokken": 2, "uitbetaald": 12,
    "uitkomst_gemeld": 3, "vastgesteld": 5, "gesloten": 41, "bezwaar": 1,
}
OPEN = ("ingediend", "in_behandeling", "herstel", "besluit_voorgesteld", "uitkomst_gemeld", "bezwaar")
GRANTED = ("verleend", "uitbetaald", "uitkomst_gemeld", "vastgesteld", "gesloten", "bezwaar")
MUNICIPALITIES = ["GM1680", "GM1681", "GM0109", "GM1690", "GM0114", "GM0118", "GM1731"]
LEFT_OUT = """\
What this benchmark leaves out:
- one machine for wrk, gunicorn and PostgreSQL (2 shared cores): they compete for CPU, so the
  figures are upper bounds for a server with its own cores; the baselines share that handicap;
- no TLS, no reverse proxy; sessions and rate limits in the database (in Redis for the second (b));
- decision letters (letter_pdf) are not stored: the rows have no PDF bytes (see docs);
- document files are rows only (no files on disk; the review page lists them, the preview is
  not requested);
- (b) runs twice: the quarterly PDF made in the request (no Redis, the worst case) and made by
  an RQ worker process (Redis, the production set-up); the Excel is made in the request both times;
- wrk reuses 8 keep-alive connections; no think time, so 8 users here ask far more than 8 staff do."""


# -- the data ------------------------------------------------------------------------------------

def _templates() -> dict[str, tuple[dict, dict]]:
    """Per instrument a facts document and the stored evaluation the real rules give for it."""
    from fund.rules import load_rulebook

    start, end = "2026-04-01", "2026-12-31"
    facts = {
        "llo": {
            "instrument": "llo", "application": {"date": "2026-03-02"},
            "applicant": {"birth_date": "1980-05-10", "municipality": "GM0114", "employment_status": "employed",
                          "has_startkwalificatie": True, "statushouder": False, "inburgeringsplichtig": False,
                          "banenafspraak_indicatie": False},
            "training": {"provider_kind": "mbo", "kind": "certificaat", "sector": "zorg_welzijn",
                         "full_time": False, "start_date": start, "end_date": end, "cost": "1800.00"},
            "funding": {"coverage": "none", "other_amount": "0", "uwv_declined": False},
            "history": {"llo_granted_last_12_months": 0},
        },
        "voucher": {
            "instrument": "voucher", "application": {"date": "2026-03-02"},
            "employer": {"kvk_number": "12345678", "municipality": "GM0114", "employees": 40,
                         "annual_turnover": "5000000.00", "de_minimis_received_3y": "0.00"},
            "activity": {"kind": "scholing", "provider_kind": "mbo", "legally_required": False,
                         "participants": 4, "start_date": start, "end_date": end, "cost": "3000.00"},
            "funding": {"coverage": "none", "other_amount": "0"},
        },
        "praktijkverklaring": {
            "instrument": "praktijkverklaring", "application": {"date": "2026-03-02", "applicant_kind": "person"},
            "candidate": {"birth_date": "1990-02-14", "municipality": "GM0118", "employment_status": "jobseeker",
                          "has_startkwalificatie": False, "statushouder": False, "banenafspraak_indicatie": False},
            "leerbedrijf": {"sbb_erkend": True, "name": "Zorggroep Zuidoost-Drenthe"},
            "traject": {"mbo_instelling": "Drenthe College", "crebo": "25491",
                        "werkprocessen": ["B1-K1-W1", "B1-K1-W2"], "start_date": start, "end_date": end},
            "funding": {"uwv_declined": False, "gemeente_declined": False},
        },
    }
    book = load_rulebook()
    out = {}
    for instrument, doc in facts.items():
        try:
            result = book.evaluate(doc)
        except Exception as exc:  # noqa: BLE001 - a changed rulebook: say which document broke
            raise SystemExit(f"the {instrument} facts of the benchmark no longer validate: {exc}") from exc
        out[instrument] = (doc, json.loads(json.dumps(result, default=str)))
    return out


def _case(expr: str, weights: dict[str, float]) -> str:
    """SQL CASE that maps a uniform [0,1) value ``expr`` onto the keys by their weights."""
    total = sum(weights.values())
    parts, acc = [], 0.0
    items = list(weights.items())
    for key, w in items[:-1]:
        acc += w / total
        parts.append(f"WHEN {expr} < {acc:.6f} THEN '{key}'")
    return f"CASE {' '.join(parts)} ELSE '{items[-1][0]}' END"


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def fill(conn, n: int, events_per_app: int, seed: float, log) -> dict:
    """Fill the migrated database with n applications and related rows; returns a few ids."""
    cur = conn.cursor()

    def run(label: str, sql: str, params=None):
        t0 = time.perf_counter()
        cur.execute(sql, params)
        conn.commit()
        log(f"  {label}: {cur.rowcount if cur.rowcount >= 0 else ''} rows, {time.perf_counter() - t0:.1f} s")

    cur.execute("SELECT setseed(%s)", (seed,))
    inwoners = max(100, n * 2 // 5)
    orgs = max(50, n // 50)
    templates = _templates()
    run("organisations", f"""
        INSERT INTO organisations (name, kvk_number, municipality, employees, annual_turnover, sbb_erkend,
                                   created_at, street, house_number, postcode, city)
        SELECT 'Bedrijf ' || g || ' B.V.', lpad((10000000 + g)::text, 8, '0'),
               (ARRAY{MUNICIPALITIES!r})[1 + g % {len(MUNICIPALITIES)}], 5 + g % 300, 250000 + (g % 97) * 50000,
               g % 3 = 0, now() - interval '3 years', 'Industrieweg', (1 + g % 200)::text, '7811 AB', 'EMMEN'
        FROM generate_series(1, {orgs}) g""")
    run("inwoners and werkgevers", f"""
        INSERT INTO users (email, name, password_hash, role, organisation_id, bsn, email_verified, daily_summary,
                           active, session_epoch, created_at, bsn_from_digid, street, house_number, postcode, city)
        SELECT 'inwoner' || g || '@bench.example', 'Inwoner ' || g, 'x', 'inwoner', NULL,
               lpad(g::text, 9, '0'), true, false, true, 0, now() - interval '2 years', true,
               'Hoofdstraat', (1 + g % 300)::text, '7811 AB', 'EMMEN'
        FROM generate_series(1, {inwoners}) g
        UNION ALL
        SELECT 'werkgever' || o.id || '@bench.example', 'Werkgever ' || o.id, 'x', 'werkgever', o.id,
               NULL, true, false, true, 0, now() - interval '2 years', false, NULL, NULL, NULL, NULL
        FROM organisations o""")
    cur.execute("SELECT min(id), max(id) FROM users WHERE role = 'inwoner'")
    first_inwoner, _ = cur.fetchone()
    cur.execute("SELECT min(id) FROM users WHERE role = 'werkgever'")
    first_werkgever = cur.fetchone()[0]
    cur.execute("SELECT min(id) FROM organisations")
    first_org = cur.fetchone()[0]
    cur.execute("SELECT id FROM users WHERE role = 'officer' ORDER BY id")
    officers = [r[0] for r in cur.fetchall()]

    # One row per application with its random choices, so the applications and their related
    # rows agree with each other (status, dates, amounts).
    status = _case("r_status", STATUSES)
    instrument = _case("r_inst", {"llo": 50, "voucher": 25, "praktijkverklaring": 25})
    run("plan", f"""
        CREATE UNLOGGED TABLE bench_plan AS
        SELECT g AS id, s.status, s.instrument,
               CASE WHEN s.status IN {_in(OPEN)} THEN s.r_day * 60 ELSE 60 + s.r_day * 270 END AS age,
               s.r_muni, s.r_cost, s.r_who, s.r_kind, s.r_officer
        FROM generate_series(1, {n}) g,
             LATERAL (SELECT {status} AS status, {instrument} AS instrument, r_day, r_muni, r_cost, r_who,
                             r_kind, r_officer
                      FROM (SELECT random() AS r_status, random() AS r_inst, random() AS r_day,
                                   random() AS r_muni, random() AS r_cost, random() AS r_who,
                                   random() AS r_kind, random() AS r_officer, g AS keep) x) s""")
    tpl = {i: json.dumps(t[0]) for i, t in templates.items()}
    res = {i: json.dumps(t[1]) for i, t in templates.items()}
    officers_sql = "ARRAY[" + ",".join(map(str, officers)) + "]"
    # llo: training.kind; voucher: activity.kind (what the targets count by)
    llo_kind = "(ARRAY['certificaat','diploma','skills','praktijkverklaring'])[1 + floor(p.r_kind * 4)::int]"
    voucher_kind = "(CASE WHEN p.r_kind < 0.7 THEN 'scholing' ELSE 'advies' END)"
    run("applications", f"""
        INSERT INTO applications (id, number, instrument, status, applicant_id, organisation_id,
            assigned_officer_id, facts, municipality, title, iban, created_at, updated_at, received_at,
            complete_at, tijdvak, received_on, report_kind, ruleset_id, eligibility_outcome,
            eligibility_result, computed_amount, priority_group, evaluated_at, granted_amount, final_amount,
            decision_deadline, deadline_extended, version)
        SELECT p.id, 'DOF-2026-' || lpad(p.id::text, 7, '0'), p.instrument, p.status,
               CASE WHEN p.instrument = 'voucher' OR (p.instrument = 'praktijkverklaring' AND p.r_who < 0.5)
                    THEN {first_werkgever} + mod(p.id, {orgs})
                    ELSE {first_inwoner} + mod(p.id, {inwoners}) END,
               CASE WHEN p.instrument = 'voucher' OR (p.instrument = 'praktijkverklaring' AND p.r_who < 0.5)
                    THEN {first_org} + mod(p.id, {orgs}) END,
               CASE WHEN p.status NOT IN ('ingediend') THEN ({officers_sql})[1 + mod(p.id, {len(officers)})] END,
               CASE p.instrument
                 WHEN 'llo' THEN jsonb_set(jsonb_set(jsonb_set(%(llo)s::jsonb,
                      '{{training,cost}}', to_jsonb((300 + floor(p.r_cost * 4000))::text || '.00')),
                      '{{training,kind}}', to_jsonb({llo_kind})),
                      '{{application,date}}', to_jsonb(to_char(d.day, 'YYYY-MM-DD')))
                 WHEN 'voucher' THEN jsonb_set(jsonb_set(jsonb_set(%(voucher)s::jsonb,
                      '{{activity,cost}}', to_jsonb((500 + floor(p.r_cost * 9000))::text || '.00')),
                      '{{activity,kind}}', to_jsonb({voucher_kind})),
                      '{{application,date}}', to_jsonb(to_char(d.day, 'YYYY-MM-DD')))
                 ELSE jsonb_set(%(praktijkverklaring)s::jsonb,
                      '{{application,date}}', to_jsonb(to_char(d.day, 'YYYY-MM-DD'))) END,
               (ARRAY{MUNICIPALITIES!r})[1 + floor(p.r_muni * {len(MUNICIPALITIES)})::int],
               'Traject ' || p.id, 'NL91ABNA0417164300', d.at, d.at, d.at, d.at, 2026, d.day,
               CASE p.instrument WHEN 'llo' THEN {llo_kind} WHEN 'voucher' THEN {voucher_kind} END,
               p.instrument || '-2026',
               CASE p.status WHEN 'afgewezen' THEN 'ineligible' WHEN 'doorverwezen' THEN 'referred' ELSE 'eligible' END,
               CASE p.instrument WHEN 'llo' THEN %(r_llo)s::jsonb WHEN 'voucher' THEN %(r_voucher)s::jsonb
                    ELSE %(r_praktijkverklaring)s::jsonb END,
               300 + floor(p.r_cost * 2200), p.r_who < 0.2, d.at,
               CASE WHEN p.status IN {_in(GRANTED)} THEN 300 + floor(p.r_cost * 2200) END,
               CASE WHEN p.status IN ('vastgesteld', 'gesloten') THEN 300 + floor(p.r_cost * 2000) END,
               d.day + 56, false, 1
        FROM bench_plan p,
             LATERAL (SELECT (timestamp '2026-11-28 12:00' - p.age * interval '1 day') AT TIME ZONE 'UTC' AS at,
                             (timestamp '2026-11-28 12:00' - p.age * interval '1 day')::date AS day) d
        ORDER BY p.id""",
        {**tpl, **{f"r_{i}": r for i, r in res.items()}})
    cur.execute("SELECT setval('applications_id_seq', %s)", (n,))
    motivation = ("Uw aanvraag voldoet aan de voorwaarden van de regeling. " * 6).strip()
    run("decisions", f"""
        INSERT INTO decisions (number, application_id, kind, decided_on, sent_on, effective_on, amount,
            motivation, reasons, referrals, ruleset_id, legal_basis, deviates, officer_id, bezwaar_deadline,
            created_at)
        SELECT 'BES-2026-' || lpad(a.id::text, 7, '0'), a.id,
               CASE a.status WHEN 'afgewezen' THEN 'afwijzing' WHEN 'doorverwezen' THEN 'doorverwijzing'
                             WHEN 'buiten_behandeling' THEN 'buiten_behandeling' ELSE 'verlening' END,
               a.received_on + 30, a.received_on + 30, a.received_on + 30, a.granted_amount,
               %(motivation)s,
               CASE a.status WHEN 'afgewezen' THEN '["LEEFTIJD", "STARTKWALIFICATIE"]'::jsonb ELSE '[]'::jsonb END,
               CASE a.status WHEN 'doorverwezen' THEN '["UWV_SCHOLINGSBUDGET"]'::jsonb ELSE '[]'::jsonb END,
               a.ruleset_id, 'Regeling Drents ontwikkelfonds 2026, artikelen 2 en 4; Awb titel 4.2',
               false, a.assigned_officer_id, a.received_on + 72, a.received_at + interval '30 days'
        FROM applications a
        WHERE a.status IN {_in(GRANTED + ('afgewezen', 'doorverwezen', 'buiten_behandeling'))}
        UNION ALL
        SELECT 'BES-2026-' || lpad(({n} + a.id)::text, 7, '0'), a.id, 'vaststelling', a.received_on + 200,
               a.received_on + 200, a.received_on + 200, a.final_amount, %(motivation)s, '[]'::jsonb,
               '[]'::jsonb, a.ruleset_id, 'Regeling Drents ontwikkelfonds 2026, artikel 9', false,
               a.assigned_officer_id, a.received_on + 242, a.received_at + interval '200 days'
        FROM applications a WHERE a.status IN ('vastgesteld', 'gesloten') AND a.final_amount IS NOT NULL""",
        {"motivation": motivation})
    run("documents", """
        INSERT INTO documents (application_id, kind, filename, content_type, size, sha256, uploaded_by_id, uploaded_at)
        SELECT a.id, k.kind, k.kind || '-' || a.id || '.pdf', 'application/pdf', 180000 + a.id % 50000,
               md5(a.id::text || k.kind) || md5(k.kind || a.id::text), a.applicant_id, a.received_at
        FROM applications a
        CROSS JOIN LATERAL (VALUES ('offerte'), ('bewijs')) k(kind)
        WHERE k.kind = 'offerte' OR a.id % 2 = 0""")
    run("payments", f"""
        INSERT INTO payments (application_id, decision_id, kind, amount, status, idempotency_key, proposed_by_id,
                              approved_by_id, created_at, approved_at, paid_at)
        SELECT a.id, d.id, 'voorschot', a.granted_amount, 'betaald', 'bench-' || a.id, d.officer_id, d.officer_id,
               d.created_at, d.created_at, d.created_at + interval '5 days'
        FROM applications a JOIN decisions d ON d.application_id = a.id AND d.kind = 'verlening'
        WHERE a.status IN ('uitbetaald', 'uitkomst_gemeld', 'vastgesteld', 'gesloten')""")
    results = list(__import__("fund.letters.dutch", fromlist=["OUTCOME_LABELS"]).OUTCOME_LABELS)
    run("outcomes", f"""
        INSERT INTO outcomes (application_id, result, incurred_costs, reported_at, reported_by_id, followup_due,
                              employed_after_6_months, followup_recorded_at)
        SELECT a.id, (ARRAY{results!r})[1 + a.id % {len(results)}], a.granted_amount,
               a.received_at + interval '150 days', a.applicant_id, a.received_on + 330,
               CASE WHEN a.id % 3 = 0 THEN NULL ELSE a.id % 3 = 1 END,
               CASE WHEN a.id % 3 = 0 THEN NULL ELSE a.received_at + interval '330 days' END
        FROM applications a
        WHERE a.status IN ('uitkomst_gemeld', 'vastgesteld', 'gesloten') AND a.granted_amount IS NOT NULL""")
    run("budgets", """
        INSERT INTO budgets (instrument, tijdvak, ceiling, committed, paid, updated_at)
        SELECT a.instrument, a.tijdvak, 2 * sum(coalesce(a.final_amount, a.granted_amount, 0)) + 1000000,
               sum(coalesce(a.final_amount, a.granted_amount, 0)),
               (SELECT coalesce(sum(p.amount), 0) FROM payments p JOIN applications b ON b.id = p.application_id
                WHERE b.instrument = a.instrument AND b.tijdvak = a.tijdvak), now()
        FROM applications a GROUP BY a.instrument, a.tijdvak""")
    # Audit events: several per application, in the order they happened; the chain's hashes are
    # stand-ins (unique, not verifiable: nothing here checks the chain).
    events = ["application_submitted", "eligibility_checked", "officer_assigned", "documents_checked",
              "decision_made", "letter_sent", "payment_made", "note_added"][:max(1, events_per_app)]
    run("audit events", f"""
        INSERT INTO audit_events (seq, occurred_at, actor_id, actor_role, application_id, entity_type, entity_id,
                                  event, from_state, to_state, reason, data, prev_hash, hash)
        SELECT s.seq, a.received_at + s.k * interval '3 days', a.applicant_id, 'inwoner', a.id, 'application',
               a.id, (ARRAY{events!r})[s.k], NULL, CASE WHEN s.k = 1 THEN 'ingediend' END, NULL,
               jsonb_build_object('number', a.number, 'step', s.k),
               CASE WHEN s.seq = 1 THEN repeat('0', 64) ELSE md5((s.seq - 1)::text) || md5('h' || (s.seq - 1)) END,
               md5(s.seq::text) || md5('h' || s.seq)
        FROM applications a
        CROSS JOIN LATERAL (SELECT k, (a.id - 1) * {len(events)} + k AS seq
                            FROM generate_series(1, {len(events)}) k) s""")
    run("drop plan", "DROP TABLE bench_plan")
    cur.execute("SELECT id FROM applications WHERE status IN ('in_behandeling', 'besluit_voorgesteld', 'bezwaar', "
                "'uitkomst_gemeld', 'herstel') ORDER BY id LIMIT 40")
    review_ids = [r[0] for r in cur.fetchall()]
    return {"review_ids": review_ids}


def vacuum_analyze(url: str) -> float:
    import psycopg

    t0 = time.perf_counter()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - t0


# -- the server ----------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def redis_and_worker(url: str, instance: str):
    """A throwaway redis-server (no persistence) and one RQ worker (``fund worker``), as in
    production: background jobs then run in their own process."""
    port = _free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    redis_url = f"redis://127.0.0.1:{port}/0"
    env = {**os.environ, **_app_env(url, instance), "FUND_REDIS_URL": redis_url}
    log = open(Path(instance) / "worker.log", "w")
    worker = subprocess.Popen([str(Path(sys.executable).parent / "fund"), "worker"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        time.sleep(1)
        yield redis_url
    finally:
        for proc in (worker, redis):
            _stop(proc)
        log.close()


def _stop(proc) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _app_env(url: str, instance: str) -> dict:
    return {"DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 40, "FUND_ENV": "development",
            "FUND_INSTANCE_PATH": instance, "FUND_LETTERS": "0", "FUND_PSEUDONYM_KEY": "bench",
            "FUND_STAFF_TOTP": "0", "FUND_DASHBOARD_MAX_AGE_SECONDS": "300", "FUND_TRUSTED_PROXIES": "1"}


@contextmanager
def gunicorn(url: str, instance: str, workers: int, redis_url: str | None = None):
    port = _free_port()
    env = {**os.environ, **_app_env(url, instance), "FUND_WEB_WORKERS": str(workers)}
    env.pop("FUND_REDIS_URL", None)
    env.pop("REDIS_URL", None)
    if redis_url:
        env["FUND_REDIS_URL"] = redis_url
    log = open(Path(instance) / "gunicorn.log", "a")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
                             "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        import requests

        while True:
            if proc.poll() is not None:
                raise SystemExit("gunicorn stopped:\n" + (Path(instance) / "gunicorn.log").read_text()[-2000:])
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer /healthz within 120 s")
            time.sleep(0.5)
        yield base, proc
    finally:
        _stop(proc)
        log.close()


_CLIENTS = iter(range(1, 250))


def login(base: str, email: str) -> str:
    """Log in through the real form; return the Cookie header value for wrk. Each login comes
    from its own client address (X-Forwarded-For, believed with FUND_TRUSTED_PROXIES=1), as 8
    staff at 8 desks: the login limit (10 a minute per address) stays on."""
    import requests

    s = requests.Session()
    s.headers["X-Forwarded-For"] = f"10.0.0.{next(_CLIENTS)}"
    page = s.get(base + "/auth/login", timeout=30).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    resp = s.post(base + "/auth/login", data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
                  allow_redirects=False, timeout=30)
    assert resp.status_code == 302 and "/auth/login" not in resp.headers.get("Location", ""), \
        (email, resp.status_code, resp.headers.get("Location"))
    return "; ".join(f"{c.name}={c.value}" for c in s.cookies)


# -- wrk -----------------------------------------------------------------------------------------

LUA = """
paths = {%(paths)s}
cookies = {%(cookies)s}
local threads = {}
local counter = 0
local bad = 0
function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end
function init(args)
  counter = offset or 0
end
function request()
  counter = counter + 1
  if #cookies == 0 then return wrk.format("GET", paths[(counter %% #paths) + 1]) end
  return wrk.format("GET", paths[(counter %% #paths) + 1], {Cookie = cookies[(counter %% #cookies) + 1]})
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local notok = 0
  for _, t in ipairs(threads) do notok = notok + (t:get("bad") or 0) end
  io.write(string.format('WRKJSON {"requests": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "p99": %%f, '
    .. '"max": %%f, "not_200": %%d, "errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, notok,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def wrk(base: str, paths: list[str], cookie: str | list[str] | None, *, connections: int, threads: int,
        seconds: int, workdir: str) -> dict:
    """One wrk run over ``paths`` (round-robin); ``cookie`` one session for all requests, or a
    list: one session per user, taken in turn (8 users are 8 sessions, each its own row)."""
    cookies = [cookie] if isinstance(cookie, str) else list(cookie or [])
    script = Path(workdir) / f"wrk-{abs(hash((tuple(paths), tuple(cookies))))}.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in paths),
                             "cookies": ", ".join(json.dumps(c) for c in cookies)})
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script)]
    out = subprocess.run(cmd + [base + paths[0]], capture_output=True, text=True, timeout=seconds + 120)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk failed: {out.stdout}\n{out.stderr}")
    result = json.loads(line[len("WRKJSON "):])
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0
    return result


def fmt(label: str, r: dict) -> str:
    ok = "" if r["not_200"] == 0 and r["errors"] == 0 else f" **{r['not_200']} not 200, {r['errors']} errors**"
    return (f"| {label} | {r['requests']:,} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
            f"{r['max']:.0f} |{ok}")


HEADER = "| what | requests | req/s | p50 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|---:|"


# -- SQL baselines -------------------------------------------------------------------------------

def explain(url: str, sql: str, params=None) -> tuple[float, str]:
    """Execution time (ms) of the best of 3 EXPLAIN ANALYZE runs, and that plan."""
    import psycopg

    best, plan = None, ""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        for _ in range(3):
            rows = conn.execute("EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) " + sql, params).fetchall()
            text = "\n".join(r[0] for r in rows)
            ms = float(re.search(r"Execution Time: ([\d.]+) ms", text).group(1))
            if best is None or ms < best:
                best, plan = ms, text
    return best, plan


def dashboard_sql(app) -> list[tuple[str, str]]:
    """Every statement the dashboard sends, compiled for PostgreSQL with its values written in."""
    from sqlalchemy import event
    from sqlalchemy.dialects import postgresql

    from fund.extensions import db
    from fund.reports.dashboard import build

    seen: list[tuple[str, str]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            build()
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
    del postgresql
    return seen


# -- the runs ------------------------------------------------------------------------------------

def heavy_requests(base: str, cookie: str, instance: str, stop: threading.Event, counts: dict, which: str):
    """A loop of heavy report requests until ``stop``: the quarterly PDF (its cached file removed
    first, so it is made again in the request) or the quarterly Excel."""
    import requests

    s = requests.Session()
    s.headers["Cookie"] = cookie
    quarters = ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    i = 0
    while not stop.is_set():
        q = quarters[i % len(quarters)]
        i += 1
        if which == "pdf":
            for f in (Path(instance) / "kwartaalrapportages").glob("*.pdf"):
                f.unlink(missing_ok=True)
        t0 = time.perf_counter()
        r = s.get(f"{base}/verantwoording/kwartaalrapportage", params={"kwartaal": q, "formaat": which},
                  timeout=300, allow_redirects=False)
        if which == "pdf" and r.status_code == 302:  # queued: wait until the worker has made it
            target = Path(instance) / "kwartaalrapportages" / f"kwartaalrapportage_{q}.pdf"
            while not target.exists() and not stop.is_set() and time.perf_counter() - t0 < 300:
                time.sleep(0.1)
        counts.setdefault(which, []).append((r.status_code, time.perf_counter() - t0, len(r.content)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=4, help="audit events per application (1-8)")
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=float, default=0.2026)
    parser.add_argument("--only", default="dashboard,healthz,queue", help="which runs (comma-separated)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    only = set(args.only.split(","))
    instance = tempfile.mkdtemp(prefix="fund-pages-bench-")
    say = lambda msg: print(msg, flush=True)  # noqa: E731
    try:
        with scratch_database() as url:
            run(url, instance, args, only, say)
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    say("\n" + LEFT_OUT)
    say("Removed: the scratch database or throwaway cluster, gunicorn and its workers, the instance folder.")


def run(url: str, instance: str, args, only: set, say) -> None:
    import psycopg
    from flask_migrate import upgrade

    from fund.accounts import create_user
    from fund.app import create_app
    from fund.extensions import db

    pg_url = url.replace("postgresql+psycopg://", "postgresql://")
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench",
                      "FUND_LETTERS": False})
    with app.app_context():
        upgrade()
        for i in range(OFFICERS):
            create_user(f"officer{i}@bench.example", f"Behandelaar {i}", PASSWORD, "officer")
        create_user("auditor@bench.example", "Auditor", PASSWORD, "auditor")
        create_user("supervisor@bench.example", "Teamleider", PASSWORD, "supervisor")
        db.session.commit()
    say(f"Filling {args.applications:,} applications ({args.events} audit events each):")
    t0 = time.perf_counter()
    with psycopg.connect(pg_url) as conn:
        info = fill(conn, args.applications, args.events, args.seed, say)
        sizes = conn.execute(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE n_live_tup > 0 ORDER BY n_live_tup DESC"
        ).fetchall()
    say(f"  vacuum analyze: {vacuum_analyze(url):.1f} s; filled in {time.perf_counter() - t0:.0f} s")
    with psycopg.connect(pg_url) as conn:
        sizes = conn.execute("SELECT c.relname, c.reltuples::bigint, pg_size_pretty(pg_total_relation_size(c.oid)) "
                             "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.reltuples > 0 "
                             "ORDER BY c.reltuples DESC").fetchall()
    say("Rows: " + ", ".join(f"{name} {rows:,} ({size})" for name, rows, size in sizes))

    with gunicorn(url, instance, args.workers) as (base, _proc):
        auditor = login(base, "auditor@bench.example")
        officer = login(base, "officer0@bench.example")
        d = args.duration
        say(f"\ngunicorn {args.workers} workers (gunicorn.conf.py) at {base}; wrk {d} s per run; "
            f"load average before: {os.getloadavg()[0]:.1f}\n")

        if "dashboard" in only:
            say("(a) Auditor dashboard, wrk -t2 -c2")
            t0 = time.perf_counter()
            check_page(base, auditor, "/verantwoording/dashboard")
            say(f"  first request, which computes the snapshot (FUND_DASHBOARD_MAX_AGE_SECONDS=300): "
                f"{(time.perf_counter() - t0) * 1000:.0f} ms")
            say(HEADER)
            say(fmt("static file (baseline)", wrk(base, ["/static/css/fund.css"], None, connections=2, threads=2,
                                                   seconds=d, workdir=instance)))
            say(fmt("/healthz (baseline)", wrk(base, ["/healthz"], None, connections=2, threads=2, seconds=d,
                                               workdir=instance)))
            auditors = [auditor, login(base, "auditor@bench.example")]  # two users, two sessions
            say(fmt("/verantwoording/dashboard", wrk(base, ["/verantwoording/dashboard"], auditors, connections=2,
                                                     threads=2, seconds=d, workdir=instance)))
            total = 0.0
            say("\nIts SQL, each statement's EXPLAIN ANALYZE (best of 3):")
            for statement, params in dashboard_sql(app):
                ms, plan = explain(url, statement, params)
                total += ms
                top = plan.splitlines()[0].strip()
                say(f"- {ms:7.2f} ms  {' '.join(statement.split())[:110]}  [{top[:70]}]")
            say(f"  sum of the dashboard's SQL: {total:.1f} ms")

        if "healthz" in only:
            healthz_during_reports(base, auditor, instance, d, say, "the PDF made in the request (no Redis)")
        if "queue" in only:
            say("\n(c) Officer queue and review pages, 8 users: wrk -t2 -c8")
            queue_paths = ["/behandeling/", "/behandeling/?instrument=llo", "/behandeling/?status=in_behandeling",
                           "/behandeling/?status=gesloten", "/behandeling/?municipality=GM0114",
                           "/behandeling/?termijn=verlopen", "/behandeling/?toegewezen=niemand&sort=nieuw",
                           "/behandeling/?zoek=DOF-2026-00012"]
            deep = deep_cursor(pg_url)
            if deep:
                queue_paths.append(deep)
            review_paths = [f"/behandeling/{i}" for i in info["review_ids"]]
            officer = [login(base, f"officer{i % OFFICERS}@bench.example") for i in range(8)]  # 8 users
            for p in queue_paths + review_paths[:3]:
                check_page(base, officer[0], p)
            say(HEADER)
            say(fmt("/healthz (baseline)", wrk(base, ["/healthz"], None, connections=8, threads=2, seconds=d,
                                               workdir=instance)))
            say(fmt(f"queue: {len(queue_paths)} views round-robin", wrk(base, queue_paths, officer, connections=8,
                                                                        threads=2, seconds=d, workdir=instance)))
            say(fmt(f"review pages of {len(review_paths)} applications", wrk(
                base, review_paths, officer, connections=8, threads=2, seconds=d, workdir=instance)))
            say(fmt("queue and review mixed", wrk(base, queue_paths + review_paths[:len(queue_paths)], officer,
                                                  connections=8, threads=2, seconds=d, workdir=instance)))
            say("  queue views: " + ", ".join(queue_paths))
            ms, plan = explain(url, "SELECT id FROM applications WHERE status IN %s AND decision_deadline IS NOT NULL "
                               "ORDER BY decision_deadline, id LIMIT 51" % _in(OPEN))
            say(f"  default view's main query: {ms:.2f} ms; plan: {plan.splitlines()[1].strip()[:90]}")
        say(f"\nload average after: {os.getloadavg()[0]:.1f}")
        glog = (Path(instance) / "gunicorn.log").read_text()
        say(f"gunicorn: {glog.count('Autorestarting worker')} worker restarts (max_requests), "
            f"{glog.count('WORKER TIMEOUT')} worker timeouts, {glog.count('Traceback')} tracebacks")
    if "healthz" in only and shutil.which("redis-server"):
        with redis_and_worker(url, instance) as redis_url, \
                gunicorn(url, instance, args.workers, redis_url) as (base, _proc):
            auditor = login(base, "auditor@bench.example")
            healthz_during_reports(base, auditor, instance, args.duration, say,
                                   "made by an RQ worker process (Redis), the production set-up")
    with app.app_context():
        db.engine.dispose()


def healthz_during_reports(base: str, auditor: str, instance: str, d: int, say, how: str) -> None:
    say(f"\n(b) /healthz while 2 heavy report requests run (quarterly PDF, {how}; quarterly Excel), wrk -t2 -c4")
    say(HEADER)
    say(fmt("/healthz alone (baseline)", wrk(base, ["/healthz"], None, connections=4, threads=2, seconds=d,
                                             workdir=instance)))
    stop, counts = threading.Event(), {}
    loops = [threading.Thread(target=heavy_requests, args=(base, auditor, instance, stop, counts, which))
             for which in ("pdf", "xlsx")]
    for t in loops:
        t.start()
    time.sleep(2)
    try:
        say(fmt("/healthz during reports", wrk(base, ["/healthz"], None, connections=4, threads=2, seconds=d,
                                                workdir=instance)))
    finally:
        stop.set()
        for t in loops:
            t.join()
    for which, done in counts.items():
        times = sorted(s for _, s, _ in done)
        codes = sorted({c for c, _, _ in done})
        say(f"  heavy {which}: {len(done)} requests, status {codes}, {min(times):.1f}-{max(times):.1f} s each")


def deep_cursor(pg_url: str) -> str | None:
    """The address "Volgende pagina" carries on page 200 of the closed files (keyset cursor)."""
    import psycopg

    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SELECT decision_deadline, id FROM applications WHERE status = 'gesloten' "
                           "ORDER BY decision_deadline, id OFFSET 199 * 50 - 1 LIMIT 1").fetchone()
    return f"/behandeling/?status=gesloten&pagina=200&na={row[0].isoformat()}_{row[1]}" if row else None


def check_page(base: str, cookie: str, path: str) -> None:
    import requests

    r = requests.get(base + path, headers={"Cookie": cookie}, allow_redirects=False, timeout=60)
    if r.status_code != 200:
        raise SystemExit(f"{path}: status {r.status_code} ({r.headers.get('Location', '')})")


if __name__ == "__main__":
    main()

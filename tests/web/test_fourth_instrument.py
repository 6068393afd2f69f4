"""The proof that a regeling is a folder: a fourth instrument written only as YAML.

The test copies ``rules/`` to a temporary folder, adds ``loopbaanadvies`` (an inwoner asks
€ 500-1.500 for career advice from a registered adviser) as three YAML files, points
``FUND_RULES_DIR`` at the copy and walks it through the web: check page, new application, steps,
documents, submit, grant, letter, voorschot, the reported result (its own option, labelled in its
form.yaml), vaststelling letter, export and dashboard. No Python is changed or patched.
"""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Application, Decision
from fund.rules import load_rulebook
from fund.rules.rulebook import clear_cache
from tests.conftest import make_app
from tests.web.helpers import PDF, future, login

RULES = Path(__file__).resolve().parents[2] / "rules"

INSTRUMENT = """\
instrument: loopbaanadvies
title: Loopbaanadvies voor inwoners
article: "§8"
applicant: inwoner (natuurlijk persoon)
tijdvakken: ["2026", "2027"]
aliases:
  subject: applicant
  activiteit: advies
facts:
  application:
    date: {type: date, label: datum van ontvangst van de aanvraag}
  applicant:
    include: [persoon]
  advies:
    adviseur_geregistreerd: {type: bool, label: geregistreerde loopbaanadviseur}
    start_date: {type: date, label: begindatum}
    end_date: {type: date, label: einddatum, not_before: start_date}
    cost: {type: bedrag_positief, label: kosten}
definitions:
  wie: {description: Onderwerp van de uitleg, value: U}
  wie_is: {description: Onderwerp met werkwoord, value: U bent}
  bedrag:
    description: De kosten, hoogstens het maximum, naar beneden afgerond
    value: {round_down: {min: [{fact: advies.cost}, {param: maximum_advies}]}}
eligibility:
  - use: buiten_werkgebied
  - use: leeftijd
  - code: adviseur_niet_geregistreerd
    description: De loopbaanadviseur is geregistreerd.
    passes_when: {fact: advies.adviseur_geregistreerd}
    explanation:
      passed: "De loopbaanadviseur is geregistreerd."
      failed: "De loopbaanadviseur is niet geregistreerd. De regeling betaalt alleen advies van een geregistreerde adviseur."
  - use: gestart_voor_aanvraag
  - use: duur
  - use: minimum_kosten
amount:
  description: "De kosten, hoogstens {param.maximum_advies}."
  value: {var: bedrag}
  explanation: "Het advies kost {advies.cost}. Het fonds betaalt {bedrag} (hoogstens {param.maximum_advies})."
vaststelling:
  description: "{param.voorschot_percentage|procent} voorschot; de rest na het advies."
  results:
    completed: {description: Advies gehad, value: {fact: vaststelling.granted}}
    not_started: {description: Niet gestart, value: 0}
"""

PARAMETERS = """\
parameters:
  subsidieplafond:
    {description: Subsidieplafond, unit: EUR, reference: regeling §8, values: {2026-01-01: "50000.00"}}
  voorschot_percentage:
    {description: Voorschot, unit: fractie, reference: regeling §8, values: {2026-01-01: "0.50"}}
  max_duur_maanden:
    {description: Maximale duur, unit: maanden, reference: regeling §8, values: {2026-01-01: 6}}
  minimum_kosten:
    {description: Laagste bedrag, unit: EUR, reference: regeling §8, values: {2026-01-01: "500.00"}}
  maximum_advies:
    {description: Hoogste bedrag, unit: EUR, reference: regeling §8, values: {2026-01-01: "1500.00"}}
"""

FORM = """\
label: Loopbaanadvies
applicants:
  - {role: inwoner, kind: person}
check:
  intro: U wilt advies over uw loopbaan van een geregistreerde loopbaanadviseur.
steps:
  - slug: over-u
    title: Over u
    intro: Wij vragen een paar dingen over u.
    questions:
      - {use: persoon, section: applicant, wie: u}
  - slug: advies
    title: Het advies
    intro: Vertel ons over het loopbaanadvies.
    questions:
      - {fact: meta.title, label: Naam van de adviseur, maxlength: 200}
      - {fact: advies.adviseur_geregistreerd, label: "Is de adviseur geregistreerd?"}
      - {fact: advies.start_date, label: "Wanneer begint het advies?"}
      - {fact: advies.end_date, label: "Wanneer is het advies klaar?"}
      - {fact: advies.cost, label: "Wat kost het advies? (in euro's)"}
      - {use: iban}
documents:
  always: [offerte]
vaststelling:
  map:
    advies_gehad: completed
    niet_gestart: not_started
  reported_results:
    advies_gehad: {label: Ik heb het advies gehad, letter: afgerond met een advies}
"""

DEMO = """\
title: "Loopbaanadvies {status}"
days_earlier: 4
facts:
  applicant: {birth_date: "1985-03-01", municipality: GM0114, employment_status: employed,
              has_startkwalificatie: true, statushouder: false, banenafspraak_indicatie: false}
  advies: {adviseur_geregistreerd: true, start_date: {days: 20}, end_date: {days: 20, months: 2},
           cost: "1200.00"}
default: {inwoner: fatima@voorbeeld.test}
states:
  afgewezen: {inwoner: erik@voorbeeld.test}     # Assen: outside the werkgebied
  bezwaar: {inwoner: lisa@voorbeeld.test, set: {advies.adviseur_geregistreerd: false}}
skip: [doorverwezen]          # no voorliggende voorziening to refer to
proposal:
  event: reject
  data: {deviate: true, deviation_motivation: De adviseur staat volgende maand niet meer in het register.}
reports:
  partly: {result: niet_gestart}
  completed: {result: advies_gehad}
"""


@pytest.fixture
def rules_copy(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    folder = target / "loopbaanadvies"
    (folder / "tests").mkdir(parents=True)
    (folder / "instrument.yaml").write_text(INSTRUMENT, encoding="utf-8")
    (folder / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    (folder / "form.yaml").write_text(FORM, encoding="utf-8")
    (folder / "demo.yaml").write_text(DEMO, encoding="utf-8")
    monkeypatch.setenv("FUND_RULES_DIR", str(target))
    clear_cache()
    yield target
    clear_cache()


@pytest.fixture
def app(sqlite_url, tmp_path, rules_copy):
    application = make_app(sqlite_url, tmp_path / "instance", FUND_LETTERS=True)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def test_loopbaanadvies_written_only_as_yaml_walks_through_the_web(app, users):
    assert load_rulebook().instruments[-1] == "loopbaanadvies"
    web = app.test_client()

    # Check page: listed, asks the deciding questions, evaluates with the new rules.
    assert "Loopbaanadvies" in web.get("/check").get_data(as_text=True)
    person = {"applicant__birth_date": "1985-03-01", "applicant__municipality": "GM0114",
              "applicant__employment_status": "employed", "applicant__has_startkwalificatie": "ja",
              "applicant__statushouder": "nee", "applicant__banenafspraak_indicatie": "nee"}
    advies = {"advies__adviseur_geregistreerd": "ja", "advies__start_date": future(20),
              "advies__end_date": future(80), "advies__cost": "1.200,00"}
    html = web.post("/check?voor=loopbaanadvies", data={**person, **advies}).get_data(as_text=True)
    assert "De loopbaanadviseur is geregistreerd." in html and "€ 1.200,00" in html

    # New application, steps, document, submit.
    login(web, users["inwoner"])
    assert "/mijn/aanvragen/nieuw/loopbaanadvies" in web.get("/mijn/aanvragen/nieuw").get_data(as_text=True)
    resp = web.post("/mijn/aanvragen/nieuw/loopbaanadvies", data=person)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    application = db.session.scalar(select(Application))
    assert resp.headers["Location"].endswith("/stap/advies")
    resp = web.post(f"/mijn/aanvragen/{application.id}/stap/advies",
                    data={**advies, "meta__title": "Loopbaanbureau Noord", "meta__iban": "NL91ABNA0417164300"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert "nog niet toegevoegd" in web.get(f"/mijn/aanvragen/{application.id}/controleren").get_data(as_text=True)
    web.post(f"/mijn/aanvragen/{application.id}/documenten",
             data={"kind": "offerte", "file": (io.BytesIO(PDF), "offerte.pdf")},
             content_type="multipart/form-data")
    assert web.post(f"/mijn/aanvragen/{application.id}/controleren", data={}).status_code == 302
    db.session.refresh(application)
    assert application.status != "concept"
    assert application.ruleset_id == "loopbaanadvies-2026"
    assert application.eligibility_outcome == "eligible" and application.computed_amount == 1200
    assert application.municipality == "GM0114"  # the `subject` alias

    # Grant (below the vier-ogen threshold: one officer), then the letter.
    officer = app.test_client()
    login(officer, users["officer"])
    assert application.number in officer.get("/behandeling/").get_data(as_text=True)
    assert officer.post(f"/behandeling/{application.id}/actie/assign", data={}).status_code == 302
    resp = officer.post(f"/behandeling/{application.id}/actie/grant",
                        data={"grant-deviate": "nee", "grant-motivation": "Past binnen de regels.",
                              "bevestigd": "ja"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status == "verleend" and application.granted_amount == 1200
    decision = db.session.scalar(select(Decision).where(Decision.application_id == application.id,
                                                        Decision.kind == "verlening"))
    letter = web.get(f"/mijn/aanvragen/{application.id}/besluiten/{decision.id}/brief.pdf")
    assert letter.status_code == 200 and letter.data.startswith(b"%PDF")

    # Voorschot paid; the inwoner reports the result from the instrument's own options.
    from fund.letters.render import letter_html
    from fund.workflow import bank, send

    application = send(application, "propose_payment", users["finance"])
    application = send(application, "approve_payment", users["finance2"],
                       payment_id=application.payments[-1].id)
    bank.carry_out_approved(users["finance"], application)
    db.session.expire_all()
    page = web.get(f"/mijn/aanvragen/{application.id}").get_data(as_text=True)
    assert '<option value="advies_gehad">Ik heb het advies gehad</option>' in page
    assert "Diploma behaald" not in page  # not an option of this instrument
    resp = web.post(f"/mijn/aanvragen/{application.id}/actie/report_outcome",
                    data={"report_outcome-result": "diploma"})  # another instrument's result
    assert resp.status_code == 302
    assert db.session.get(Application, application.id).status == "uitbetaald"
    resp = web.post(f"/mijn/aanvragen/{application.id}/actie/report_outcome",
                    data={"report_outcome-result": "advies_gehad"})
    assert resp.status_code == 302
    application = db.session.get(Application, application.id)
    assert application.status == "uitkomst_gemeld" and application.outcome.result == "advies_gehad"
    resp = officer.post(f"/behandeling/{application.id}/actie/settle",
                        data={"settle-motivation": "Advies gehad.", "bevestigd": "ja"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    vaststelling = db.session.scalar(select(Decision).where(Decision.application_id == application.id,
                                                            Decision.kind == "vaststelling"))
    assert "het traject is: afgerond met een advies." in letter_html(vaststelling)

    # Export and dashboard (auditor).
    auditor = app.test_client()
    login(auditor, users["auditor"])
    export = auditor.get("/verantwoording/export/besluiten?formaat=csv&instrument=loopbaanadvies")
    assert export.status_code == 200, export.get_data(as_text=True)[:300]
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [(r["Instrument"], r["Soort besluit"]) for r in rows] == [("loopbaanadvies", "verlening"), ("loopbaanadvies", "vaststelling")]
    dashboard = auditor.get("/verantwoording/dashboard").get_data(as_text=True)
    assert "loopbaanadvies" in dashboard.lower()
    assert "afgerond met een advies" in dashboard  # the results table


def test_loopbaanadvies_gets_demo_applications_from_its_demo_yaml(app):
    """The demo seed is generic: the fourth folder's demo.yaml alone gives it a demo application
    in every state it can reach, driven by the workflow's own events; a second seed adds none."""
    from fund.demo.seed import seed
    from fund.letters.dutch import outcome_text
    from fund.workflow.machine import STATES

    seed()
    rows = db.session.execute(select(Application.status, Application.title).where(
        Application.instrument == "loopbaanadvies")).all()
    assert {status for status, _ in rows} == set(STATES) - {"doorverwezen"}
    assert ("gesloten", "Loopbaanadvies gesloten") in rows
    closed = db.session.scalar(select(Application).where(Application.title == "Loopbaanadvies gesloten"))
    assert closed.outcome.result == "advies_gehad" and outcome_text("advies_gehad") == "afgerond met een advies"
    assert {i for (i,) in db.session.execute(select(Application.instrument).distinct())} == {
        "llo", "voucher", "praktijkverklaring", "loopbaanadvies"}
    count = len(rows)
    seed()
    assert db.session.scalar(select(func.count()).select_from(Application).where(
        Application.instrument == "loopbaanadvies")) == count

"""Walks through the portals in a real browser, axe-checked on every page, with screenshots."""
from __future__ import annotations

import functools
import re

import pytest
from pypdf import PdfReader

from tests.browser.walker import Walker
from tests.web.helpers import PASSWORD, PDF, llo_answers

pytestmark = pytest.mark.browser


@functools.lru_cache(maxsize=1)
def _offerte_pdf() -> bytes:
    """A real one-page offerte, so the officer's preview (screenshot 11) shows a document, not the
    PDF viewer's error about the minimal test bytes."""
    from weasyprint import HTML

    return HTML(string="<h1>Offerte</h1><p>Opleiding Verzorgende IG (certificaat), Drenthe College.</p>"
                       "<p>Kosten: € 3.200,00. Start: na inschrijving.</p>").write_pdf()


def _pdf_file(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": _offerte_pdf() if "offerte" in name else PDF}


def _upload(w: Walker, kind: str, name: str, screenshot: str | None = None) -> None:
    w.page.select_option('select[name="kind"]', kind)
    w.page.set_input_files('input[name="file"]', _pdf_file(name))
    w.click(w.page.get_by_role("button", name="Toevoegen"), screenshot)
    assert "Het document is toegevoegd." in w.flash()


def _app_id(w: Walker) -> int:
    return int(re.search(r"/mijn/aanvragen/(\d+)", w.page.url).group(1))


def _act(w: Walker, event_title: str, answers: dict | None = None, screenshot=None) -> None:
    form = w.page.locator("form.fund-event-form", has=w.page.get_by_role("heading", name=event_title))
    if not form.is_visible():  # the decision panel shows one action at a time
        w.page.locator("details.fund-decision > summary", has_text=event_title).click()
    w.submit(answers, scope=form, screenshot=screenshot)
    confirm = w.page.get_by_role("button", name=re.compile(r"^Ja, "))
    if confirm.count():  # a decision with a letter: first what the letter says, then confirm
        w.click(confirm)
    assert "Gedaan" in w.flash() or "Er ging" not in w.flash(), w.flash()


def _mail_link(app, to: str) -> str:
    """The link in the last mail to ``to`` (the outbox row: what the mail says)."""
    with app.app_context():
        from sqlalchemy import select

        from fund.extensions import db
        from fund.models import OutboxMessage

        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.to_address == to)
                                 .order_by(OutboxMessage.id.desc()).limit(1))
        db.session.remove()
    return re.search(r"http\S+", body).group(0)


def test_inwoner_check_to_grant_payment_letter_and_outcome(browser, live_app, seeded):
    base_url, app = live_app
    answers = llo_answers(cost="3200,00")  # prioritaire doelgroep: max € 3.750, > € 2.500

    # -- an inwoner checks her chances, registers and applies ------------------------------------
    ctx = browser.new_context()
    w = Walker(ctx.new_page(), base_url)
    w.goto("/", screenshot="01-start")
    w.click(w.page.get_by_role("link", name="Check uw kansen").first)
    w.click(w.page.get_by_role("link", name=re.compile("Ontwikkelbudget")))
    w.submit(button="Bekijk de uitkomst")  # empty: Dutch errors next to the fields
    assert "Maak een keuze." in w.page.content()
    check_answers = {**answers["over-u"], **{k: v for k, v in answers["opleiding"].items()
                                             if not k.startswith("meta")},
                     "funding__coverage": "none", "funding__uwv_declined": "nee",
                     "funding__gemeente_declined": "nee"}
    w.submit(check_answers, button="Bekijk de uitkomst", screenshot="02-check-uitkomst")
    assert "het fonds kan u waarschijnlijk helpen" in w.page.content()
    assert "de regeling vraagt 18 tot 67 jaar" in w.page.content()
    rules = w.open_details("Zo kijken wij ernaar", screenshot="02b-check-alle-regels")
    # every rule as a sentence with a reason, no "ja; nee;" lists and no CBS codes (issue 14)
    assert "U woont in Emmen. Die gemeente hoort bij het werkgebied" in rules
    assert "U bent geen statushouder. De inburgering hoeft dus niet eerst te betalen." in rules
    assert "Wij weten of anderen de kosten betalen." in rules
    assert "Het bedrag is het laagste van die twee: € 3.200,00" in rules
    assert not re.search(r"GM\d{4}|: (ja|nee)[;.]|U krijgt", rules), rules
    w.click(w.page.get_by_role("link", name="Nu aanvragen"))
    assert "/auth/registreren" in w.page.url
    w.submit({"account_type": "inwoner", "name": "Fatima El Amrani", "email": "fatima@test.example",
              "password": PASSWORD, "password_repeat": PASSWORD, "bsn": "111222333",
              "street": "Hoofdstraat", "house_number": "12", "postcode": "7811 EA", "city": "Emmen"},
             button="Account maken", screenshot="03-registreren-klaar")
    assert "Wij stuurden een e-mail" in w.flash()
    # she confirms her e-mail address with the link in the verification mail, then logs in
    w.goto(_mail_link(app, "fatima@test.example").removeprefix(base_url))
    assert "Uw e-mailadres is bevestigd" in w.flash()
    w.login("fatima@test.example")
    w.click(w.page.get_by_role("link", name="Mijn gegevens"), screenshot="03b-mijn-gegevens")
    assert "Hoofdstraat" in w.page.content()
    w.click(w.page.get_by_role("link", name="Mijn aanvragen"))
    w.click(w.page.get_by_role("link", name="Nieuwe aanvraag"))
    w.click(w.page.get_by_role("link", name=re.compile("Ontwikkelbudget")), screenshot="04-stap-over-u")
    w.submit(answers["over-u"], button="Bewaren en verder")
    w.submit(answers["opleiding"], button="Bewaren en verder", screenshot="05-stap-betaling")
    w.submit(answers["betaling"], button="Bewaren en verder")
    assert "/documenten" in w.page.url
    app_id = _app_id(w)
    _upload(w, "offerte", "offerte-opleiding.pdf", screenshot="06-documenten")
    w.click(w.page.get_by_role("link", name="Verder naar controleren"), screenshot="07-controleren")
    assert "Verzorgende IG" in w.page.content()
    w.submit(button="Aanvraag versturen", screenshot="08-aanvraag-verstuurd")
    assert "Uw aanvraag is verstuurd" in w.page.content() and "beslistermijn" in w.page.content()
    w.click(w.page.get_by_role("link", name="Naar uw aanvraag"))
    assert "De aanvraag is ingediend." in w.page.content()
    w.logout()
    w.all_pages_checked()

    # -- an officer claims and grants ------------------------------------------------------------
    octx = browser.new_context()
    o = Walker(octx.new_page(), base_url)
    o.login(seeded["officer"])
    o.page.goto(base_url + "/behandeling/?instrument=llo")
    o.check(screenshot="10-werkvoorraad")
    o.click(o.page.get_by_role("link", name=re.compile(r"DOF-\d{4}-\d+")).first)
    assert "de regeling vraagt 18 tot 67 jaar" in o.page.content()
    _act(o, "In behandeling nemen")
    o.page.reload()
    o.check(screenshot="11-beoordelen")
    o.submit({"notitie": "Werkgever gebeld: zij betalen niets mee."}, button="Notitie opslaan")
    assert "Alleen medewerkers zien haar" in o.flash()
    _act(o, "Verlenen", {"grant-deviate": "nee",
                         "grant-motivation": "De opleiding past in de regeling."})
    assert "wacht op tweede handtekening" in o.page.content()
    o.logout()
    o.all_pages_checked()

    # -- the supervisor co-signs (vier-ogen: € 3.200 > € 2.500) ------------------------------------
    s = Walker(browser.new_context().new_page(), base_url)
    s.login(seeded["supervisor"])
    s.click(s.page.get_by_role("link", name="Vier-ogen"), screenshot="12-vier-ogen")
    s.click(s.page.get_by_role("link", name=re.compile(r"DOF-\d{4}-\d+")).first, screenshot="12b-voorstel")
    proposal = s.page.locator("section", has=s.page.locator("#voorstel-kop")).inner_text()
    assert "Toekenning (verlening) van € 3.200,00" in proposal and "De opleiding past in de regeling." in proposal
    assert "Werkgever gebeld" in s.page.content()  # the officer's note, for staff
    _act(s, "Besluit medeondertekenen", {"co_sign-approve": "ja"})
    assert "Verleend" in s.page.content()
    s.logout()
    s.all_pages_checked()

    # -- finance: one proposes, another approves ---------------------------------------------------
    f = Walker(browser.new_context().new_page(), base_url)
    f.login(seeded["finance"])
    assert "/financien/" in f.page.url
    f.click(f.page.get_by_role("button", name=re.compile("^Voorschot van .* voorstellen voor DOF-")),
            screenshot="13-financien")
    assert "Door u voorgesteld" in f.page.content()
    f.logout()
    f.login(seeded["finance2"])
    f.page.get_by_label(re.compile("^Voorschot van .* voor DOF-")).check()
    f.click(f.page.get_by_role("button", name="Gekozen betalingen goedkeuren"))
    assert "1 van de 1 betalingen zijn goedgekeurd" in f.flash()
    f.click(f.page.get_by_role("button", name=re.compile(r"^Maak betaalbestand \(1 betaling,")))
    f.click(f.page.get_by_role("button", name=re.compile("de bank heeft betaald$")))
    assert "staat op betaald" in f.flash()
    f.logout()
    f.all_pages_checked()

    # -- the inwoner sees the decision, downloads the letter, reports the outcome --------------------
    w.login("fatima@test.example")
    w.click(w.page.get_by_role("link", name="Verzorgende IG"), screenshot="14-mijn-aanvraag")
    assert "Toekenning (verlening)" in w.page.content()
    assert "Wij hebben het geld naar uw rekening overgemaakt." in w.page.content()  # the timeline
    with w.page.expect_download() as download:
        w.page.get_by_role("link", name="Download de brief (PDF)").first.click()
    letter = PdfReader(download.value.path())
    text = " ".join(page.extract_text() for page in letter.pages)
    assert "Verlening van subsidie" in text and "3.200,00" in text
    _act(w, "Resultaat melden", {"report_outcome-result": "certificaat",
                                 "report_outcome-incurred_costs": "3200"})
    assert "het resultaat is gemeld" in w.flash().lower()
    assert "Wij berekenen het definitieve bedrag" in w.page.content()
    w.all_pages_checked()


def test_werkgever_registers_invites_and_applies_for_voucher(browser, live_app, seeded):
    base_url, app = live_app
    w = Walker(browser.new_context().new_page(), base_url)
    w.goto("/auth/registreren", screenshot="20-registreren")
    w.submit({"account_type": "werkgever", "name": "Monique Smit", "email": "hr@bakker.example",
              "password": PASSWORD, "password_repeat": PASSWORD, "kvk_number": "1234567"},
             button="Account maken")
    assert "Een KvK-nummer heeft 8 cijfers." in w.page.content()
    w.submit({"kvk_number": "87654321", "organisation_name": "Bakkerij De Korenaar",
              "organisation_municipality": "GM0118", "password": PASSWORD,
              "password_repeat": PASSWORD, "street": "Kerkstraat", "house_number": "3a",
              "postcode": "7901AB", "city": "Hoogeveen"}, button="Account maken")
    assert "Wij stuurden een e-mail" in w.flash()
    w.goto(_mail_link(app, "hr@bakker.example").removeprefix(base_url))
    assert "Uw e-mailadres is bevestigd" in w.flash()
    w.login("hr@bakker.example")
    w.click(w.page.get_by_role("link", name="Mijn organisatie").first)
    w.submit({"name": "Jan de Vries", "email": "jan@bakker.example"}, button="Collega toevoegen",
             screenshot="21-collegas")
    assert "Jan de Vries" in w.page.content()
    w.click(w.page.get_by_role("link", name="Mijn aanvragen"))
    w.click(w.page.get_by_role("link", name="Nieuwe aanvraag"))
    w.click(w.page.get_by_role("link", name=re.compile("Ontwikkelvoucher")))
    from tests.web.helpers import future

    w.submit({"employer__municipality": "GM0118", "employer__employees": "8",
              "employer__annual_turnover": "900.000", "employer__de_minimis_received_3y": "0"},
             button="Bewaren en verder")
    w.submit({"meta__title": "Bakken met minder suiker", "activity__kind": "scholing",
              "activity__provider_kind": "mbo", "activity__legally_required": "nee",
              "activity__participants": "4", "activity__start_date": future(20),
              "activity__end_date": future(120), "activity__cost": "2.400,00"},
             button="Bewaren en verder", screenshot="22-voucher-activiteit")
    w.submit({"funding__coverage": "none", "meta__iban": "NL91 ABNA 0417 1643 00"},
             button="Bewaren en verder")
    _upload(w, "offerte", "offerte.pdf")
    w.click(w.page.get_by_role("link", name="Verder naar controleren"))
    w.submit(button="Aanvraag versturen")
    assert "Uw aanvraag is verstuurd" in w.page.content()
    w.click(w.page.get_by_role("link", name="Naar uw aanvraag"))
    assert "Wij hebben uw aanvraag ontvangen" in w.page.content()
    w.all_pages_checked()


# The leerbedrijf's praktijkverklaring walk (both widths, every bad input) is in
# tests/browser/test_citizen_walks.py.


def test_admin_and_account_pages(browser, live_app, seeded):
    base_url, app = live_app
    w = Walker(browser.new_context().new_page(), base_url)
    w.goto("/auth/wachtwoord-vergeten", screenshot="40-wachtwoord-vergeten")
    w.submit({"email": seeded["inwoner"]}, button="Stuur de link")
    assert "Als er een account is" in w.flash()
    w.goto("/privacy")
    w.goto("/toegankelijkheid")
    w.login(seeded["admin"])
    assert "/beheer/gebruikers" in w.page.url
    w.goto("/beheer/gebruikers?rol=officer", screenshot="41-gebruikers")
    w.click(w.page.get_by_role("link", name="Officer2"))
    w.submit({"role": "supervisor", "active": "nee"}, button="Opslaan")
    assert "zijn opgeslagen" in w.flash()
    # -- a staff account: the admin chooses no password, the new colleague gets a link -------
    w.click(w.page.get_by_role("link", name="Nieuw account voor een medewerker"),
            screenshot="42-nieuw-account")
    w.submit({"name": "Anna de Vries", "email": seeded["officer"], "role": "officer"},
             button="Account maken")  # taken e-mail: the Dutch error next to the field
    assert "Er is al een account met dit e-mailadres." in w.page.locator("#email-error").inner_text()
    w.submit({"email": "anna.devries@ontwikkelfonds.nl"}, button="Account maken")
    assert "Het account van Anna de Vries is gemaakt." in w.flash()
    link = _mail_link(app, "anna.devries@ontwikkelfonds.nl")
    w.logout()
    w.goto(link.removeprefix(base_url), screenshot="43-wachtwoord-kiezen")
    w.submit({"password": PASSWORD, "password_repeat": PASSWORD}, button="Wachtwoord opslaan")
    assert "Uw nieuwe wachtwoord is opgeslagen" in w.flash()
    w.login("anna.devries@ontwikkelfonds.nl")
    assert "/behandeling/" in w.page.url
    w.all_pages_checked()

"""Issue 14: an inwoner's LLO aanvraag at desktop (1280 px) and phone (390 px) width with every
bad input: errors together at their fields, the error summary takes the focus, "Fout:" in the
title, no form element narrower than its label's longest word, axe-core 0 on every page."""
from __future__ import annotations

import re

import pytest

from tests.browser.test_walks import _mail_link
from tests.browser.walker import Walker
from tests.web.helpers import PASSWORD, PDF, future, llo_answers

pytestmark = pytest.mark.browser

# For every form control: its width and the width of the longest word of its label (or legend),
# measured in the page's own font. A control narrower than that word is squeezed (issue 14).
_SQUEEZED = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  const widest = (el) => {
    const style = getComputedStyle(el);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return Math.max(0, ...el.textContent.trim().split(/\\s+/).map(w => canvas.measureText(w).width));
  };
  const bad = [];
  for (const control of document.querySelectorAll('main form fieldset, main form input:not([type=hidden]):not([type=radio]):not([type=checkbox]), main form select, main form textarea')) {
    const label = control.tagName === 'FIELDSET' ? control.querySelector('legend')
                  : (control.id && document.querySelector(`label[for="${control.id}"]`));
    if (!label) continue;
    const box = control.getBoundingClientRect();
    const need = control.tagName === 'FIELDSET' ? widest(label) : Math.min(widest(label), 48);
    if (box.width + 1 < need) bad.push(`${control.id || control.name}: ${Math.round(box.width)} < ${Math.round(need)}`);
  }
  return bad;
}"""


def _no_squeeze(w: Walker) -> None:
    assert w.page.evaluate(_SQUEEZED) == [], w.page.url


def _summary_has_focus(w: Walker, *fields: str) -> None:
    assert w.page.evaluate("() => document.activeElement.classList.contains('fund-error-summary')"), w.page.url
    assert w.page.title().startswith("Fout: ")
    summary = w.page.locator(".fund-error-summary")
    for name in fields:
        link = summary.locator(f'a[href^="#{name}"]')
        assert link.count() == 1, name
        target = w.page.locator(link.get_attribute("href"))
        assert target.count() == 1, name
        # the message stands at the field itself, not only in the summary
        row = w.page.locator(".fund-form-row", has=target)
        assert row.locator(".fund-error").count() >= 1, name


def _date(name: str, iso: str) -> dict:
    return {name: iso}


@pytest.mark.parametrize("width", [1280, 390])
def test_llo_with_every_bad_input(browser, live_app, seeded, width):
    base_url, app = live_app
    tag = "telefoon" if width == 390 else "desktop"
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    w = Walker(ctx.new_page(), base_url)
    answers = llo_answers()
    w.goto("/auth/registreren")
    w.submit({"account_type": "inwoner", "name": "Joost de Vries", "email": f"joost{width}@test.example",
              "password": PASSWORD, "password_repeat": PASSWORD, "bsn": "111222333",
              "street": "Hoofdstraat", "house_number": "3", "postcode": "7811 EA", "city": "Emmen"},
             button="Account maken")
    w.goto(_mail_link(app, f"joost{width}@test.example").removeprefix(base_url))
    w.login(f"joost{width}@test.example")
    w.goto("/mijn/aanvragen/nieuw/llo")
    _no_squeeze(w)

    # step 1: nothing filled in, then an impossible birth date
    w.submit(button="Bewaren en verder", screenshot=f"50-fout-alles-leeg-{tag}")
    _summary_has_focus(w, "applicant__birth_date", "applicant__municipality", "applicant__statushouder")
    _no_squeeze(w)
    w.submit({**answers["over-u"], "applicant__birth_date": "1990-02-31"}, button="Bewaren en verder")
    _summary_has_focus(w, "applicant__birth_date")
    assert "Deze datum bestaat niet" in w.page.content()
    assert w.page.locator('[name="applicant__birth_date-dag"]').input_value() == "31"  # nothing lost
    w.submit({"applicant__birth_date": "1990-05-10"}, button="Bewaren en verder")
    assert "/stap/opleiding" in w.page.url

    # step 2: end date before start date and a bad cost: both, together, at their fields
    w.submit({**answers["opleiding"], "training__start_date": future(60), "training__end_date": future(30),
              "training__cost": "drieduizend"}, button="Bewaren en verder",
             screenshot=f"51-fout-einddatum-en-kosten-{tag}")
    _summary_has_focus(w, "training__end_date", "training__cost")
    assert "De einddatum ligt voor de begindatum" in w.page.content()
    assert "Er zijn 2 dingen niet goed ingevuld" in w.page.content()
    _no_squeeze(w)
    # "Vorige" goes back without losing the first step
    w.click(w.page.get_by_role("link", name="Vorige"))
    assert w.page.locator('[name="applicant__birth_date-jaar"]').input_value() == "1990"
    w.submit(button="Bewaren en verder")
    w.submit(answers["opleiding"], button="Bewaren en verder")
    w.submit({**answers["betaling"], "meta__iban": "NL00 RABO 0000 0000 00"}, button="Bewaren en verder")
    _summary_has_focus(w, "meta__iban")
    w.submit(answers["betaling"], button="Bewaren en verder", screenshot=f"52-documenten-{tag}")
    assert "/documenten" in w.page.url
    # documents: only this instrument's types; a wrong upload taken out; a too-large file
    options = w.page.locator('select[name="kind"] option').all_inner_texts()
    assert not any("Praktijkleerovereenkomst" in o for o in options)
    w.page.select_option('select[name="kind"]', "bewijs_bijdrage")
    w.page.set_input_files('input[name="file"]', {"name": "verkeerd.pdf", "mimeType": "application/pdf", "buffer": PDF})
    w.click(w.page.get_by_role("button", name="Toevoegen"))
    w.click(w.page.get_by_role("button", name="Verwijder verkeerd.pdf"))
    assert "verkeerd.pdf is verwijderd" in w.flash()
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    try:
        w.page.select_option('select[name="kind"]', "offerte")
        w.page.set_input_files('input[name="file"]', {"name": "scan.pdf", "mimeType": "application/pdf",
                                                      "buffer": PDF + b"0" * (80 * 1024)})
        w.click(w.page.get_by_role("button", name="Toevoegen"), screenshot=f"53-fout-te-groot-{tag}")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024
    _summary_has_focus(w, "file")
    assert "Een bestand mag hoogstens 64 kB zijn" in w.page.content()
    w.page.select_option('select[name="kind"]', "offerte")
    w.page.set_input_files('input[name="file"]', {"name": "offerte.pdf", "mimeType": "application/pdf", "buffer": PDF})
    w.click(w.page.get_by_role("button", name="Toevoegen"))
    w.click(w.page.get_by_role("link", name="Verder naar controleren"))
    w.submit(button="Aanvraag versturen", screenshot=f"54-ontvangen-{tag}")
    content = w.page.content()
    assert "Uw aanvraag is verstuurd" in content and re.search(r"DOF-\d{4}-\d+", content)
    assert "beslistermijn" in content
    with w.page.expect_download() as download:
        w.page.get_by_role("link", name="Download uw antwoorden (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    w.click(w.page.locator("main").get_by_role("link", name="Mijn aanvragen"), screenshot=f"55-mijn-aanvragen-{tag}")
    if width == 390:  # a card, not a table cut off at the edge
        assert w.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # withdrawing asks first
    w.click(w.page.locator("main a", has_text=re.compile("Verzorgende IG")).first)
    _withdraw = w.page.locator("form.fund-event-form", has=w.page.get_by_role("heading", name="Aanvraag intrekken"))
    w.submit(scope=_withdraw, screenshot=f"56-intrekken-bevestigen-{tag}")
    assert "Weet u zeker dat u uw aanvraag wilt intrekken?" in w.page.content()
    w.click(w.page.get_by_role("link", name="Nee, terug naar mijn aanvraag"))
    assert "Ingetrokken" not in w.page.locator("#status-kop").inner_text()
    w.all_pages_checked()


def _context(browser, width: int):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    return "telefoon" if width == 390 else "desktop", ctx


def _too_large_then_upload(w: Walker, app, kind: str, screenshot: str) -> None:
    """A file over the limit: the message with the limit inside the form; then the right one."""
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    try:
        w.page.select_option('select[name="kind"]', kind)
        w.page.set_input_files('input[name="file"]', {"name": "scan.pdf", "mimeType": "application/pdf",
                                                      "buffer": PDF + b"0" * (80 * 1024)})
        w.click(w.page.get_by_role("button", name="Toevoegen"), screenshot=screenshot)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024
    _summary_has_focus(w, "file")
    assert "Een bestand mag hoogstens 64 kB zijn" in w.page.content()
    w.page.select_option('select[name="kind"]', kind)
    w.page.set_input_files('input[name="file"]', {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF})
    w.click(w.page.get_by_role("button", name="Toevoegen"))
    assert "Het document is toegevoegd." in w.flash()


def _bad_iban_then_good(w: Walker, answers: dict) -> None:
    w.submit({**answers, "meta__iban": "NL00 RABO 0000 0000 00"}, button="Bewaren en verder")
    _summary_has_focus(w, "meta__iban")
    assert w.page.locator('[name="meta__iban"]').input_value() == "NL00 RABO 0000 0000 00"  # kept
    w.submit({**answers, "meta__iban": "NL91 ABNA 0417 1643 00"}, button="Bewaren en verder")
    assert "/documenten" in w.page.url


def _send(w: Walker, screenshot: str) -> str:
    w.click(w.page.get_by_role("link", name="Verder naar controleren"))
    w.submit(button="Aanvraag versturen", screenshot=screenshot)
    content = w.page.content()
    assert "Uw aanvraag is verstuurd" in content and "beslistermijn" in content
    return content


@pytest.mark.parametrize("width", [1280, 390])
def test_voucher_with_every_bad_input(browser, live_app, seeded, width):
    """A werkgever registers (wrong KvK number first) and applies for an ontwikkelvoucher."""
    base_url, app = live_app
    tag, ctx = _context(browser, width)
    w = Walker(ctx.new_page(), base_url)
    email = f"hr{width}@korenaar.example"
    w.goto("/auth/registreren")
    w.submit({"account_type": "werkgever", "name": "Monique Smit", "email": email,
              "password": PASSWORD, "password_repeat": PASSWORD, "kvk_number": "1234567",
              "organisation_name": "Bakkerij De Korenaar", "organisation_municipality": "GM0118",
              "street": "Kerkstraat", "house_number": "3a", "postcode": "7901AB", "city": "Hoogeveen"},
             button="Account maken", screenshot=f"60-fout-kvk-{tag}")
    _summary_has_focus(w, "kvk_number")
    assert "Een KvK-nummer heeft 8 cijfers." in w.page.content()
    assert w.page.locator('[name="organisation_name"]').input_value() == "Bakkerij De Korenaar"
    w.submit({"kvk_number": "8765432" + str(width % 10), "password": PASSWORD, "password_repeat": PASSWORD},
             button="Account maken")
    assert "Wij stuurden een e-mail" in w.flash()
    w.goto(_mail_link(app, email).removeprefix(base_url))
    assert "Uw e-mailadres is bevestigd" in w.flash()
    w.login(email)
    w.goto("/mijn/aanvragen/nieuw/voucher")
    _no_squeeze(w)
    w.submit(button="Bewaren en verder", screenshot=f"61-voucher-fout-leeg-{tag}")
    _summary_has_focus(w, "employer__employees", "employer__annual_turnover",
                       "employer__de_minimis_received_3y")
    w.submit({"employer__municipality": "GM0118", "employer__employees": "acht",
              "employer__annual_turnover": "900.000", "employer__de_minimis_received_3y": "0"},
             button="Bewaren en verder")
    _summary_has_focus(w, "employer__employees")
    assert w.page.locator('[name="employer__annual_turnover"]').input_value() == "900.000"  # kept
    w.submit({"employer__employees": "8"}, button="Bewaren en verder")
    assert "/stap/activiteit" in w.page.url
    activity = {"meta__title": "Bakken met minder suiker", "activity__kind": "scholing",
                "activity__provider_kind": "mbo", "activity__legally_required": "nee",
                "activity__participants": "4", "activity__start_date": future(60),
                "activity__end_date": future(20), "activity__cost": "veel"}
    w.submit(activity, button="Bewaren en verder", screenshot=f"62-voucher-fout-datum-kosten-{tag}")
    _summary_has_focus(w, "activity__end_date", "activity__cost")
    assert "De einddatum ligt voor de begindatum" in w.page.content()
    _no_squeeze(w)
    w.submit({"activity__end_date": future(120), "activity__cost": "2.400,00"}, button="Bewaren en verder")
    _bad_iban_then_good(w, {"funding__coverage": "none"})
    options = w.page.locator('select[name="kind"] option').all_inner_texts()
    assert not any("UWV" in o for o in options)
    _too_large_then_upload(w, app, "offerte", f"63-voucher-te-groot-{tag}")
    _send(w, f"64-voucher-ontvangen-{tag}")
    w.all_pages_checked()


@pytest.mark.parametrize("width", [1280, 390])
def test_praktijkverklaring_by_leerbedrijf_with_every_bad_input(browser, live_app, seeded, width):
    """A leerbedrijf applies for its candidate: the name once, 'de kandidaat', not its own name."""
    base_url, app = live_app
    tag, ctx = _context(browser, width)
    w = Walker(ctx.new_page(), base_url)
    # "Check uw kansen" before logging in: for whom? nothing chosen is an error; then the
    # questions and the outcome speak about the candidate
    w.goto("/check?voor=praktijkverklaring", screenshot=f"68-check-voor-wie-{tag}")
    w.submit(button="Verder")
    _summary_has_focus(w, "als")
    w.submit({"als": "organisation"}, button="Verder")
    assert "In welke gemeente woont de kandidaat?" in w.page.content()
    _no_squeeze(w)
    w.submit({"candidate__birth_date": "1995-02-01", "candidate__municipality": "GM0106",
              "candidate__employment_status": "jobseeker", "candidate__has_startkwalificatie": "nee",
              "candidate__statushouder": "nee", "candidate__banenafspraak_indicatie": "nee",
              "leerbedrijf__sbb_erkend": "ja", "traject__start_date": future(60),
              "traject__end_date": future(200), "funding__uwv_declined": "nee",
              "funding__gemeente_declined": "nee"},
             button="Bekijk de uitkomst", screenshot=f"69-check-kandidaat-uitkomst-{tag}")
    content = w.page.content()
    assert "Het fonds kan de kandidaat helaas niet helpen." in content
    assert "Woont de kandidaat in een gemeente" in content and "U woont" not in content
    rules = w.open_details("Zo kijken wij ernaar", screenshot=f"69b-check-kandidaat-regels-{tag}")
    assert "De kandidaat woont in Assen. Die gemeente hoort niet bij het werkgebied." in rules
    assert "De kandidaat heeft geen startkwalificatie en hoort daarom bij de doelgroep" in rules
    assert not re.search(r"GM\d{4}|: (ja|nee)[;.]|\bU (bent|heeft|woont)\b", rules), rules

    w.login(seeded["werkgever"])  # Bakkerij Bos, SBB-erkend leerbedrijf
    w.click(w.page.get_by_role("link", name="Mijn organisatie"), screenshot=f"67-organisatie-{tag}")
    assert w.page.locator('input[name="sbb_erkend"][value="ja"]').is_checked()
    w.click(w.page.get_by_role("link", name="Mijn aanvragen").first)
    w.click(w.page.get_by_role("link", name="Nieuwe aanvraag"))
    w.click(w.page.get_by_role("link", name=re.compile("Praktijkverklaring")))
    assert "In welke gemeente woont de kandidaat?" in w.page.content()
    w.submit(button="Bewaren en verder", screenshot=f"70-leerbedrijf-fout-leeg-{tag}")
    _summary_has_focus(w, "candidate__name", "candidate__birth_date", "candidate__municipality")
    _no_squeeze(w)
    candidate = {"candidate__name": "Sanne de Vries", "candidate__birth_date": "1995-02-30",
                 "candidate__municipality": "GM1681", "candidate__employment_status": "jobseeker",
                 "candidate__has_startkwalificatie": "nee", "candidate__statushouder": "nee",
                 "candidate__banenafspraak_indicatie": "nee"}
    w.submit(candidate, button="Bewaren en verder")
    _summary_has_focus(w, "candidate__birth_date")
    assert w.page.locator('[name="candidate__name"]').input_value() == "Sanne de Vries"  # kept
    w.submit({"candidate__birth_date": "1995-02-01"}, button="Bewaren en verder")
    assert "/stap/traject" in w.page.url
    assert w.page.locator('[name="leerbedrijf__name"]').count() == 0  # the record has it
    assert "Welke werkprocessen leert de kandidaat?" in w.page.content()
    assert w.page.locator('[name="leerbedrijf__sbb_erkend"]').count() == 0  # the record says ja
    w.submit({"meta__title": "Medewerker bakkerij",
              "traject__mbo_instelling": "Drenthe College", "traject__crebo": "2565",
              "traject__werkprocessen": "B1-K1-W1\nB1-K1-W2",
              "traject__start_date": future(60), "traject__end_date": future(14)},
             button="Bewaren en verder", screenshot=f"71-leerbedrijf-fout-crebo-datum-{tag}")
    _summary_has_focus(w, "traject__crebo", "traject__end_date")
    assert "Een crebonummer heeft 5 cijfers." in w.page.content()
    _no_squeeze(w)
    w.submit({"traject__crebo": "25655", "traject__end_date": future(200)}, button="Bewaren en verder")
    _bad_iban_then_good(w, {"funding__uwv_declined": "nee", "funding__gemeente_declined": "nee"})
    _too_large_then_upload(w, app, "praktijkleerovereenkomst", f"72-leerbedrijf-te-groot-{tag}")
    w.click(w.page.get_by_role("link", name="Verder naar controleren"), screenshot=f"73-leerbedrijf-controleren-{tag}")
    assert "B1-K1-W1, B1-K1-W2" in w.page.content() and "Sanne de Vries" in w.page.content()
    w.submit(button="Aanvraag versturen", screenshot=f"74-leerbedrijf-ontvangen-{tag}")
    assert "Voor Sanne de Vries." in w.page.content()
    w.all_pages_checked()


@pytest.mark.parametrize("width", [1280, 390])
def test_praktijkverklaring_by_candidate_with_every_bad_input(browser, live_app, seeded, width):
    """The candidate applies herself: the same form speaks to 'u' and asks the leerbedrijf."""
    base_url, app = live_app
    tag, ctx = _context(browser, width)
    w = Walker(ctx.new_page(), base_url)
    w.login(seeded["inwoner"])
    w.goto("/mijn/aanvragen/nieuw/praktijkverklaring")
    content = w.page.content()
    assert "In welke gemeente woont u?" in content and "naam van de kandidaat" not in content
    w.submit(button="Bewaren en verder", screenshot=f"80-kandidaat-fout-leeg-{tag}")
    _summary_has_focus(w, "candidate__birth_date", "candidate__municipality", "candidate__statushouder")
    w.submit({"candidate__birth_date": "2001-05-12", "candidate__municipality": "GM0114",
              "candidate__employment_status": "ww", "candidate__has_startkwalificatie": "ja",
              "candidate__statushouder": "nee", "candidate__banenafspraak_indicatie": "nee"},
             button="Bewaren en verder")
    assert "Welke werkprocessen leert u?" in w.page.content()
    w.submit({"meta__title": "Logistiek medewerker", "leerbedrijf__name": "",
              "leerbedrijf__sbb_erkend": "ja", "traject__mbo_instelling": "Alfa-college",
              "traject__crebo": "25431", "traject__werkprocessen": "",
              "traject__start_date": "2026-13-01", "traject__end_date": future(100)},
             button="Bewaren en verder", screenshot=f"81-kandidaat-fout-traject-{tag}")
    _summary_has_focus(w, "leerbedrijf__name", "traject__werkprocessen", "traject__start_date")
    assert w.page.locator('[name="traject__mbo_instelling"]').input_value() == "Alfa-college"
    w.submit({"leerbedrijf__name": "Transport Hoogeveen", "traject__werkprocessen": "B1-K1-W1",
              "traject__start_date": future(20)}, button="Bewaren en verder")
    _bad_iban_then_good(w, {"funding__uwv_declined": "ja", "funding__gemeente_declined": "nee"})
    _too_large_then_upload(w, app, "praktijkleerovereenkomst", f"82-kandidaat-te-groot-{tag}")
    w.page.select_option('select[name="kind"]', "afwijzing_uwv")
    w.page.set_input_files('input[name="file"]', {"name": "uwv.pdf", "mimeType": "application/pdf", "buffer": PDF})
    w.click(w.page.get_by_role("button", name="Toevoegen"))
    _send(w, f"83-kandidaat-ontvangen-{tag}")
    w.all_pages_checked()

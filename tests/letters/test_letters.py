"""Every kind of beschikking renders to a PDF/A-3b letter that says what the decision says."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pikepdf
import pypdf
import pytest

from fund.extensions import db
from fund.letters.context import remedy_deadline, ruleset_for
from fund.letters.dutch import datum
from fund.letters.render import KINDS, render_decision_letter
from fund.models import Decision
from tests.letters import factories as f


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def _pdfa_identification(pdf: bytes) -> tuple[str, str]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        meta = doc.open_metadata()
        return meta.get("pdfaid:part"), meta.get("pdfaid:conformance")


@pytest.fixture
def decisions(letters_app):
    return {kind: d.id for kind, d in f.all_kinds().items()}


# What each letter must say besides kenmerk and date: (phrase in the decision, motivation phrase).
EXPECTED = {
    "verlening": ["U krijgt subsidie", "€ 1.800,00", "€ 1.440,00", "80%", "U bent op 2 maart 2026 45 jaar",
                  "Uw opleiding past goed bij de vraag in de zorg."],
    "afwijzing": ["U krijgt geen subsidie", "76 jaar", "U woont in Assen. Die gemeente hoort niet bij het werkgebied."],
    "doorverwijzing": ["U krijgt geen subsidie uit het Drents ontwikkelfonds", "UWV"],
    "buiten_behandeling": ["niet", "een offerte van de opleider", "16 maart 2026", "4:5"],
    "vaststelling": ["Wij stellen de subsidie vast op € 1.800,00", "€ 1.440,00", "€ 360,00",
                     "certificaat behaald", "80% voorschot na de verlening"],
    "terugvordering": ["U moet € 840,00 terugbetalen", "U bent gestopt met de opleiding",
                       "gestopt (uitgevallen)", "4:57"],
    "bezwaar_gegrond": ["Uw bezwaar is gegrond", "Er was toen nog budget"],
    "bezwaar_ongegrond": ["Uw bezwaar is ongegrond", "U was op de dag van de aanvraag 76 jaar"],
    "verdaging": ["22 juni 2026", "Wij wachten op informatie van de opleider", "4:14"],
}


def test_every_kind_has_a_fixture():
    assert set(EXPECTED) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_letter_of_each_kind(decisions, kind):
    sha = render_decision_letter(decisions[kind])
    d = db.session.get(Decision, decisions[kind])
    assert d.letter_pdf and d.letter_sha256 == sha == hashlib.sha256(d.letter_pdf).hexdigest()
    assert d.letter_generated_at is not None

    text = _text(d.letter_pdf)
    assert f"{d.number} / {d.application.number}" in text  # kenmerk
    assert datum(d.sent_on) in text  # letter date, Dutch format
    for phrase in EXPECTED[kind]:
        assert phrase in text, f"{kind}: '{phrase}' missing"
    assert "Regeling Drents Ontwikkelfonds, versie 2026" in text  # legal basis
    assert f.TEST_BSN not in text and "BSN" not in text and f.TEST_IBAN not in text
    assert not re.search(r"GM\d{4}", text), "a CBS gemeentecode means nothing to the applicant (issue 14)"

    deadline = remedy_deadline(d, ruleset_for(d))
    if kind == "verdaging":
        assert "bezwaar maken" not in text.replace("geen bezwaar maken", "")
    elif kind.startswith("bezwaar_"):
        assert f"in beroep gaan bij de rechtbank Noord-Nederland. Doe dit uiterlijk op {datum(deadline)}" in text
    else:
        assert f"Dan kunt u bezwaar maken. Doe dit uiterlijk op {datum(deadline)}" in text

    assert _pdfa_identification(d.letter_pdf) == ("3", "B")
    with pikepdf.open(io.BytesIO(d.letter_pdf)) as doc:
        assert doc.pdf_version == "1.7"
        assert "/OutputIntents" in doc.Root
        assert doc.docinfo["/Author"] == "Het college van burgemeester en wethouders van Emmen"
        assert d.number in str(doc.docinfo["/Title"])
        for page in doc.pages:  # PDF/A: every font embedded
            for _, font in page.Resources.Font.items():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor
    reader = pypdf.PdfReader(io.BytesIO(d.letter_pdf))
    assert reader.metadata.title.startswith(EXPECTED_TITLES[kind])


EXPECTED_TITLES = {
    "verlening": "Verlening van subsidie",
    "afwijzing": "Afwijzing van uw aanvraag",
    "doorverwijzing": "Doorverwijzing",
    "buiten_behandeling": "Uw aanvraag wordt niet behandeld",
    "vaststelling": "Vaststelling van de subsidie",
    "terugvordering": "Terugvordering van subsidie",
    "bezwaar_gegrond": "Beslissing op uw bezwaar: gegrond",
    "bezwaar_ongegrond": "Beslissing op uw bezwaar: ongegrond",
    "verdaging": "Wij hebben meer tijd nodig",
}


def test_bezwaar_deadline_six_weeks_from_day_after_dispatch(letters_app):
    app_row = f.application()
    d = f.decision(app_row, "afwijzing", decided_on=dt.date(2026, 12, 1), sent_on=dt.date(2026, 12, 3))
    # Term starts 4 December; 6 weeks later the last day is 14 January 2027.
    assert remedy_deadline(d, ruleset_for(d)) == dt.date(2027, 1, 14)
    db.session.commit()
    render_decision_letter(d.id)
    assert "uiterlijk op 14 januari 2027" in _text(db.session.get(Decision, d.id).letter_pdf)


def test_stored_bezwaar_deadline_wins(letters_app):
    d = f.decision(f.application(), "afwijzing", bezwaar_deadline=dt.date(2026, 5, 6))
    assert remedy_deadline(d, ruleset_for(d)) == dt.date(2026, 5, 6)


def test_organisation_letter_is_addressed_to_the_organisation(letters_app):
    org = f.organisation()
    contact = f.user("werkgever", "Gerrit Lubbers", organisation_id=org.id)
    d = f.decision(f.application(contact, organisation_=org), "verlening", amount="1800.00")
    db.session.commit()
    render_decision_letter(d.id)
    text = _text(db.session.get(Decision, d.id).letter_pdf)
    assert "Metaalbewerking Hoogeveen B.V. t.a.v. Gerrit Lubbers Industrieweg 5 7903 AH HOOGEVEEN" in text


def test_letter_is_stored_once_and_never_regenerated(letters_app):
    d = f.decision(f.application(), "verlening", amount="1800.00")
    db.session.commit()
    first = render_decision_letter(d.id)
    pdf = db.session.get(Decision, d.id).letter_pdf
    assert render_decision_letter(d.id) == first
    assert db.session.get(Decision, d.id).letter_pdf == pdf

    from fund.letters.immutable import LetterImmutable

    row = db.session.get(Decision, d.id)
    row.letter_pdf = b"%PDF-forged"
    with pytest.raises(LetterImmutable):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Decision, d.id).letter_sha256 == first


def _queued_letter(d):
    from fund.delivery import outbox

    row = outbox.add_letter(d)
    db.session.commit()
    return row


def test_outbox_letter_is_rendered_after_the_commit(letters_app):
    from fund.delivery import outbox

    d = f.decision(f.application(), "afwijzing")
    row = _queued_letter(d)
    outbox.dispatch()
    assert db.session.get(Decision, d.id).letter_pdf is not None
    assert db.session.get(type(row), row.id).state == "delivered"


def test_with_letters_off_the_row_waits_for_the_sweep(app):
    from fund.delivery import outbox

    assert app.config["FUND_LETTERS"] is False
    d = f.decision(f.application(), "afwijzing")
    row = _queued_letter(d)
    outbox.dispatch()
    assert db.session.get(Decision, d.id).letter_pdf is None
    assert outbox.sweep() == {"delivered": 1, "not_delivered": 0}
    assert db.session.get(Decision, d.id).letter_pdf is not None
    assert db.session.get(type(row), row.id).state == "delivered"


def test_letter_goes_through_rq_when_redis_is_configured(letters_app, monkeypatch):
    """With FUND_REDIS_URL the outbox row is queued by dotted name, not delivered in the web process."""
    import fakeredis
    import redis

    server = fakeredis.FakeServer()
    monkeypatch.setattr(redis.Redis, "from_url", classmethod(
        lambda cls, url, **kw: fakeredis.FakeRedis(server=server)))
    letters_app.config["FUND_REDIS_URL"] = "redis://queue.test:6379/0"
    from fund.delivery import outbox

    d = f.decision(f.application(), "afwijzing")
    row = _queued_letter(d)
    outbox.dispatch()
    assert db.session.get(Decision, d.id).letter_pdf is None
    from rq import Queue

    jobs = Queue("fund", connection=fakeredis.FakeRedis(server=server)).jobs
    assert [j.args for j in jobs] == [("fund.delivery.outbox:deliver", row.id)]


def _fonts(pdf: bytes) -> set[str]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return {str(font.BaseFont).split("+")[-1] for page in doc.pages
                for _, font in page.Resources.Font.items()}


def test_prepared_stylesheet_gives_the_same_letter_as_inline_css(decisions):
    """Letters use letter.css parsed once per thread (fonts loaded once); the result must be the
    letter the stylesheet inline gives: same pages, text (kenmerk and page footer), fonts."""
    from fund.letters.pdf import html_to_pdf
    from fund.letters.render import letter_html, letter_pdf

    for kind in ("verlening", "terugvordering", "verlening"):  # the second verlening: sheet reused
        d = db.session.get(Decision, decisions[kind])
        prepared, inline = letter_pdf(d), html_to_pdf(letter_html(d))
        assert "@font-face" not in letter_html(d, inline_css=False) and "@font-face" in letter_html(d)
        assert len(pypdf.PdfReader(io.BytesIO(prepared)).pages) == len(pypdf.PdfReader(io.BytesIO(inline)).pages)
        assert _text(prepared) == _text(inline)
        assert f"Kenmerk {d.number}" in _text(prepared) and "Pagina 1 van" in _text(prepared)
        assert _fonts(prepared) == _fonts(inline) and {"Fund-Sans", "Fund-Sans-Bold"} <= _fonts(prepared)  # the @font-face fonts

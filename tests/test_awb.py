"""The last day for bezwaar: six weeks after dispatch, moved by the Algemene termijnenwet."""
from datetime import date

import pytest

from fund.awb import atw_last_day, bezwaar_deadline, feestdagen


@pytest.mark.parametrize(("sent_on", "last_day"), [
    (date(2026, 12, 3), date(2027, 1, 14)),    # an ordinary Thursday
    (date(2026, 11, 19), date(2026, 12, 31)),  # Oudejaarsdag is no feestdag
    (date(2026, 11, 14), date(2026, 12, 28)),  # ends on Tweede Kerstdag (Saturday): to Monday
    (date(2027, 3, 16), date(2027, 4, 28)),    # ends on Koningsdag 2027 (Tuesday)
    (date(2027, 2, 15), date(2027, 3, 30)),    # ends on Tweede Paasdag 2027
    (date(2026, 4, 2), date(2026, 5, 18)),     # Hemelvaartsdag, then Friday 15 May gelijkgesteld
    (date(2025, 11, 21), date(2026, 1, 5)),    # Friday 2 January 2026 gelijkgesteld
    (date(2027, 3, 25), date(2027, 5, 10)),    # Hemelvaartsdag 2027, then Friday 7 May gelijkgesteld
    (date(2028, 3, 17), date(2028, 5, 1)),     # Friday 28 April 2028 (after Koningsdag) gelijkgesteld
    (date(2028, 4, 14), date(2028, 5, 29)),    # Friday 26 May 2028 (after Hemelvaartsdag) gelijkgesteld
])
def test_bezwaar_deadline(app, sent_on, last_day):
    assert bezwaar_deadline(sent_on, 6) == last_day


def test_feestdagen_2026(app):
    days = feestdagen(2026)
    assert days[date(2026, 4, 3)] == "Goede Vrijdag"
    assert days[date(2026, 4, 6)] == "Tweede Paasdag"
    assert days[date(2026, 5, 14)] == "Hemelvaartsdag"
    assert days[date(2026, 5, 25)] == "Tweede Pinksterdag"
    assert days[date(2026, 4, 27)] == "Koningsdag"
    assert date(2026, 12, 31) not in days


def test_koningsdag_on_a_sunday_is_celebrated_the_day_before(app):
    assert date(2025, 4, 26) in feestdagen(2025) and date(2025, 4, 27) not in feestdagen(2025)


def test_a_working_day_stays(app):
    assert atw_last_day(date(2026, 11, 23)) == date(2026, 11, 23)


def test_gelijkgestelde_dagen_apply_on_their_own_date_only(app):
    assert feestdagen(2026)[date(2026, 5, 15)] == "Vrijdag na Hemelvaartsdag"
    assert date(2027, 1, 1) in feestdagen(2027) and date(2027, 1, 2) not in feestdagen(2027)
    assert date(2029, 5, 11) not in feestdagen(2029)  # Friday after Hemelvaart 2029: no decree known

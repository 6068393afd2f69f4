"""A grant is checked against the history facts as they are when it is made, not at submit.

Three vouchers of one employer are submitted in the same week; at submit none counts the
others, so each is computed at the full € 5.000. The jaarmaximum of € 10.000 must still hold.
"""
import pytest

from tests.facts import voucher_facts
from fund.workflow import WorkflowError, send
from tests.workflow.helpers import in_review


def _voucher(people):
    return in_review(people, "voucher", voucher_facts(people.org, cost="8000.00"))


def test_jaarmaximum_holds_for_applications_submitted_together(people):
    a1, a2, a3 = _voucher(people), _voucher(people), _voucher(people)
    assert [a.computed_amount for a in (a1, a2, a3)] == [5000, 5000, 5000]

    a1 = send(send(a1, "grant", people.officer), "co_sign", people.supervisor, approve=True)
    assert a1.status == "verleend"

    with pytest.raises(WorkflowError) as exc:
        send(a2, "grant", people.officer)
    assert exc.value.code == "historie_gewijzigd"
    # The renewed check counts a1: € 10.000 - € 5.000 leaves room for exactly € 5.000.
    assert a2.status == "in_behandeling"
    assert a2.eligibility_result["history"] == {"vouchers_granted_this_year": "5000.00"}
    assert a2.computed_amount == 5000
    a2 = send(send(a2, "grant", people.officer), "co_sign", people.supervisor, approve=True)
    assert a2.status == "verleend"

    with pytest.raises(WorkflowError) as exc:
        send(a3, "grant", people.officer)
    assert exc.value.code == "historie_gewijzigd"
    assert a3.status == "in_behandeling"
    assert a3.eligibility_outcome == "ineligible"
    assert "jaarmaximum" in a3.eligibility_result["reasons"]
    assert a3.granted_amount is None
    with pytest.raises(WorkflowError) as exc:  # granting now would deviate from the rules
        send(a3, "grant", people.officer)
    assert exc.value.code == "afwijking"


def test_stale_proposal_cannot_be_co_signed(people):
    a1, a2 = _voucher(people), _voucher(people)
    a2 = send(a2, "grant", people.officer)  # proposed at € 5.000 while a1 was not yet granted
    a1 = send(send(a1, "grant", people.officer), "co_sign", people.supervisor, approve=True)
    a3 = _voucher(people)  # submitted after a1's grant: its check counts a1 already
    assert a3.eligibility_result["history"] == {"vouchers_granted_this_year": "5000.00"}
    a3 = send(send(a3, "grant", people.officer2), "co_sign", people.supervisor2, approve=True)
    assert a3.status == "verleend"  # a1 + a3 = € 10.000: the jaarmaximum is used up
    with pytest.raises(WorkflowError) as exc:
        send(a2, "co_sign", people.supervisor, approve=True)
    assert exc.value.code == "historie_gewijzigd"
    assert a2.eligibility_outcome == "ineligible"
    with pytest.raises(WorkflowError) as exc:
        send(a2, "co_sign", people.supervisor, approve=True)
    assert exc.value.code == "voorstel_verouderd"
    a2 = send(a2, "co_sign", people.supervisor, approve=False, motivation="Regels gaven nu iets anders.")
    assert a2.status == "in_behandeling"

"""The machine is built once per thread and bound to one application at a time (issue 18)."""
import threading

from fund.workflow import available_events, send
from fund.workflow.machine import machine_for
from tests.workflow.helpers import in_review, submitted


def test_one_thread_reuses_its_machine_and_binds_it_to_each_application(sqlite_people):
    p = sqlite_people
    first, second = submitted(p, title="Eerste"), in_review(p, applicant=p.inwoner2, title="Tweede")
    with machine_for(first) as machine:
        built = machine
        assert [s.id for s in machine.configuration] == ["ingediend"]
    with machine_for(second) as machine:
        assert machine is built  # not built again
        assert [s.id for s in machine.configuration] == ["in_behandeling"]
        assert "grant" in {e.id for e in machine.allowed_events}


def test_a_machine_in_use_is_not_handed_out_again(sqlite_people):
    """An effect that asks for a machine while the thread's machine is bound gets its own."""
    p = sqlite_people
    first, second = submitted(p, title="Eerste"), in_review(p, applicant=p.inwoner2, title="Tweede")
    with machine_for(first) as outer:
        with machine_for(second) as inner:
            assert inner is not outer
            assert [s.id for s in inner.configuration] == ["in_behandeling"]
        assert [s.id for s in outer.configuration] == ["ingediend"]  # still bound to the first


def test_after_a_final_state_the_next_application_still_moves(sqlite_people):
    """ingetrokken is final: it stops the engine of the machine that entered it, which is then
    not reused; the next event in the same thread works on a machine of its own."""
    p = sqlite_people
    gone = send(submitted(p, title="Weg"), "withdraw", p.inwoner, reason="Niet meer nodig")
    assert gone.status == "ingetrokken"
    later = send(submitted(p, applicant=p.inwoner2, title="Later"), "assign", p.officer)
    assert later.status == "in_behandeling"
    assert {o.name for o in available_events(later, p.officer)} >= {"grant", "reject"}


def test_each_thread_has_its_own_machine(sqlite_people):
    p = sqlite_people
    app = submitted(p)
    with machine_for(app) as mine:
        pass
    seen = []

    def other_thread():
        with machine_for(app) as theirs:
            seen.append((theirs, [s.id for s in theirs.configuration]))

    t = threading.Thread(target=other_thread)
    t.start()
    t.join()
    assert seen[0][0] is not mine and seen[0][1] == ["ingediend"]

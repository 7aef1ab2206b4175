"""The server's warm-up: it compiles what a visitor's first Train runs, the page the first visitor opened first,
on every slot's device."""
from explorer import server
from explorer.experiments import ALL


def _address(task) -> str:
    entry, role, _ = task
    return role if entry is None else entry.address(role)


def test_the_warm_up_covers_every_trained_page_once_with_the_first_visitors_page_first():
    warmed = [e for e in ALL if e.warmed]
    plain = [_address(t) for t in server.tasks()]
    # every GAN page, lab and seed sweep of the number kinds, and the Dirac lesson; each once
    assert sorted(plain) == sorted([e.address(r) for e in warmed for r in ("gan", "lab", "sweep")] + [server.DIRAC])
    assert plain[:len(warmed)] == [e.address("gan") for e in warmed]  # the most visited pages first
    assert plain.index(server.DIRAC) == len(warmed)  # Home's first link next
    for address in plain:
        first = [_address(t) for t in server.tasks(address)]
        assert first[0] == address and sorted(first) == sorted(plain)
    assert [_address(t) for t in server.tasks("compare")] == plain  # a page that trains nothing changes nothing


def test_a_second_slots_device_gets_the_gan_and_lab_steps_after_the_first_slots_steps():
    lab = ALL[0].address("lab")  # the 1-D discriminator lab
    one, two = server.tasks(lab), server.tasks(lab, slots=2)
    assert two[:len(one)] == one and {slot for *_, slot in one} == {0}
    again = two[len(one):]
    assert {slot for *_, slot in again} == {1}
    # on the second device, the same GAN and lab steps in the same order (the first visitor's page first)
    assert [t[:2] for t in again] == [t[:2] for t in one if t[1] in ("gan", "lab")]
    assert _address(one[0]) == _address(again[0]) == lab


def test_the_warm_up_waits_while_a_visitors_script_runs_and_not_after_it_ended_or_died():
    import threading

    assert not server.answering()
    began, end = threading.Event(), threading.Event()

    def script(ends: bool):
        server.script_began()
        began.set()
        end.wait(10)
        if ends:
            server.script_ended("")  # (GAN_EXPLORER_WARM=0 in tests: no warm-up starts)

    for ends in (True, False):  # told its end; or gone by an exception before it (its thread ended)
        began.clear(), end.clear()
        thread = threading.Thread(target=script, args=(ends,))
        thread.start()
        began.wait(10)
        assert server.answering()  # a Train click's script: its run is not raced by a warm-up step
        end.set()
        thread.join(10)
        assert not server.answering()

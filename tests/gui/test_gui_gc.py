"""Qt objects must die on the GUI thread: the collector runs there, and worker lanes hand back
every reference a finished job held."""

from __future__ import annotations

import gc
import threading
import weakref

from pos_app import gui_gc
from pos_app.worker import Worker


class Tracer:
    """Records the thread it was destroyed on."""

    died_on: list[str] = []

    def __del__(self):
        Tracer.died_on.append(threading.current_thread().name)


def test_automatic_collection_is_off_and_the_timer_collects_cycles(qapp):
    collector = gui_gc.install(qapp)
    assert gui_gc.install(qapp) is collector          # once per application
    assert not gc.isenabled()

    class Node:
        pass
    a, b = Node(), Node()
    a.other, b.other = b, a
    alive = weakref.ref(a)
    del a, b
    for _ in range(collector.thresholds[0] + 10):   # pass the youngest generation's threshold
        x = Node()
        x.me = x
    assert collector.check() is not None
    assert alive() is None


def test_a_finished_jobs_closure_is_freed_on_the_gui_thread(qtbot):
    worker = Worker("gc-test")
    Tracer.died_on.clear()
    got = []

    def submit():
        tracer = Tracer()
        worker.run(lambda: id(tracer), got.append)
    submit()
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    worker.stop()
    assert Tracer.died_on == [threading.main_thread().name]

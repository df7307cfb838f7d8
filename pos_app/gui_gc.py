"""Python's cyclic garbage collector runs on the GUI thread only.

Qt objects must be destroyed on the thread that owns them. Left alone, the collector runs on
whichever thread happens to allocate when a threshold is crossed — often a worker lane — and a
widget or model caught in a reference cycle is then destroyed there, which crashes Qt (a
segmentation fault, seen in CI). So automatic collection is switched off and a timer on the GUI
thread collects instead, by the same generation thresholds the interpreter would have used.
Reference counting (which frees almost everything) is unaffected.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Collects garbage from a timer on the thread it is created on (the GUI thread)."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold; None if none did."""
        counts = gc.get_count()
        generation = None
        for gen in range(3):
            if counts[gen] > self.thresholds[gen]:
                generation = gen
        if generation is None:
            return None
        gc.collect(generation)
        return generation


def install(app: QObject) -> GuiThreadCollector:
    """Install once per application (idempotent); returns the collector."""
    existing = app.findChild(GuiThreadCollector)
    if existing is not None:
        return existing
    return GuiThreadCollector(app)

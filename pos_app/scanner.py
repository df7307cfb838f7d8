"""Keyboard-wedge barcode scanners: an application-wide event filter that spots a scan by its speed.

A scanner types like a keyboard, but a burst of characters a few milliseconds apart followed by
Enter. The filter watches every key press (whatever widget has focus), lets them through as usual,
and when a burst of at least `min_length` characters with gaps under `max_gap` ends in Enter it
swallows the Enter, takes the burst back out of the line edit it landed in, and emits `scanned`.
A person typing is far slower than `max_gap`, so their Enter goes where it always went.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QLineEdit

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ScannerFilter(QObject):
    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, max_gap: float = 0.030, min_length: int = 4,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self.max_gap, self.min_length, self.clock = max_gap, min_length, clock
        self.enabled = True
        self._chars: list[str] = []
        self._last = 0.0
        self._target: QObject | None = None

    def install(self, app: QApplication | None = None) -> None:
        (app or QApplication.instance()).installEventFilter(self)

    def uninstall(self, app: QApplication | None = None) -> None:
        (app or QApplication.instance()).removeEventFilter(self)

    def reset(self) -> None:
        self._chars, self._target = [], None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self.enabled or event.type() != QEvent.Type.KeyPress or not obj.isWidgetType():
            return False
        now = self.clock()
        if self._chars and now - self._last > self.max_gap:
            self.reset()
        # an unhandled key press is re-sent to the parents: only its first receiver counts
        if self._chars and obj is not self._target:
            return False
        key = event.key()
        if key in ENTER_KEYS:
            code = "".join(self._chars)
            target = self._target
            self.reset()
            if len(code) >= self.min_length:
                self._take_back(target, code)
                self.scanned.emit(code)
                return True
            return False
        text = event.text()
        if text and text.isprintable() and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            if not self._chars:
                self._target = obj
            self._chars.append(text)
            self._last = now
        return False

    @staticmethod
    def _take_back(target: QObject | None, code: str) -> None:
        """Remove the scanned characters that a focused line edit already received."""
        if isinstance(target, QLineEdit) and target.text().endswith(code):
            target.setText(target.text()[: -len(code)])

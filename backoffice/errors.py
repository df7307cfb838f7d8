"""The one place the back office shows errors: a UserError as a plain message, anything else as a bug.

Boxes are opened window-modal without a nested event loop (`open`, not `exec`), so a test or the
database lane is never held up by an unanswered box. `shown` keeps the last messages for tests.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from core.errors import ButikError, Unavailable, UserError

log = logging.getLogger(__name__)

#: (title, text) of the boxes shown so far, newest last (kept short)
shown: list[tuple[str, str]] = []
_open_boxes: list[QMessageBox] = []


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def describe(exc: BaseException) -> tuple[str, str, bool]:
    """(title, text, is_bug) for an exception: a user error says what and how to fix; a bug says so."""
    if isinstance(exc, UserError):
        text = exc.message
        if exc.field:
            text = f"{exc.field}: {text}"
        if exc.hint:
            text += "\n\n" + exc.hint
        return _tr("Cannot do that"), text, False
    if isinstance(exc, Unavailable):
        return _tr("Not available"), str(exc), False
    if isinstance(exc, ButikError):
        return _tr("Cannot do that"), str(exc), False
    return _tr("Unexpected error"), _tr("This is a bug in Butik; please report it.") + \
        f"\n\n{type(exc).__name__}: {exc}", True


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Show `exc` in a message box (non-blocking) and return the box."""
    title, text, bug = describe(exc)
    if bug:
        log.error("unexpected error in the back office:\n%s",
                  getattr(exc, "__butik_traceback__", None)
                  or "".join(traceback.format_exception(exc)))
    shown.append((title, text))
    del shown[:-20]
    box = QMessageBox(QMessageBox.Icon.Critical if bug else QMessageBox.Icon.Warning, title, text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    details = getattr(exc, "__butik_traceback__", None)
    if bug and details:
        box.setDetailedText(details)
    _open_boxes.append(box)
    box.finished.connect(lambda _r, b=box: _open_boxes.remove(b) if b in _open_boxes else None)
    box.open()
    return box


def close_all() -> None:
    """Close every open error box (tests, window close)."""
    for box in _open_boxes:
        box.done(0)

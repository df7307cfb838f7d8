"""What every till view shares: the session, the two worker lanes, the cart as last seen, errors.

Views call `ctx.cart_op(...)` and friends; the work runs on a lane and `cart_changed` announces the
new cart once (views refresh from it). Every failure ends in `fail`, the one place errors are
turned into a message for the cashier: user errors as they are, a device that does not answer
with its message, and anything else as an internal error with the trace in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from core.errors import Unavailable, UserError
from pos_app import auth
from pos_app.dialogs import NumberDialog
from pos_app.i18n import tr
from pos_app.session import CartSnapshot, PosSession
from pos_app.worker import Worker

log = logging.getLogger("butik.pos")


class Ctx(QObject):
    cart_changed = Signal(object)  # CartSnapshot
    message = Signal(str, str)  # text, level: info | ok | error
    printer_state = Signal(bool, str)  # ok, text
    logged_in = Signal(str)  # cashier ('' = logged out)
    receipt_done = Signal(object)  # CompletedSale

    def __init__(self, session: PosSession, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.db = Worker("db", self.fail, self)
        self.device = Worker("printer", self.fail, self)
        self.cart: CartSnapshot = CartSnapshot.of(session.till.cart)
        self.window = None  # the QWidget dialogs open over (set by the main window)
        self.open_mode = False
        self.cashier = ""
        self.role = ""
        self.last_receipt_id: str | None = None

    @property
    def idle(self) -> bool:
        return self.db.idle and self.device.idle

    # --- running work ---------------------------------------------------------------------------

    def do(self, fn: Callable[[], Any], then: Callable[[Any], None] | None = None,
           on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run `fn` on the database lane; `then(result)` on the GUI thread."""
        self.db.run(fn, then, on_error)

    def cart_op(self, fn: Callable[[], Any], then: Callable[[CartSnapshot], None] | None = None) -> None:
        """Run a till action on the database lane, then show the cart as it is afterwards."""
        def done(snap: CartSnapshot) -> None:
            self.set_cart(snap)
            if then is not None:
                then(snap)
        self.db.run(lambda: self.session.then(fn), done)

    def set_cart(self, snap: CartSnapshot) -> None:
        self.cart = snap
        self.cart_changed.emit(snap)

    def refresh_cart(self) -> None:
        self.db.run(self.session.snapshot, self.set_cart)

    def fail(self, exc: BaseException) -> None:
        """The one place an error becomes a message for the cashier."""
        if isinstance(exc, (UserError, Unavailable)):
            text = str(exc)
        else:
            log.error("internal error: %s\n%s", exc, getattr(exc, "__butik_traceback__", ""))
            text = tr("Internal error — the sale is safe; please report this:") + f" {type(exc).__name__}: {exc}"
        self.message.emit(text, "error")

    def info(self, text: str, level: str = "ok") -> None:
        self.message.emit(text, level)

    # --- people ---------------------------------------------------------------------------------

    def ask_manager(self, reason: str, then: Callable[[str], None]) -> None:
        """Ask for a manager's PIN; `then(manager name)` once it checks out (PIN checked off-thread)."""
        def checked(pin: str) -> None:
            self.do(lambda: auth.check_pin(self.session.store, pin, role="manager"),
                    lambda person: then(person.username))

        dialog = NumberDialog(self.window, tr("Manager approval"), checked, kind="pin", note=reason)
        dialog.setObjectName("managerPin")
        dialog.open()

    # --- printing (the device lane: a slow printer never holds up the next sale) ----------------

    def print_receipt(self, receipt_id: str) -> None:
        def done(kind: str) -> None:
            self.printer_state.emit(True, tr("Printer ready"))
            if kind == "copy":
                self.info(tr("Copy printed (KOPIA)"))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Unavailable):
                self.printer_state.emit(False, tr("Printer not answering"))
                self.message.emit(tr("The receipt is saved but not printed:") + f" {exc}", "error")
            else:
                self.fail(exc)

        self.device.run(lambda: self.session.print_receipt(receipt_id), done, failed)

    def run_device(self, fn: Callable[[], Any], then: Callable[[Any], None] | None = None) -> None:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, Unavailable):
                self.printer_state.emit(False, tr("Printer not answering"))
            self.fail(exc)

        def done(result: Any) -> None:
            self.printer_state.emit(True, tr("Printer ready"))
            if then is not None:
                then(result)

        self.device.run(fn, done, failed)

    def shutdown(self) -> None:
        self.db.stop()
        self.device.stop()

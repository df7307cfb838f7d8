"""The till's window: a thin shell stacking login, sale and payment, with the status bar and banners."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.sync.status import read_status
from pos_app.controller import Ctx
from pos_app.i18n import tr
from pos_app.login_shift import LoginPage, ShiftOpenDialog
from pos_app.menu import Actions, MenuDialog
from pos_app.models import money
from pos_app.payment_view import PaymentPage
from pos_app.sale_view import SalePage
from pos_app.scanner import ScannerFilter
from pos_app.session import CartSnapshot, PosSession
from pos_app.widgets import MessageBar

STATUS_EVERY_MS = 3000


class StatusBar(QWidget):
    """Always visible: sync state and events waiting, printer state, who is logged in."""

    def __init__(self, ctx: Ctx):
        super().__init__()
        self.setObjectName("statusBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        self.sync = QLabel(tr("Sync: …"))
        self.printer = QLabel(tr("Printer: not used yet"))
        self.who = QLabel()
        self.mode = QLabel()
        for w in (self.sync, self.printer, self.mode):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.who)
        self.ctx = ctx
        ctx.printer_state.connect(self.set_printer)
        self.timer = QTimer(self, interval=STATUS_EVERY_MS, timeout=self.poll)

    def start(self) -> None:
        self.poll()
        self.timer.start()

    def poll(self) -> None:
        if self.ctx.db.pending:  # busy: the next tick will do
            return
        store = self.ctx.session.store
        self.ctx.do(lambda: read_status(store), self.set_sync, lambda exc: self.sync.setText(
            tr("Sync: status unknown")))

    def set_sync(self, status) -> None:
        if not status.enrolled:
            text = tr("Local database (not connected to a server)")
            state = "local"
        elif status.online:
            text, state = tr("Online"), "online"
        else:
            text, state = tr("Offline — selling goes on"), "offline"
        text += f" · {status.events_waiting} " + tr("events waiting")
        if status.failed_events:
            text += f" · {status.failed_events} " + tr("refused")
        self.sync.setText(text)
        self.sync.setProperty("state", state)
        self.sync.style().unpolish(self.sync)
        self.sync.style().polish(self.sync)

    def set_printer(self, ok: bool, text: str) -> None:
        self.printer.setText(text)
        self.printer.setProperty("state", "online" if ok else "offline")
        self.printer.style().unpolish(self.printer)
        self.printer.style().polish(self.printer)


class PosWindow(QMainWindow):
    def __init__(self, session: PosSession, *, scanner: bool = True):
        super().__init__()
        self.setWindowTitle(f"Butik — {session.register.header.get('store') or ''} "
                            f"{session.register.code}")
        self.ctx = Ctx(session, self)
        self.ctx.window = self
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        self.training_banner = QLabel(tr("TRAINING — ÖVNING — nothing is sold for real"))
        self.training_banner.setObjectName("trainingBanner")
        self.training_banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.training_banner.hide()
        layout.addWidget(self.training_banner)
        self.messages = MessageBar()
        layout.addWidget(self.messages)
        self.stack = QStackedWidget()
        self.login = LoginPage(self.ctx, self.logged_in)
        self.actions = Actions(self.ctx, self, self.logout)
        self.sale = SalePage(self.ctx, self.to_payment, self.open_menu)
        self.payment = PaymentPage(self.ctx, self.to_sale, self.sale_done)
        for page in (self.login, self.sale, self.payment):
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)
        self.status = StatusBar(self.ctx)
        layout.addWidget(self.status)
        self.setCentralWidget(central)
        self.ctx.message.connect(self.messages.show_message)
        self.ctx.cart_changed.connect(self.cart_changed)
        self.scanner = ScannerFilter(self)
        self.scanner.scanned.connect(self.on_scan)
        if scanner:
            self.scanner.install()
        self.menu_dialog: MenuDialog | None = None
        self.login.load_people()
        self.status.start()

    # --- pages -----------------------------------------------------------------------------------

    def logged_in(self, person) -> None:
        self.ctx.cashier, self.ctx.role = person.username, person.role
        self.status.who.setText(tr("Cashier:") + f" {person.username} · {self.ctx.session.register.code}")
        if self.ctx.open_mode:
            self.status.mode.setText(tr("open mode (no PINs)"))

        def shift_known(is_open: bool) -> None:
            self.ctx.logged_in.emit(person.username)
            self.status.poll()
            self.to_sale()
            self.sale.load_catalogue()
            self.ctx.refresh_cart()
            if not is_open:
                self.shift_dialog = ShiftOpenDialog(self, self.open_shift)
                self.shift_dialog.open()

        self.ctx.do(lambda: self.ctx.session.login(person.username), shift_known)

    def open_shift(self, denominations: dict) -> None:
        till = self.ctx.session.till
        self.ctx.do(lambda: till.open_shift(denominations=denominations),
                    lambda _id: self.ctx.info(tr("Shift opened")))

    def logout(self) -> None:
        if not self.ctx.cart.is_empty:
            self.ctx.info(tr("Park or finish the sale before logging out"), "error")
            return
        self.ctx.cashier = ""
        self.status.who.setText("")
        self.ctx.logged_in.emit("")
        self.stack.setCurrentWidget(self.login)

    def to_sale(self) -> None:
        self.stack.setCurrentWidget(self.sale)

    def to_payment(self) -> None:
        cart = self.ctx.cart
        self.payment.start(cart.total, cart.currency)
        self.stack.setCurrentWidget(self.payment)

    def sale_done(self, sale) -> None:
        self.ctx.last_receipt_id = sale.receipt_id
        text = tr("Receipt") + f" {sale.number}"
        if sale.change:
            text += " · " + tr("Change:") + f" {money(sale.change)} kr"
        self.ctx.info(text)
        self.ctx.receipt_done.emit(sale)
        if self.ctx.session.settings.auto_print:
            self.ctx.print_receipt(sale.receipt_id)
        self.to_sale()

    def open_menu(self) -> None:
        self.menu_dialog = MenuDialog(self, self.actions)
        self.menu_dialog.open()

    def cart_changed(self, snap: CartSnapshot) -> None:
        self.training_banner.setVisible(snap.training)

    # --- scans -----------------------------------------------------------------------------------

    def on_scan(self, code: str) -> None:
        """A scan goes to the open panel that takes scans, else to the sale screen."""
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and hasattr(dialog, "accept_scan"):
            dialog.accept_scan(code)
        elif self.stack.currentWidget() is self.sale and not isinstance(dialog, QDialog):
            self.sale.scan(code)
        elif self.stack.currentWidget() is self.login:
            self.ctx.info(tr("Log in first"), "error")

    def closeEvent(self, event) -> None:
        self.status.timer.stop()
        self.scanner.uninstall()
        self.ctx.shutdown()
        super().closeEvent(event)

"""The till's function menu: X and Z reports, copies, drawer, price lookup, gift cards, training, shift."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout

from core.money import format_amount
from core.sales.printing import print_report
from core.sales.receipt_layout import report_layout, to_text
from pos_app.controller import Ctx
from pos_app.dialogs import ChoiceDialog, NumberDialog, Panel, TextDialog
from pos_app.i18n import tr
from pos_app.login_shift import ShiftCloseDialog, show_close_summary
from pos_app.sale_dialogs import PrinterDialog
from pos_app.widgets import TouchButton


class Actions:
    """Menu actions; each runs its work on a lane and reports through the controller."""

    def __init__(self, ctx: Ctx, parent, on_logout: Callable[[], None]):
        self.ctx, self.parent, self.on_logout = ctx, parent, on_logout
        self.last_dialog = None

    def _show(self, dialog):
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def report(self, kind: str) -> None:
        till = self.ctx.session.till

        def show(body: dict) -> None:
            text = to_text(report_layout(body))
            printer = self.ctx.session.printer
            dialog = TextDialog(self.parent, body["title"], text,
                                [(tr("Print"), lambda: self.ctx.run_device(lambda: print_report(printer, body)))])
            dialog.setObjectName(f"report{kind}")
            dialog.report = body
            self._show(dialog)

        if kind == "X":
            self.ctx.do(till.x_report, show)
        else:
            self._show(ChoiceDialog(self.parent, tr("Z-report"),
                                    tr("Close the day? The day's totals start again from zero."),
                                    [(tr("Cancel"), None, lambda: None),
                                     (tr("Take Z-report"), "primary", lambda: self.ctx.do(till.z_report, show))]))

    def _pick_receipt(self, title: str, then: Callable[[str, int], None]) -> None:
        """Ask for a receipt of this register by number or scan (the last one filled in)."""
        session = self.ctx.session

        def ask(last: int | None) -> None:
            if last is None:
                self.ctx.info(tr("No receipt yet at this register"), "error")
                return

            def chosen(text: str) -> None:
                self.ctx.do(lambda: session.receipt_by_number(text), lambda hit: then(*hit))
            dialog = self._show(NumberDialog(self.parent, title, chosen, kind="text", initial=str(last),
                                             note=tr("Scan the receipt or type its number")))
            dialog.setObjectName("pickReceipt")
        self.ctx.do(session.last_receipt_number, ask)

    def copy(self) -> None:
        """Print the one allowed copy (KOPIA) of a receipt chosen by number; a second is refused."""
        self._pick_receipt(tr("Receipt copy"), lambda receipt_id, _number: self.ctx.print_receipt(receipt_id))

    def e_receipt(self) -> None:
        """Save a receipt (the last by default) as an e-receipt: PDF and text."""
        session = self.ctx.session

        def save(receipt_id: str, _number: int) -> None:
            folder = session.e_receipt_folder()
            self.ctx.do(lambda: session.save_e_receipt(receipt_id, folder), lambda paths: self.ctx.info(
                tr("E-receipt saved:") + " " + ", ".join(str(p) for p in paths)))
        self._pick_receipt(tr("E-receipt (PDF and text)"), save)

    def print_waiting(self) -> None:
        self.ctx.run_device(self.ctx.session.print_unprinted,
                            lambda n: self.ctx.info(tr("Receipts printed:") + f" {n}"))

    def no_sale(self) -> None:
        session = self.ctx.session

        def approved(manager: str) -> None:
            self.ctx.do(lambda: session.till.no_sale(manager),
                        lambda _r: self.ctx.run_device(lambda: session.printer.kick_drawer()))
        self.ctx.ask_manager(tr("Open the drawer without a sale"), approved)

    def price_lookup(self) -> None:
        till = self.ctx.session.till

        def look(code: str) -> None:
            self.ctx.do(lambda: till.price_enquiry(code), lambda p: self.ctx.info(
                f"{p.sku} {p.name}: {format_amount(p.unit_price, thousands_sep=' ')} kr", "info"))
        self._show(NumberDialog(self.parent, tr("Price lookup"), look, kind="text",
                                note=tr("Scan or type the article")))

    def sell_gift_card(self) -> None:
        till = self.ctx.session.till

        def with_code(code: str) -> None:
            self._show(NumberDialog(self.parent, tr("Gift card value (kr)"), lambda amount: self.ctx.cart_op(
                lambda: till.add_gift_card(code, amount)), kind="amount"))
        self._show(NumberDialog(self.parent, tr("Sell gift card"), with_code, kind="text",
                                note=tr("Scan or type the new card's code")))

    def training(self) -> None:
        till = self.ctx.session.till
        self.ctx.cart_op(lambda: till.set_training(not till.cart.training))

    def printer(self) -> None:
        self._show(PrinterDialog(self.parent, self.ctx))

    def close_shift(self) -> None:
        till = self.ctx.session.till

        def counted(methods: dict, denominations: dict) -> None:
            def done(result) -> None:
                show_close_summary(self.parent, result)
                self.on_logout()
            self.ctx.do(lambda: till.close_shift(methods, denominations), done)
        self._show(ShiftCloseDialog(self.parent, counted))


class MenuDialog(Panel):
    def __init__(self, parent, actions: Actions):
        super().__init__(parent, tr("Menu"), width=0.7, height=0.8)
        self.setObjectName("menu")
        grid = QGridLayout()
        self.buttons: dict[str, TouchButton] = {}
        items = [("x", tr("X-report"), lambda: actions.report("X")),
                 ("z", tr("Z-report (close day)"), lambda: actions.report("Z")),
                 ("copy", tr("Receipt copy"), actions.copy),
                 ("e_receipt", tr("E-receipt (PDF and text)"), actions.e_receipt),
                 ("waiting", tr("Print waiting receipts"), actions.print_waiting),
                 ("no_sale", tr("Open drawer (manager)"), actions.no_sale),
                 ("price", tr("Price lookup"), actions.price_lookup),
                 ("gift", tr("Sell gift card"), actions.sell_gift_card),
                 ("training", tr("Training mode on/off"), actions.training),
                 ("printer", tr("Printer settings"), actions.printer),
                 ("close_shift", tr("Close shift"), actions.close_shift),
                 ("logout", tr("Log out"), actions.on_logout)]
        for i, (key, label, handler) in enumerate(items):
            b = TouchButton(label, on_click=lambda h=handler: self._run(h))
            self.buttons[key] = b
            grid.addWidget(b, i // 3, i % 3)
        self.body.addLayout(grid, 1)
        self.add_buttons([TouchButton(tr("Close"), on_click=self.reject)])

    def _run(self, handler: Callable) -> None:
        self.accept()
        handler()

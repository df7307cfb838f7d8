"""The sale screen's panels: variant picker, customer, parked sales, returns and printer settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QFormLayout, QGridLayout, QHBoxLayout, QLineEdit, QSpinBox

from core.errors import UserError, ValidationError
from core.hardware.printer import KINDS
from core.quantity import format_qty, parse_qty
from core.sales.complete import find_receipt, returnable
from core.sales.lookup import find_code
from core.sales.receipt_layout import parse_receipt_code
from pos_app import catalog, customers
from pos_app.controller import Ctx
from pos_app.dialogs import Panel
from pos_app.i18n import tr
from pos_app.models import CustomersModel, ParkedModel, ReceiptLinesModel
from pos_app.widgets import TouchButton, ok_cancel, selected_row, touch_table


class VariantDialog(Panel):
    """Colour × size: one big button per variant showing the stock at this store."""

    def __init__(self, parent, name: str, choice: catalog.VariantChoice, on_pick: Callable[[int], None]):
        super().__init__(parent, name, width=0.8, height=0.8)
        self.setObjectName("variantPicker")
        self.on_pick = on_pick
        grid = QGridLayout()
        for c, col in enumerate(choice.cols):
            grid.addWidget(TouchButton(col, role="header"), 0, c + 1)
        self.buttons: dict[int, TouchButton] = {}
        for r, row in enumerate(choice.rows):
            grid.addWidget(TouchButton(row, role="header"), r + 1, 0)
            for c, cell in enumerate(choice.cells[r]):
                if cell.product_id is None:
                    continue
                text = f"{row} {choice.cols[c]}".strip() + f"\n{format_qty(cell.available)} " + tr("in stock")
                b = TouchButton(text, role="variant" if cell.available > 0 else "empty",
                                on_click=lambda pid=cell.product_id: self.pick(pid))
                grid.addWidget(b, r + 1, c + 1)
                self.buttons[cell.product_id] = b
        self.body.addLayout(grid, 1)
        self.add_buttons([TouchButton(tr("Cancel"), on_click=self.reject)])

    def pick(self, product_id: int) -> None:
        self.accept()
        self.on_pick(product_id)


class CustomerDialog(Panel):
    """Find a customer by name, number, phone or e-mail (scans work too), or quick-create one."""

    def __init__(self, parent, ctx: Ctx):
        super().__init__(parent, tr("Customer"), width=0.8, height=0.9)
        self.setObjectName("customerDialog")
        self.ctx = ctx
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Name, customer no., phone or e-mail"))
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self._timer = QTimer(self, singleShot=True, interval=200, timeout=self.run_search)
        self.body.addWidget(self.search)
        self.model = CustomersModel(self)
        self.table = touch_table(self.model, self)
        self.body.addWidget(self.table, 1)
        form = QFormLayout()
        self.new_name, self.new_phone, self.new_email = QLineEdit(), QLineEdit(), QLineEdit()
        form.addRow(tr("New customer: name"), self.new_name)
        form.addRow(tr("Phone"), self.new_phone)
        form.addRow(tr("E-mail"), self.new_email)
        self.body.addLayout(form)
        self.add_buttons([TouchButton(tr("Cancel"), on_click=self.reject),
                          TouchButton(tr("No customer"), on_click=self.detach),
                          TouchButton(tr("Create"), on_click=self.create),
                          TouchButton(tr("Choose"), role="primary", on_click=self.choose)])

    def run_search(self) -> None:
        text, store = self.search.text(), self.ctx.session.store
        self.ctx.do(lambda: customers.find(store, text), self.model.set_customers)

    def accept_scan(self, code: str) -> None:
        self.search.setText(code)
        self.run_search()

    def _attach(self, customer_id: str | None, name: str | None) -> None:
        self.accept()
        self.ctx.cart_op(lambda: self.ctx.session.attach_customer(customer_id, name))

    def choose(self) -> None:
        row = selected_row(self.table)
        if row is None:
            self.fail(tr("tap a customer in the list first"))
            return
        hit = self.model.row(row)
        self._attach(hit.id, hit.name)

    def detach(self) -> None:
        self._attach(None, None)

    def create(self) -> None:
        name, phone, email = self.new_name.text(), self.new_phone.text(), self.new_email.text()
        store = self.ctx.session.store

        def created(hit) -> None:
            self.ctx.info(tr("Customer created:") + f" {hit.name}")
            self._attach(hit.id, hit.name)

        self.ctx.do(lambda: customers.quick_create(store, name, phone, email), created,
                    lambda exc: self.fail(str(exc)) if isinstance(exc, UserError) else self.ctx.fail(exc))


class ParkedDialog(Panel):
    def __init__(self, parent, ctx: Ctx, parked: list):
        super().__init__(parent, tr("Parked sales"), width=0.7, height=0.8)
        self.setObjectName("parkedDialog")
        self.ctx = ctx
        self.model = ParkedModel(self)
        self.model.set_parked(parked)
        self.table = touch_table(self.model, self, stretch="label")
        self.body.addWidget(self.table, 1)
        self.add_buttons(ok_cancel(self.recall, self.reject, tr("Recall")))

    def recall(self, row: int | None = None) -> None:
        row = selected_row(self.table) if row is None else row
        if row is None:
            self.fail(tr("tap a parked sale first"))
            return
        parked_id = self.model.row(row).id
        self.accept()
        self.ctx.cart_op(lambda: self.ctx.session.recall(parked_id))


def receipt_for_return(session, text: str) -> dict:
    """The receipt a cashier scanned or typed (`REG/123` or `123`) with what is left to return."""
    text = text.strip()
    parsed = parse_receipt_code(text)
    if parsed is not None:
        number = parsed[1]
    elif text.isdigit():
        number = int(text)
    else:
        raise ValidationError("scan the receipt's barcode or type its number", field="receipt")
    with session.store.read() as s:
        r = find_receipt(s, session.register.id, number=number)
        left = returnable(s, r.id)
        lines = [dict(ln, idx=i, left=left.get(i, 0)) for i, ln in enumerate(r.body["lines"])]
        return {"id": r.id, "number": r.number, "kind": r.kind, "lines": lines,
                "payments": r.body["payments"]}


class ReturnDialog(Panel):
    """Return against a receipt (scan or type its number; pick lines), or without one (manager)."""

    def __init__(self, parent, ctx: Ctx):
        super().__init__(parent, tr("Return"), width=0.85, height=0.9)
        self.setObjectName("returnDialog")
        self.ctx = ctx
        self.receipt: dict | None = None
        row = QHBoxLayout()
        self.number = QLineEdit()
        self.number.setPlaceholderText(tr("Scan the receipt or type its number"))
        self.number.returnPressed.connect(self.load)
        row.addWidget(self.number, 3)
        row.addWidget(TouchButton(tr("Find"), on_click=self.load), 1)
        self.body.addLayout(row)
        self.model = ReceiptLinesModel(self)
        self.table = touch_table(self.model, self)
        self.table.setSelectionMode(self.table.SelectionMode.MultiSelection)
        self.body.addWidget(self.table, 1)
        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setPlaceholderText(tr("Barcode or article no."))
        self.qty = QLineEdit("1")
        form.addRow(tr("Without receipt: article"), self.code)
        form.addRow(tr("Quantity"), self.qty)
        self.body.addLayout(form)
        self.add_buttons([TouchButton(tr("Cancel"), on_click=self.reject),
                          TouchButton(tr("Without receipt (manager)"), on_click=self.without_receipt),
                          TouchButton(tr("Return selected"), role="primary", on_click=self.return_selected)])

    def accept_scan(self, code: str) -> None:
        if self.receipt is None or parse_receipt_code(code):
            self.number.setText(code)
            self.load()
        else:
            self.code.setText(code)

    def load(self) -> None:
        text, session = self.number.text(), self.ctx.session

        def show(receipt: dict) -> None:
            self.receipt = receipt
            self.model.set_lines(receipt["lines"])
            self.table.selectAll()

        self.ctx.do(lambda: receipt_for_return(session, text), show,
                    lambda exc: self.fail(str(exc)) if isinstance(exc, UserError) else self.ctx.fail(exc))

    def return_selected(self) -> None:
        if self.receipt is None:
            self.fail(tr("find the receipt first"))
            return
        rows = [i.row() for i in self.table.selectionModel().selectedRows()]
        picks = {self.model.row(r)["idx"]: self.model.row(r)["left"] for r in rows
                 if self.model.row(r)["left"] > 0}
        if not picks:
            self.fail(tr("nothing left to return on the chosen lines"))
            return
        rid, till = self.receipt["id"], self.ctx.session.till
        self.accept()
        self.ctx.cart_op(lambda: till.add_return(receipt_id=rid, picks=picks))

    def without_receipt(self) -> None:
        code = self.code.text().strip()
        try:
            qty = parse_qty(self.qty.text())
            if not code:
                raise ValidationError("scan or type the article", field="article")
        except UserError as exc:
            self.fail(str(exc))
            return
        session = self.ctx.session

        def add(manager: str) -> None:
            def work():
                with session.store.read() as s:
                    pid = find_code(s, code)
                if pid is None:
                    raise ValidationError(f"no product with code {code!r}", field="article")
                session.till.add_return_without_receipt(pid, qty, manager)
            self.ctx.cart_op(work)

        self.accept()
        self.ctx.ask_manager(tr("Return without a receipt"), add)


class PrinterDialog(Panel):
    """Printer and drawer settings, with a test print; saving is journaled."""

    def __init__(self, parent, ctx: Ctx):
        super().__init__(parent, tr("Printer and drawer"), width=0.7, height=0.9)
        self.setObjectName("printerDialog")
        self.ctx = ctx
        current = dict(ctx.session.settings.printer)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        self.kind.setCurrentText(current.get("kind", "dummy"))
        self.host = QLineEdit(str(current.get("host", "")))
        self.port = QSpinBox(maximum=65535, value=int(current.get("port", 9100)))
        self.devfile = QLineEdit(str(current.get("devfile", "")))
        self.usb = QLineEdit(f"{current.get('vendor_id', 0):#06x}:{current.get('product_id', 0):#06x}"
                             if isinstance(current.get("vendor_id", 0), int) else "")
        self.width_chars = QSpinBox(minimum=24, maximum=64, value=int(current.get("width", 42)))
        self.pin = QComboBox()
        self.pin.addItems(["2", "5"])
        self.pin.setCurrentText(str(current.get("drawer_pin", 2)))
        self.on_ms = QSpinBox(minimum=2, maximum=510, value=int(current.get("drawer_on_ms", 100)))
        self.off_ms = QSpinBox(minimum=2, maximum=510, value=int(current.get("drawer_off_ms", 100)))
        for label, w in ((tr("Connection"), self.kind), (tr("Host (network)"), self.host),
                         (tr("Port"), self.port), (tr("Device (serial/file)"), self.devfile),
                         (tr("USB vendor:product"), self.usb), (tr("Characters per line"), self.width_chars),
                         (tr("Drawer pin"), self.pin), (tr("Pulse on (ms)"), self.on_ms),
                         (tr("Pulse off (ms)"), self.off_ms)):
            form.addRow(label, w)
        self.body.addLayout(form, 1)
        self.add_buttons([TouchButton(tr("Cancel"), on_click=self.reject),
                          TouchButton(tr("Test print"), on_click=self.test_print),
                          TouchButton(tr("Save"), role="primary", on_click=self.save)])

    def values(self) -> dict:
        out = dict(self.ctx.session.settings.printer)
        out.update(kind=self.kind.currentText(), host=self.host.text().strip(), port=self.port.value(),
                   devfile=self.devfile.text().strip(), width=self.width_chars.value(),
                   drawer_pin=int(self.pin.currentText()), drawer_on_ms=self.on_ms.value(),
                   drawer_off_ms=self.off_ms.value())
        vendor, _, product = self.usb.text().partition(":")
        if vendor.strip() and product.strip():
            out.update(vendor_id=int(vendor, 0), product_id=int(product, 0))
        return out

    def test_print(self) -> None:
        from core.hardware.printer import ReceiptPrinter
        try:
            printer = ReceiptPrinter(self.values())
        except (UserError, ValueError) as exc:
            self.fail(str(exc))
            return
        self.ctx.run_device(printer.test_print, lambda _b: self.ctx.info(tr("Test page sent")))

    def save(self) -> None:
        try:
            values = self.values()
        except ValueError as exc:
            self.fail(str(exc))
            return
        self.accept()
        self.ctx.run_device(lambda: self.ctx.session.save_printer(values),
                            lambda _r: self.ctx.info(tr("Printer settings saved")))

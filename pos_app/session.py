"""The composition root of a till: store, register, control unit, printer, settings and the `Till`.

`PosSession` wraps `core.sales.till.Till` for the GUI: every method runs on the worker's database
lane (never on the GUI thread) and returns an immutable `CartSnapshot`, so widgets never read the
cart while the worker changes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.db.base import utcnow
from core.db.engine import Store
from core.hardware.printer import ReceiptPrinter
from core.money import VatPart
from core.sales import journal, printing
from core.sales.cart import Cart
from core.sales.control_unit import ControlUnit, SoftwareControlUnit
from core.sales.register import RegisterInfo, load_register
from core.sales.till import Till
from pos_app import customers
from pos_app.settings import PosSettings


@dataclass(frozen=True)
class Row:
    line_id: str
    name: str
    sku: str
    qty: int
    unit_price: int
    discount: int
    amount: int
    list_price: int | None
    kind: str
    is_return: bool


@dataclass(frozen=True)
class CartSnapshot:
    """What the sale screen shows of the cart, taken on the worker thread."""

    rows: tuple[Row, ...]
    total: int
    discount_total: int
    vat: tuple[VatPart, ...]
    training: bool
    kind: str
    customer_id: str | None
    customer_name: str | None
    parked_id: str | None
    currency: str

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @classmethod
    def of(cls, cart: Cart, customer_name: str | None = None) -> CartSnapshot:
        t = cart.totals()
        rows = tuple(Row(lt.line.line_id, lt.line.name, lt.line.sku, lt.line.qty, lt.line.unit_price,
                         lt.discount, lt.amount, lt.line.list_price, lt.line.kind, lt.line.qty < 0)
                     for lt in t.lines)
        return cls(rows, t.total, t.discount_total, tuple(t.vat), cart.training, cart.kind,
                   cart.customer_id, customer_name, cart.parked_id, cart.currency)


def find_register(store: Store, code: str | None) -> RegisterInfo:
    """The register by code, else the one this till was enrolled for, else the first active one."""
    from sqlalchemy import text

    from core.sync import state

    with store.read() as s:
        if code is None:
            code = state.get(s, state.REGISTER_CODE)
        if code is None:
            code = s.execute(text("SELECT code FROM register WHERE active ORDER BY id LIMIT 1")).scalar()
            if code is None:
                from core.errors import NotFound
                raise NotFound("this database has no register", field="register",
                               hint="create one in the back office, or sync the replica first")
        return load_register(s, code)


class PosSession:
    """One register's till as the GUI drives it. Not thread-safe: use it from one worker lane."""

    def __init__(self, store: Store, register: RegisterInfo, settings: PosSettings, *,
                 control_unit: ControlUnit, printer: ReceiptPrinter | None = None,
                 config_dir: Path | None = None, clock: Callable[[], dt.datetime] = utcnow,
                 cashier: str = ""):
        self.store, self.register, self.settings = store, register, settings
        self.control_unit, self.clock, self.config_dir = control_unit, clock, config_dir
        self.printer = printer or ReceiptPrinter(settings.printer_settings())
        self.till = Till(store, register, control_unit, cashier=cashier, clock=clock)
        self._customer_name: str | None = None

    @classmethod
    def open(cls, store: Store, settings: PosSettings, *, control_key: bytes,
             register_code: str | None = None, **kw) -> PosSession:
        register = find_register(store, register_code or settings.register_code)
        unit = SoftwareControlUnit.for_register(register.code, control_key)
        return cls(store, register, settings, control_unit=unit, **kw)

    # --- snapshots -----------------------------------------------------------------------------

    def snapshot(self) -> CartSnapshot:
        cart = self.till.cart
        if cart.customer_id is None:
            self._customer_name = None
        elif self._customer_name is None:
            self._customer_name = customers.name_of(self.store, cart.customer_id)
        return CartSnapshot.of(cart, self._customer_name)

    def then(self, action: Callable[[], object]) -> CartSnapshot:
        """Run a till action and return the cart as it is afterwards."""
        action()
        return self.snapshot()

    # --- the cashier ---------------------------------------------------------------------------

    def login(self, cashier: str) -> bool:
        """Set the cashier; returns whether a shift is open at this register."""
        self.till.cashier = cashier
        from core.sales import shift
        with self.store.read() as s:
            return shift.current_shift(s, self.register.id) is not None

    def attach_customer(self, customer_id: str | None, name: str | None) -> CartSnapshot:
        self.till.attach_customer(customer_id)
        self._customer_name = name
        return self.snapshot()

    def scan_any(self, code: str) -> tuple[str, object]:
        """A scan on the sale screen: an article; else a receipt code (a return); else a customer card."""
        from core.errors import NotFound
        from core.sales.receipt_layout import parse_receipt_code

        try:
            self.till.scan(code)
            return "line", self.snapshot()
        except NotFound:
            if parse_receipt_code(code):
                return "receipt", code
            hit = customers.by_number(self.store, code)
            if hit is None:
                raise
            return "customer", self.attach_customer(hit.id, hit.name)

    def recall(self, parked_id: str) -> CartSnapshot:
        self.till.recall(parked_id)
        self._customer_name = None
        return self.snapshot()

    # --- printing (printer lane: never the database lane's Till) -------------------------------

    def print_receipt(self, receipt_id: str) -> str:
        return printing.print_receipt(self.store, self.printer, receipt_id, cashier=self.till.cashier)

    def print_unprinted(self) -> int:
        done = 0
        for receipt_id, _number in printing.unprinted(self.store, self.register.id):
            printing.print_receipt(self.store, self.printer, receipt_id, cashier=self.till.cashier)
            done += 1
        return done

    def last_receipt_id(self) -> str | None:
        from sqlalchemy import select

        from core.sales.models import SalesReceipt
        with self.store.read() as s:
            return s.scalar(select(SalesReceipt.id).where(SalesReceipt.register_id == self.register.id)
                            .order_by(SalesReceipt.number.desc()).limit(1))

    def save_printer(self, printer: dict) -> None:
        """New printer settings: validated, saved, journaled as a settings change."""
        from pos_app import settings as settings_file
        new = ReceiptPrinter(printer)  # refuses bad settings before anything is saved
        self.settings.printer = dict(printer)
        if self.config_dir is not None:
            settings_file.save(self.config_dir, self.settings)
        with self.store.write() as s:
            journal.append(s, self.register.id, "settings_change",
                           {"printer": new.settings.describe(), "cashier": self.till.cashier})
            s.commit()
        self.printer = new

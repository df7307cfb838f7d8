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
from core.money import VatPart, allocate, cash_round
from core.sales import giftcard_client, giftcards, journal, printing
from core.sales.cart import Cart
from core.sales.control_unit import ControlUnit, SoftwareControlUnit
from core.sales.payments import Payment
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


#: how a refund to the original method is made, per method (shown to the cashier)
REFUND_NOTES = {"card": "refund on the card terminal", "swish": "refund through Swish",
                "gift_card": "a new credit voucher", "voucher": "a new credit voucher",
                "cash": "cash from the drawer"}


def new_voucher_code() -> str:
    """The code of a credit voucher (a gift card) issued as a refund."""
    import secrets
    return "KV" + secrets.token_hex(5).upper()


def refund_plan(original_payments: list[dict], total: int, currency: str = "SEK") -> list[Payment]:
    """Refund `total` (negative) with the original receipt's methods, in proportion to what each
    paid; card and Swish exactly, a gift card or voucher onto a new credit voucher, cash last and
    rounded to whole kronor. Empty when nothing was paid (then the cashier picks)."""
    paid: dict[str, int] = {}
    for p in original_payments:
        if p["amount"] > 0:
            paid[p["method"]] = paid.get(p["method"], 0) + p["amount"]
    if total >= 0 or not paid:
        return []
    methods = list(paid)
    parts = allocate(-total, [paid[m] for m in methods])
    plan = [Payment(m, -part, new_voucher_code() if m in ("gift_card", "voucher") else None)
            for m, part in zip(methods, parts) if m != "cash" and part]
    if "cash" in paid:
        cash = cash_round(total - sum(p.amount for p in plan), currency)
        if cash:
            plan.append(Payment("cash", cash))
    return plan


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
        #: balance(code) asking the server (raises `Unavailable` offline); None: not enrolled
        self.gift_card_balance: Callable[[str], int] | None = giftcard_client.balance_lookup(store)

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

    def receipt_by_number(self, text: str) -> tuple[str, int]:
        """(id, number) of this register's receipt scanned (`REG/123`) or typed (`123`)."""
        from core.errors import ValidationError
        from core.sales.complete import find_receipt
        from core.sales.receipt_layout import parse_receipt_code

        text = (text or "").strip()
        parsed = parse_receipt_code(text)
        if parsed is not None:
            if parsed[0] != self.register.code:
                raise ValidationError(f"that receipt is from register {parsed[0]}, this is "
                                      f"{self.register.code}", field="receipt",
                                      hint="a copy is printed at the register that sold it")
            number = parsed[1]
        elif text.isdigit():
            number = int(text)
        else:
            raise ValidationError("scan the receipt's barcode or type its number", field="receipt")
        with self.store.read() as s:
            r = find_receipt(s, self.register.id, number=number)
            return r.id, r.number

    def last_receipt_number(self) -> int | None:
        from sqlalchemy import func, select

        from core.sales.models import SalesReceipt
        with self.store.read() as s:
            return s.scalar(select(func.max(SalesReceipt.number))
                            .where(SalesReceipt.register_id == self.register.id))

    def save_e_receipt(self, receipt_id: str, folder: Path) -> tuple[Path, Path]:
        """Write the receipt as an e-receipt ("elektroniskt kassakvitto"): a PDF and a text file."""
        from core.sales.models import SalesReceipt
        with self.store.read() as s:
            number = s.get(SalesReceipt, receipt_id).number
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stem = folder / f"kvitto-{self.register.code}-{number}"
        pdf, txt = stem.with_suffix(".pdf"), stem.with_suffix(".txt")
        printing.receipt_document(self.store, receipt_id, "pdf", pdf)
        txt.write_text(printing.receipt_document(self.store, receipt_id, "text"), encoding="utf-8")
        with self.store.write() as s:
            journal.append(s, self.register.id, "print",
                           {"receipt_id": receipt_id, "number": number, "cashier": self.till.cashier,
                            "electronic": True})
            s.commit()
        return pdf, txt

    def e_receipt_folder(self) -> Path:
        base = self.config_dir
        if base is None:
            from core.paths import data_dir
            base = data_dir()
        return Path(base) / "e-kvitton"

    # --- payments ------------------------------------------------------------------------------

    def check_gift_card(self, code: str, amount: int) -> str:
        """'online' (the server's balance covers it) or 'offline' (within the offline limit); else refused."""
        return giftcards.check_redemption(code, amount, balance=self.gift_card_balance,
                                          offline_limit=self.settings.gift_card_offline_limit)

    def refund_plan(self) -> list[Payment]:
        """The refund of the cart's return to its original receipts' payment methods (see `refund_plan`)."""
        from core.sales.models import SalesReceipt
        cart = self.till.cart
        originals = {ln.original_receipt_id for ln in cart.active_lines if ln.original_receipt_id}
        if not originals or any(ln.qty > 0 for ln in cart.active_lines):
            return []
        with self.store.read() as s:
            payments = [p for rid in sorted(originals) for p in s.get(SalesReceipt, rid).body["payments"]]
        return refund_plan(payments, cart.totals().total, cart.currency)

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

"""The till: one register's cart and every cashier action as one method, each journaled.

This is the API the touch GUI drives. Every method touches the database, so the GUI calls them off
its thread (one writer thread, like the rest of the local store); a `Till` is not thread-safe.
Manager approvals arrive as the manager's name after the GUI checked their PIN.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from core.db.base import utcnow
from core.db.engine import Store
from core.errors import Conflict, NotFound, ValidationError
from core.quantity import ONE
from core.sales import journal, reports
from core.sales import shift as shifts
from core.sales.cart import Cart, CartLine
from core.sales.complete import CompletedSale, complete_sale, find_receipt, return_lines
from core.sales.control_unit import ControlUnit
from core.sales.counters import DayTotals
from core.sales.lookup import ProductInfo, find_code, product_info
from core.sales.models import ParkedSale
from core.sales.payments import Payment
from core.sales.register import RegisterInfo


@dataclass(frozen=True)
class ParkedInfo:
    id: str
    label: str | None
    cashier: str | None
    parked_at: dt.datetime
    total: int
    lines: int


class Till:
    """A register's selling session. `cart` is the sale being built."""

    def __init__(self, store: Store, register: RegisterInfo, control_unit: ControlUnit, *,
                 cashier: str, country: str = "SE", channel_id: int | None = None,
                 rates=None, clock: Callable[[], dt.datetime] = utcnow):
        self.store, self.register, self.control_unit = store, register, control_unit
        self.cashier, self.country, self.channel_id, self.clock = cashier, country, channel_id, clock
        self.cart = Cart(currency=register.currency)
        self._rates = rates
        self._light: Store | None = None
        self._shift_id: str | None = None  # the open shift ("" = none), looked up once

    # --- plumbing ------------------------------------------------------------------------------

    @property
    def rates(self):
        if self._rates is None:
            from core.vat.rates import RateTable
            with self.store.read() as s:
                self._rates = RateTable.load(s)
        return self._rates

    @property
    def light_store(self) -> Store:
        """The same database with synchronous=NORMAL, for item-level journal entries.

        In WAL mode a NORMAL commit survives a crash of the process but not a power cut until the
        next FULL commit fsyncs the log — and completing the sale is that FULL commit, which makes
        every entry before it durable too. This keeps a scan at a fraction of a millisecond instead
        of one fsync each.
        """
        if self._light is None:
            if self.store.is_sqlite:
                from core.db.engine import make_engine
                self._light = Store(make_engine(self.store.url, synchronous="NORMAL"))
            else:
                self._light = self.store
        return self._light

    def close(self) -> None:
        if self._light is not None and self._light is not self.store:
            self._light.dispose()
        self._light = None

    def _journal(self, event: str, payload: dict, counted: Callable[[DayTotals], None] | None = None) -> None:
        with self.light_store.write() as s:
            if counted is not None:
                head = journal.counters(s, self.register.id)
                day = DayTotals.load(head.day)
                counted(day)
                head.day = day.dump()
            journal.append(s, self.register.id, event, dict(payload, cashier=self.cashier),
                           at=self.clock())
            s.commit()

    @staticmethod
    def _line_payload(line: CartLine) -> dict:
        return {"line_id": line.line_id, "product_id": line.product_id, "sku": line.sku,
                "name": line.name, "qty": line.qty, "unit_price": line.unit_price}

    # --- lines ---------------------------------------------------------------------------------

    def _info(self, s, product_id: int, qty: int) -> ProductInfo:
        return product_info(s, product_id, self.rates, on=self.clock().date(), qty=qty,
                            country=self.country, customer_id=self.cart.customer_id,
                            channel_id=self.channel_id, currency=self.cart.currency)

    def info(self, product_id: int, qty: int = ONE) -> ProductInfo:
        """A product's price incl. VAT and rate for this cart (customer, channel, today)."""
        with self.store.read() as s:
            return self._info(s, product_id, qty)

    def scan(self, code: str, qty: int = ONE) -> CartLine:
        """A barcode (or SKU) from the scanner: look it up, price it, add it."""
        self.rates  # loaded once, before the read below
        with self.store.read() as s:
            pid = find_code(s, code)
            if pid is None:
                raise NotFound(f"no product with code {code!r}", field="barcode",
                               hint="search by name, or add the barcode in the back office")
            info = self._info(s, pid, qty)
        return self._add(info, qty)

    def add_product(self, product_id: int, qty: int = ONE) -> CartLine:
        return self._add(self.info(product_id, qty), qty)

    def _add(self, p: ProductInfo, qty: int) -> CartLine:
        line = self.cart.add(CartLine(p.product_id, p.sku, p.name, qty, p.unit_price, p.vat_rate_bp,
                                      is_service=p.is_service, group=p.group))
        self._journal("register_article", self._line_payload(line))
        return line

    def add_gift_card(self, code: str, amount: int) -> CartLine:
        """Sell a gift card: a liability (no VAT, not sales) until it is redeemed."""
        if amount <= 0:
            raise ValidationError("a gift card's value must be positive", field="amount")
        line = self.cart.add(CartLine(None, "GIFTCARD", f"Presentkort {code}", ONE, amount, 0,
                                      kind="gift_card", gift_card_code=code))
        self._journal("register_article", dict(self._line_payload(line), gift_card=code))
        return line

    def set_qty(self, line_id: str, qty: int) -> CartLine:
        line = self.cart.set_qty(line_id, qty)
        self._journal("change_registered_article", self._line_payload(line))
        return line

    def void_line(self, line_id: str, manager: str | None) -> CartLine:
        line = self.cart.void(line_id, manager)
        self._journal("delete_registered_article", dict(self._line_payload(line), manager=manager))
        return line

    def discount_line(self, line_id: str, *, amount: int = 0, percent_bp: int = 0) -> CartLine:
        line = self.cart.discount_line(line_id, amount=amount, percent_bp=percent_bp)
        self._journal("discount", {"line_id": line_id, "amount": amount, "percent_bp": percent_bp})
        return line

    def discount_receipt(self, *, amount: int = 0, percent_bp: int = 0) -> None:
        self.cart.discount_receipt(amount=amount, percent_bp=percent_bp)
        self._journal("discount", {"receipt": True, "amount": amount, "percent_bp": percent_bp})

    def override_price(self, line_id: str, unit_price: int, manager: str | None) -> CartLine:
        line = self.cart.override_price(line_id, unit_price, manager)
        self._journal("price_override", dict(self._line_payload(line), list_price=line.list_price,
                                             manager=manager))
        return line

    def attach_customer(self, customer_id: str | None) -> None:
        self.cart.customer_id = customer_id
        self._journal("customer", {"customer_id": customer_id})

    def price_enquiry(self, code: str) -> ProductInfo:
        with self.store.read() as s:
            pid = find_code(s, code)
        if pid is None:
            raise NotFound(f"no product with code {code!r}", field="barcode")
        p = self.info(pid)
        self._journal("price_enquiry", {"product_id": pid, "sku": p.sku, "unit_price": p.unit_price})
        return p

    def set_training(self, on: bool) -> None:
        if not self.cart.is_empty:
            raise Conflict("finish or clear the sale before switching training mode", field="training")
        self.cart.training = on
        self._journal("settings_change", {"training": on})

    # --- returns -------------------------------------------------------------------------------

    def add_return(self, *, number: int | None = None, receipt_id: str | None = None,
                   picks: dict[int, int] | None = None) -> list[CartLine]:
        """Return lines of a receipt (scanned number or id): all that is left, or `picks`."""
        with self.store.read() as s:
            rid = receipt_id or find_receipt(s, self.register.id, number=number).id
            lines = return_lines(s, rid, picks)
        for line in lines:
            self.cart.add(line)
            self._journal("return", dict(self._line_payload(line), original_receipt_id=rid))
        return lines

    def add_return_without_receipt(self, product_id: int, qty: int, manager: str | None) -> CartLine:
        if not manager:
            raise ValidationError("a return without a receipt needs a manager's approval",
                                  field="manager", hint="ask a manager to enter their PIN")
        p = self.info(product_id)
        line = self.cart.add(CartLine(p.product_id, p.sku, p.name, -abs(qty), p.unit_price,
                                      p.vat_rate_bp, is_service=p.is_service, group=p.group))
        self.cart.return_approved_by = manager
        self._journal("return", dict(self._line_payload(line), manager=manager))
        return line

    # --- park / clear / complete ---------------------------------------------------------------

    def park(self, label: str | None = None) -> str:
        if self.cart.is_empty:
            raise ValidationError("there is nothing to park", field="lines")
        with self.store.write() as s:
            row = s.get(ParkedSale, self.cart.parked_id) if self.cart.parked_id else None
            if row is None:
                row = ParkedSale(register_id=self.register.id, cart={}, parked_at=self.clock())
                s.add(row)
                s.flush()
            self.cart.parked_id = row.id
            row.cart, row.label, row.cashier = self.cart.to_dict(), label, self.cashier
            row.parked_at, row.recalled_at = self.clock(), None
            journal.append(s, self.register.id, "park_sale",
                           {"parked_id": row.id, "total": self.cart.total, "cashier": self.cashier,
                            "lines": len(self.cart.active_lines)}, at=self.clock())
            s.commit()
            parked_id = row.id
        self.cart = Cart(currency=self.register.currency)
        return parked_id

    def parked(self) -> list[ParkedInfo]:
        """Parked sales of this register waiting to be recalled (oldest first)."""
        with self.store.read() as s:
            rows = s.scalars(select(ParkedSale).where(
                ParkedSale.register_id == self.register.id, ParkedSale.closed_at.is_(None),
                ParkedSale.recalled_at.is_(None)).order_by(ParkedSale.parked_at))
            out = []
            for row in rows:
                cart = Cart.from_dict(row.cart)
                out.append(ParkedInfo(row.id, row.label, row.cashier, row.parked_at, cart.total,
                                      len(cart.active_lines)))
            return out

    def recall(self, parked_id: str) -> Cart:
        if not self.cart.is_empty:
            raise Conflict("park or clear the current sale first", field="cart")
        with self.store.write() as s:
            row = s.get(ParkedSale, parked_id)
            if row is None or row.closed_at is not None or row.register_id != self.register.id:
                raise NotFound("that parked sale is no longer open", field="parked_id")
            row.recalled_at = self.clock()
            journal.append(s, self.register.id, "open_parking",
                           {"parked_id": parked_id, "cashier": self.cashier}, at=self.clock())
            s.commit()
            self.cart = Cart.from_dict(row.cart)
        self.cart.parked_id = parked_id
        return self.cart

    def clear(self) -> None:
        """Abandon the sale: counted as an unfinished sale with its amount, journaled."""
        if self.cart.is_empty and not self.cart.parked_id:
            self.cart = Cart(currency=self.register.currency)
            return
        total, parked_id = self.cart.total, self.cart.parked_id
        with self.store.write() as s:
            head = journal.counters(s, self.register.id)
            day = DayTotals.load(head.day)
            day.unfinished += 1
            day.unfinished_amount += total
            head.day = day.dump()
            if parked_id and (row := s.get(ParkedSale, parked_id)) is not None:
                row.closed_at = self.clock()
            journal.append(s, self.register.id, "use_of_clear",
                           {"total": total, "lines": len(self.cart.active_lines),
                            "parked_id": parked_id, "cashier": self.cashier}, at=self.clock())
            s.commit()
        self.cart = Cart(currency=self.register.currency)

    def complete(self, payments: list[Payment]) -> CompletedSale:
        """Complete the sale durably; the cart starts afresh (training mode stays as it was)."""
        if self._shift_id is None:
            with self.store.read() as s:
                open_shift = shifts.current_shift(s, self.register.id)
                self._shift_id = open_shift.id if open_shift else ""
        shift_id = self._shift_id or None
        done = complete_sale(self.store, self.register, self.cart, payments, self.cashier,
                             self.control_unit, shift_id=shift_id, at=self.clock())
        self.cart = Cart(currency=self.register.currency, training=self.cart.training)
        return done

    def no_sale(self, manager: str | None) -> None:
        """A manager's "no sale": journaled and counted; the caller then kicks the drawer."""
        if not manager:
            raise ValidationError("opening the drawer without a sale needs a manager's approval",
                                  field="manager")

        def count(day: DayTotals) -> None:
            day.drawer_openings += 1

        self._journal("drawer_opened_no_sale", {"manager": manager}, counted=count)

    # --- shift and reports ---------------------------------------------------------------------

    def open_shift(self, *, float_amount: int | None = None, denominations: dict | None = None) -> str:
        """Open a shift with the counted float; returns the shift id."""
        with self.store.write() as s:
            row = shifts.open_shift(s, self.register.id, self.cashier, float_amount=float_amount,
                                    denominations=denominations, at=self.clock())
            shift_id = row.id
            s.commit()
        self._shift_id = shift_id
        return shift_id

    def close_shift(self, counted: dict[str, int], denominations: dict | None = None):
        with self.store.write() as s:
            result = shifts.close_shift(s, self.register.id, self.cashier, counted=counted,
                                        denominations=denominations, at=self.clock())
            s.commit()
        self._shift_id = ""
        return result

    def x_report(self) -> dict:
        with self.store.write() as s:
            body = reports.x_report(s, self.register, cashier=self.cashier, at=self.clock())
            s.commit()
            return body

    def z_report(self) -> dict:
        with self.store.write() as s:
            body = reports.z_report(s, self.register, cashier=self.cashier, at=self.clock())
            s.commit()
            return body

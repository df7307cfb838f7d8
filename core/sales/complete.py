"""Completing a sale or a return: ONE write transaction for receipt, counters, journal and outbox.

Order inside the transaction: take the next receipt number, have the control unit sign, write the
receipt (its body is exactly the server contract's receipt body), count it into the register's
running totals, append the journal entry, enqueue the outbox event, close the parked sale it came
from. The store commits with synchronous=FULL, so a completed sale survives a crash or power loss;
a crash before the commit leaves nothing, and the number is not used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.base import new_uuid, utcnow
from core.db.engine import Store
from core.errors import Conflict, NotFound, ValidationError
from core.sales import journal
from core.sales.cart import Cart, CartLine, Totals
from core.sales.control_unit import ControlData, ControlUnit
from core.sales.counters import DayTotals, add_receipt
from core.sales.models import ParkedSale, SalesReceipt
from core.sales.payments import Payment, Settlement, settle
from core.sales.register import RegisterInfo
from core.sync.outbox import enqueue


@dataclass(frozen=True)
class CompletedSale:
    receipt_id: str
    number: int
    kind: str
    body: dict
    control_code: str
    change: int
    settlement: Settlement


def _check_returns(session: Session, cart: Cart) -> None:
    returned = [ln for ln in cart.active_lines if ln.qty < 0]
    if not returned:
        return
    for ln in returned:
        if ln.kind == "gift_card":
            raise ValidationError("a gift card cannot be returned", field="lines")
    if any(ln.original_receipt_id is None for ln in returned) and not cart.return_approved_by:
        raise ValidationError("a return without a receipt needs a manager's approval",
                              field="manager", hint="ask a manager to enter their PIN")
    for original_id in {ln.original_receipt_id for ln in returned if ln.original_receipt_id}:
        left = returnable(session, original_id)
        for ln in returned:
            if ln.original_receipt_id == original_id and -ln.qty > left.get(ln.original_line, 0):
                raise Conflict(f"more of {ln.name!r} is returned than is left on receipt",
                               field="qty", hint="check earlier returns of that receipt")


def _control_data(register: RegisterInfo, number: int, at: dt.datetime, kind: str,
                  totals: Totals) -> ControlData:
    items = [t.amount for t in totals.lines if t.line.kind == "item"]
    return ControlData(
        at=at, org_number=register.header.get("org_number") or "", register_id=register.code,
        receipt_number=number, type="ovning" if kind == "training" else "normal",
        return_amount=-sum(a for a in items if a < 0), sales_amount=sum(a for a in items if a > 0),
        vat=tuple((p.rate_bp, p.vat) for p in totals.vat[:4]))


def receipt_body(receipt_id: str, register: RegisterInfo, number: int, at: dt.datetime, kind: str,
                 cart: Cart, totals: Totals, settlement: Settlement, control_code: str) -> dict:
    """The receipt body of the server contract (issue 3 "Receipt body"); gift cards sold apart."""
    body = {
        "receipt_id": receipt_id, "register_code": register.code,
        "location_id": register.location_id, "number": number, "created_at": at.isoformat(),
        "kind": kind, "customer_id": cart.customer_id, "currency": cart.currency,
        "lines": [{"product_id": t.line.product_id, "sku": t.line.sku, "name": t.line.name,
                   "qty": t.line.qty, "unit_price": t.line.unit_price, "discount": t.discount,
                   "amount": t.amount, "vat_rate_bp": t.line.vat_rate_bp}
                  for t in totals.lines if t.line.kind == "item"],
        "payments": [p.as_body() for p in settlement.payments],
        "total": totals.total,
        "vat": [{"rate_bp": p.rate_bp, "net": p.net, "vat": p.vat} for p in totals.vat],
        "cash_rounding": settlement.cash_rounding,
        "control_code": control_code,
    }
    gift_cards = [{"code": t.line.gift_card_code, "amount": t.amount}
                  for t in totals.lines if t.line.kind == "gift_card"]
    if gift_cards:
        body["gift_cards"] = gift_cards
    return body


def complete_sale(store: Store, register: RegisterInfo, cart: Cart, payments: list[Payment],
                  cashier: str, control_unit: ControlUnit, *, shift_id: str | None = None,
                  at: dt.datetime | None = None) -> CompletedSale:
    """Complete the cart as a receipt, durably, in one transaction; raises before writing anything
    when the payments do not cover it or the control unit does not answer (`Unavailable`)."""
    if cart.is_empty:
        raise ValidationError("the cart is empty", field="lines")
    totals = cart.totals()
    settlement = settle(totals.total, payments, cart.currency)
    kind = cart.kind
    at = at or utcnow()
    receipt_id = new_uuid()
    with store.write() as s:
        _check_returns(s, cart)
        head = journal.counters(s, register.id)
        number = head.next_receipt_no
        code = control_unit.sign(_control_data(register, number, at, kind, totals))
        body = receipt_body(receipt_id, register, number, at, kind, cart, totals, settlement, code)
        returned = [ln for ln in cart.active_lines if ln.original_receipt_id]
        originals = {ln.original_receipt_id for ln in returned}
        items = [t.line for t in totals.lines if t.line.kind == "item"]
        header = dict(register.header, cashier=cashier, control_serial=control_unit.serial,
                      change=settlement.change,
                      service_lines=[i for i, ln in enumerate(items) if ln.is_service])
        s.add(SalesReceipt(
            id=receipt_id, register_id=register.id, number=number, kind=kind, created_at=at,
            total=totals.total, body=body, header=header, control_serial=control_unit.serial,
            shift_id=shift_id, cashier=cashier, printed_count=0, copy_printed=False,
            original_receipt_id=next(iter(originals)) if len(originals) == 1 else None,
            returned_lines={str(ln.original_line): -ln.qty for ln in returned} or None))
        day = DayTotals.load(head.day)
        sales, returns = add_receipt(day, body, totals)
        head.next_receipt_no = number + 1
        head.day = day.dump()
        head.day_started_at = head.day_started_at or at
        head.grand_sales += sales
        head.grand_returns += returns
        event = "training" if kind == "training" else ("return" if kind == "return" else "receipt")
        journal.append(s, register.id, event, {
            "receipt_id": receipt_id, "number": number, "total": totals.total, "cashier": cashier,
            "control_code": code, "control_serial": control_unit.serial,
            "lines": [[ln["sku"], ln["qty"], ln["amount"]] for ln in body["lines"]],
            "payments": [[p["method"], p["amount"]] for p in body["payments"]]}, at=at)
        enqueue(s, "receipt", body, event_id=receipt_id)
        if cart.parked_id:
            parked = s.get(ParkedSale, cart.parked_id)
            if parked is not None and parked.closed_at is None:
                parked.closed_at, parked.receipt_id = at, receipt_id
                journal.append(s, register.id, "close_parking",
                               {"parked_id": parked.id, "receipt_id": receipt_id}, at=at)
        s.commit()
    return CompletedSale(receipt_id, number, kind, body, code, settlement.change, settlement)


# --- returns ---------------------------------------------------------------------------------------

def find_receipt(session: Session, register_id: int | None = None, *, number: int | None = None,
                 receipt_id: str | None = None) -> SalesReceipt:
    """A receipt by id, or by number at a register (the number scanned from a printed receipt)."""
    if receipt_id:
        row = session.get(SalesReceipt, receipt_id)
    else:
        row = session.scalars(select(SalesReceipt).where(SalesReceipt.register_id == register_id,
                                                         SalesReceipt.number == number)).first()
    if row is None:
        raise NotFound(f"no receipt {receipt_id or number}", field="receipt",
                       hint="check the number on the receipt, or return without one (manager)")
    return row


def returnable(session: Session, receipt_id: str) -> dict[int, int]:
    """Per line index of the original receipt, the quantity that can still be returned."""
    original = session.get(SalesReceipt, receipt_id)
    if original is None:
        raise NotFound(f"no receipt {receipt_id}", field="receipt")
    left = {i: ln["qty"] for i, ln in enumerate(original.body["lines"]) if ln["qty"] > 0}
    for (done,) in session.execute(select(SalesReceipt.returned_lines)
                                   .where(SalesReceipt.original_receipt_id == receipt_id)):
        for idx, qty in (done or {}).items():
            left[int(idx)] = left.get(int(idx), 0) - qty
    return left


def return_lines(session: Session, receipt_id: str, picks: dict[int, int] | None = None) -> list[CartLine]:
    """Cart lines returning `picks` {line index: qty} of a receipt (all that is left by default),
    at the price actually paid (the original discount given back in proportion)."""
    original = session.get(SalesReceipt, receipt_id)
    if original is None:
        raise NotFound(f"no receipt {receipt_id}", field="receipt")
    if original.kind == "training":
        raise ValidationError("a training receipt cannot be returned", field="receipt")
    left = returnable(session, receipt_id)
    picks = picks if picks is not None else {i: q for i, q in left.items() if q > 0}
    lines = []
    for idx, qty in picks.items():
        if qty <= 0 or qty > left.get(idx, 0):
            raise Conflict(f"line {idx + 1}: {qty / 1000:g} cannot be returned ({left.get(idx, 0) / 1000:g} left)",
                           field="qty")
        src = original.body["lines"][idx]
        before = src["qty"] - left[idx]
        # cumulative proportional share, so parts of a line never give back more than its discount
        discount = (src["discount"] * (before + qty) // src["qty"]) - (src["discount"] * before // src["qty"])
        lines.append(CartLine(product_id=src["product_id"], sku=src["sku"], name=src["name"],
                              qty=-qty, unit_price=src["unit_price"], vat_rate_bp=src["vat_rate_bp"],
                              discount_amount=discount, original_receipt_id=receipt_id,
                              original_line=idx))
    return lines

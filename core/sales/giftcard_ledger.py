"""Gift card balances moved by pushed receipts, set-based, in the receipt's own transaction.

A receipt body may carry `gift_cards` (cards SOLD on it: `[{code, amount}]`); its payments with
method `gift_card` and the code as `reference` are REDEMPTIONS (a negative one, on a return, loads
the refund onto the card). Per card the changes of a whole batch are summed and applied in one
upsert, codes sorted (one lock order for every batch). A redemption past the balance was accepted
offline and is a fact: the balance goes below zero and the card is listed in `gift_card_exception`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.db.multirow import insert_rows
from core.sales.giftcard_models import GiftCard, GiftCardException

CARD, EXC = GiftCard.__table__, GiftCardException.__table__


def _when(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        at = value
    else:
        try:
            at = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return None
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at


def apply_gift_cards(session: Session, receipts: Iterable[dict]) -> list[dict]:
    """Apply the gift cards sold and redeemed on `receipts` (receipt bodies); returns the exceptions listed."""
    now = utcnow()
    rows: dict[str, dict] = {}
    redeemed_by: dict[str, tuple[str, int]] = {}  # code → (last receipt redeeming it, amount)
    sold_here: dict[str, tuple[str, int]] = {}
    sold_twice: list[dict] = []
    for body in receipts:
        if body.get("kind") == "training":
            continue
        rid, currency = body["receipt_id"], (body.get("currency") or "SEK")[:3]

        def row(code: str, currency: str = currency) -> dict:
            return rows.setdefault(code, {"code": code, "currency": currency, "initial_amount": 0,
                                          "balance": 0, "issued_at": None, "issued_receipt_id": None,
                                          "updated_at": now})
        for card in body.get("gift_cards") or []:
            code, amount = str(card["code"])[:64], int(card["amount"])
            r = row(code)
            if code in sold_here:
                sold_twice.append({"code": code, "receipt_id": rid, "amount": amount})
            sold_here[code] = (rid, amount)
            r["initial_amount"] += amount
            r["balance"] += amount
            r["issued_at"] = r["issued_at"] or _when(body.get("created_at")) or now
            r["issued_receipt_id"] = r["issued_receipt_id"] or rid
        for pay in body.get("payments") or []:
            if pay.get("method") == "gift_card" and pay.get("reference"):
                code, amount = str(pay["reference"])[:64], int(pay["amount"])
                row(code)["balance"] -= amount
                redeemed_by[code] = (rid, amount)
    if not rows:
        return []
    after = insert_rows(
        session, CARD, [rows[c] for c in sorted(rows)], conflict=["code"],
        update={"balance": "{table}.balance + excluded.balance",
                "initial_amount": "{table}.initial_amount + excluded.initial_amount",
                "issued_at": "COALESCE({table}.issued_at, excluded.issued_at)",
                "issued_receipt_id": "COALESCE({table}.issued_receipt_id, excluded.issued_receipt_id)",
                "updated_at": "excluded.updated_at"},
        returning=["code", "balance", "initial_amount"])
    exceptions = []
    for code, balance, initial in after:
        balance, initial = int(balance), int(initial)
        if code in redeemed_by and balance < 0:
            rid, amount = redeemed_by[code]
            exceptions.append({"code": code, "receipt_id": rid, "kind": "negative", "amount": amount,
                               "balance_after": balance, "created_at": now, "resolved_at": None})
        if code in sold_here and initial != rows[code]["initial_amount"]:
            rid, amount = sold_here[code]  # sold before, in an earlier batch
            sold_twice.append({"code": code, "receipt_id": rid, "amount": amount})
    exceptions += [dict(x, kind="sold_twice", balance_after=next(int(b) for c, b, _ in after
                                                                 if c == x["code"]),
                        created_at=now, resolved_at=None) for x in sold_twice]
    if exceptions:
        insert_rows(session, EXC, exceptions)
    return exceptions

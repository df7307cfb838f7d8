"""Gift card balances for the tills, and the list of cards taken below zero by offline redemptions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy import select

from core.db import Store
from core.errors import NotFound
from core.sales.giftcard_models import GiftCard, GiftCardException
from server.auth import get_store, require_role, require_role_or_device
from server.db import read

router = APIRouter(prefix="/api/v1/giftcards", tags=["giftcards"])
CARD, EXC = GiftCard.__table__, GiftCardException.__table__


@router.get("/exceptions")
def exceptions(include_resolved: bool = Query(False), store: Store = Depends(get_store),
               _who=Depends(require_role("manager"))):
    stmt = select(EXC).order_by(EXC.c.id).limit(10_000)
    if not include_resolved:
        stmt = stmt.where(EXC.c.resolved_at.is_(None))
    rows = read(store, lambda s: s.execute(stmt).mappings().all())
    return {"exceptions": [{"id": r["id"], "code": r["code"], "receipt_id": r["receipt_id"],
                            "kind": r["kind"], "amount": int(r["amount"]),
                            "balance_after": int(r["balance_after"]),
                            "created_at": r["created_at"].isoformat(),
                            "resolved_at": r["resolved_at"].isoformat() if r["resolved_at"] else None}
                           for r in rows]}


@router.get("/{code}")
def balance(code: str = Path(..., min_length=1, max_length=64, pattern=r"^[^\x00/]+$"),
            store: Store = Depends(get_store), _who=Depends(require_role_or_device("cashier"))):
    row = read(store, lambda s: s.execute(select(CARD.c.code, CARD.c.balance, CARD.c.currency)
                                          .where(CARD.c.code == code)).first())
    if row is None:
        raise NotFound(f"no gift card {code}", field="code", hint="check the code on the card")
    return {"code": row.code, "balance": int(row.balance), "currency": row.currency}

"""The stock authority: levels, manual movements, reservations, and the stock exceptions list."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from core.db import Store
from core.errors import ValidationError
from core.inventory import reservations
from core.inventory.models import Reservation, StockException, StockLevel
from core.inventory.movements import MovementIn, record_movements
from core.sync.changelog import touch_levels, touch_levels_of_movements
from server.auth import get_store, require_role, require_role_or_device
from server.db import read, transact
from server.schemas import MovementsIn, ReleaseIn, ReserveIn

router = APIRouter(prefix="/api/v1/stock", tags=["stock"])
LEVEL, RES, EXC = StockLevel.__table__, Reservation.__table__, StockException.__table__


@router.get("/levels")
def levels(product_id: int | None = Query(None, ge=1, le=2 ** 31 - 1),
           location_id: int | None = Query(None, ge=1, le=2 ** 31 - 1),
           store: Store = Depends(get_store), _who=Depends(require_role_or_device("manager"))):
    if product_id is None and location_id is None:
        raise ValidationError("give product_id, location_id or both", field="product_id")
    stmt = select(LEVEL.c.product_id, LEVEL.c.location_id, LEVEL.c.on_hand, LEVEL.c.reserved)
    if product_id is not None:
        stmt = stmt.where(LEVEL.c.product_id == product_id)
    if location_id is not None:
        stmt = stmt.where(LEVEL.c.location_id == location_id)
    rows = read(store, lambda s: s.execute(stmt.order_by(LEVEL.c.product_id, LEVEL.c.location_id)
                                           .limit(10_000)).all())
    return {"levels": [{"product_id": p, "location_id": loc, "on_hand": int(oh),
                        "reserved": int(r), "available": int(oh) - int(r)}
                       for p, loc, oh, r in rows]}


@router.post("/movements")
def movements(data: MovementsIn, store: Store = Depends(get_store),
              _who=Depends(require_role("manager"))):
    moves = [MovementIn(product_id=m.product_id, location_id=m.location_id, qty=m.qty,
                        reason=m.reason, source_type=m.source_type, source_id=m.source_id,
                        idem_key=m.idem_key, note=m.note) for m in data.movements]

    def work(s):
        ids = record_movements(s, moves, allow_negative=data.allow_negative)
        touch_levels_of_movements(s, ids)
        return {"movement_ids": ids}

    return transact(store, work)


def _touch_reservations(s, condition) -> None:
    touch_levels(s, set(s.execute(select(RES.c.product_id, RES.c.location_id).where(condition))))


@router.post("/reserve")
def reserve(data: ReserveIn, store: Store = Depends(get_store),
            _who=Depends(require_role_or_device("manager"))):
    def work(s):
        ids = reservations.reserve(s, data.product_id, data.location_id, data.qty,
                                   data.source_type, data.source_id, data.idem_key)
        if ids:
            _touch_reservations(s, RES.c.id.in_(ids))
        return {"reserved": bool(ids), "idem_key": data.idem_key, "reservation_ids": ids}

    return transact(store, work)


@router.post("/release")
def release(data: ReleaseIn, store: Store = Depends(get_store),
            _who=Depends(require_role_or_device("manager"))):
    if data.idem_key:
        cond = RES.c.request_key == data.idem_key
    elif data.source_type and data.source_id:
        cond = (RES.c.source_type == data.source_type) & (RES.c.source_id == data.source_id)
    else:
        raise ValidationError("give idem_key, or source_type and source_id", field="idem_key")

    def work(s):
        _touch_reservations(s, cond)
        n = (reservations.release_one(s, data.idem_key) if data.idem_key
             else reservations.release(s, data.source_type, data.source_id))
        return {"released": n}

    return transact(store, work)


@router.get("/exceptions")
def exceptions(include_resolved: bool = False, store: Store = Depends(get_store),
               _who=Depends(require_role("manager"))):
    stmt = select(EXC).order_by(EXC.c.id).limit(10_000)
    if not include_resolved:
        stmt = stmt.where(EXC.c.resolved_at.is_(None))
    rows = read(store, lambda s: s.execute(stmt).mappings().all())
    return {"exceptions": [{"id": r["id"], "product_id": r["product_id"],
                            "location_id": r["location_id"], "movement_id": r["movement_id"],
                            "on_hand_after": int(r["on_hand_after"]),
                            "created_at": r["created_at"].isoformat(),
                            "resolved_at": r["resolved_at"].isoformat() if r["resolved_at"] else None}
                           for r in rows]}

"""Write back to the shop what happened to its orders here: our order number, line edits, status, tracking.

Which orders need it is read from the order history: a `webshop_order` remembers the newest
`order_event` it has written back, so one indexed query finds the orders that changed. Status
changes go with payment processing switched off on the shop's side (the client sends
`onOrderStatusChangeProcessPayment: false`): Butik captures, once. Adding a line is a POST
without idempotency at Starweb; after a lost answer the shop's items are read back and the new
item found by SKU and quantity, so a retry never adds it twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from core.db import Store
from core.errors import UserError
from core.integrations.connections import Connection, log_problem
from core.integrations.http import OutcomeUnknown
from core.integrations.models import WebshopOrder
from core.integrations.starweb.client import StarwebClient
from core.money import vat_of_gross
from core.orders.models import Delivery, Order, OrderEvent, OrderLine
from core.quantity import ONE

JOB = "orders_out"
SERVICE_NAME = "Butik"


@dataclass
class PushResult:
    references: int = 0
    statuses: int = 0
    tracking: int = 0
    line_changes: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class _Work:
    link_id: int
    shop_order_id: int
    order_id: str
    number: int
    status: str
    prices_include_vat: bool
    reference_written: bool
    pushed_status: str | None
    pushed_tracking: str | None
    line_map: dict
    event_max: int
    tracking: str | None
    lines: list[tuple[str, str, int, int, int, int]]   # id, sku, qty pieces, unit, discount, rate


def _pending(store: Store, conn: Connection, limit: int) -> list[_Work]:
    last_event = (select(OrderEvent.order_id, func.max(OrderEvent.id).label("m"))
                  .group_by(OrderEvent.order_id).subquery())
    with store.read() as s:
        rows = s.execute(
            select(WebshopOrder, Order.number, Order.status, Order.prices_include_vat, last_event.c.m)
            .join(Order, Order.id == WebshopOrder.order_id)
            .join(last_event, last_event.c.order_id == Order.id)
            .where(WebshopOrder.connection_id == conn.id,
                   (last_event.c.m > WebshopOrder.event_seen)
                   | WebshopOrder.reference_written.is_(False))
            .order_by(WebshopOrder.id).limit(limit)).all()
        out = []
        for link, number, status, incl, event_max in rows:
            tracking = s.scalar(select(Delivery.tracking_number).where(
                Delivery.order_id == link.order_id, Delivery.tracking_number.is_not(None))
                .order_by(Delivery.seq.desc()).limit(1))
            lines = [(ln.id, ln.sku, ln.qty, ln.unit_price, ln.discount_bp, ln.vat_rate_bp)
                     for ln in s.scalars(select(OrderLine).where(
                         OrderLine.order_id == link.order_id, OrderLine.kind == "product")
                         .order_by(OrderLine.position))]
            out.append(_Work(link.id, int(link.shop_order_id), link.order_id, number, status, incl,
                             link.reference_written, link.pushed_status, link.pushed_tracking,
                             dict(link.line_map or {}), event_max, tracking, lines))
    return out


def push_order_updates(store: Store, conn: Connection, client: StarwebClient,
                       statuses: dict[str, int], limit: int = 500) -> PushResult:
    """Write back every changed order of this shop; one order's refusal does not stop the rest."""
    result = PushResult()
    for work in _pending(store, conn, limit):
        try:
            _push(store, conn, client, statuses, work, result)
        except UserError as exc:  # a vendor refusal: shown, tried again next round
            result.problems.append(f"order {work.number}: {exc}")
            with store.write() as s:
                log_problem(s, JOB, f"order {work.number} (shop order {work.shop_order_id}): {exc}",
                            connection_id=conn.id, ref=str(work.shop_order_id))
                s.commit()
    return result


def _save(store: Store, link_id: int, **values) -> None:
    with store.write() as s:
        link = s.get(WebshopOrder, link_id)
        for key, value in values.items():
            setattr(link, key, value)
        s.commit()


def _push(store, conn, client: StarwebClient, statuses, work: _Work, result: PushResult) -> None:
    if not work.reference_written:
        client.set_external_reference(work.shop_order_id, conn.setting("service_name", SERVICE_NAME),
                                      str(work.number))
        _save(store, work.link_id, reference_written=True)
        result.references += 1
    line_map = _push_lines(store, conn, client, work, result)
    wanted = conn.status_map.get(work.status)
    status_id = statuses.get(wanted) if wanted else None
    if wanted and status_id is None:
        raise UserError(f"the shop has no order status with idCode {wanted!r}", field="status_map",
                        hint="fix the status mapping of the connection")
    change = {}
    if status_id is not None and wanted != work.pushed_status:
        change["status_id"] = status_id
    if work.tracking and work.tracking != work.pushed_tracking:
        change["tracking_no"] = work.tracking[:50]
        if conn.setting("tracker_type") is not None:
            change["tracker_type"] = int(conn.setting("tracker_type"))
    if change:
        client.update_order(work.shop_order_id, send_email=bool(conn.setting("send_email", True)),
                            **change)
        result.statuses += int("status_id" in change)
        result.tracking += int("tracking_no" in change)
    _save(store, work.link_id, line_map=line_map, event_seen=work.event_max,
          pushed_status=wanted if "status_id" in change else work.pushed_status,
          pushed_tracking=work.tracking if "tracking_no" in change else work.pushed_tracking)


def _ex_vat(work: _Work, unit: int, rate: int) -> int:
    return unit - vat_of_gross(unit, rate) if work.prices_include_vat else unit


def _push_lines(store, conn, client: StarwebClient, work: _Work, result: PushResult) -> dict:
    """Make the shop's items follow our product lines; returns the new line map (saved as it goes)."""
    line_map = dict(work.line_map)
    ours = {ln[0]: ln for ln in work.lines}
    for line_id, entry in list(line_map.items()):
        if line_id not in ours:
            client.delete_order_item(work.shop_order_id, entry["item"])
            del line_map[line_id]
            result.line_changes += 1
            _save(store, work.link_id, line_map=dict(line_map))
    for line_id, sku, qty, unit, discount, rate in work.lines:
        if qty % ONE:
            result.problems.append(f"order {work.number}: {sku} quantity is not whole pieces; "
                                   "the shop keeps its own")
            continue
        pieces = qty // ONE
        entry = line_map.get(line_id)
        if entry is not None and entry["qty"] != pieces:
            client.update_order_item(work.shop_order_id, entry["item"], quantity=pieces)
            line_map[line_id] = {"item": entry["item"], "qty": pieces}
        elif entry is None:
            price = _ex_vat(work, unit, rate)
            price -= price * discount // 10000
            line_map[line_id] = {"item": _add_item(client, work, sku, pieces, price, rate, line_map),
                                 "qty": pieces}
        else:
            continue
        result.line_changes += 1
        _save(store, work.link_id, line_map=dict(line_map))
    return line_map


def _add_item(client: StarwebClient, work: _Work, sku: str, pieces: int, price: int, rate: int,
              line_map: dict) -> int:
    try:
        return client.add_order_item(work.shop_order_id, sku, pieces, price, rate)
    except OutcomeUnknown:
        taken = {e["item"] for e in line_map.values()}
        order = client.get_order(work.shop_order_id, include=("items",))
        for item in order.items:
            if item.sku == sku and item.quantity == pieces and item.item_id not in taken:
                return item.item_id
        return client.add_order_item(work.shop_order_id, sku, pieces, price, rate)

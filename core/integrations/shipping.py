"""Book a shipment at Unifaun for each delivery: sender from the company, receiver from the order, label and tracking kept.

Unifaun has no idempotency key, so a booking is never repeated blindly. Before the POST the
TrackBack feed position is saved on the task; if the answer is lost (`OutcomeUnknown`) the next
attempt walks the feed from that position looking for a shipment with our `orderNo`
("<order number>-<delivery seq>") and adopts it instead of booking a second one. The label PDF
and the tracking number are stored (`shipment_label`, `set_tracking` on the delivery); the
order's history then carries the tracking, and the shop write-back passes it to the webshop.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from core.catalog.models import Product
from core.company.models import Company
from core.db import Store
from core.errors import Unavailable, UserError, ValidationError
from core.integrations.connections import Connection, log_problem
from core.integrations.http import OutcomeUnknown, VendorError
from core.integrations.models import ShipmentLabel
from core.integrations.payments import open_tasks
from core.integrations.unifaun.client import Parcel, Party, Shipment, UnifaunClient
from core.orders.delivery import set_tracking
from core.orders.models import IntegrationTask, Order
from core.quantity import ONE

JOB = "shipping"
DEFAULT_WEIGHT_G = 1000


@dataclass
class ShipResult:
    booked: int = 0
    adopted: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)


def order_no(body: dict) -> str:
    return f"{body['order_number']}-{body['delivery_seq']}"


def _sender(session, conn: Connection) -> Party:
    c = session.scalar(select(Company).order_by(Company.id).limit(1))
    if c is None or not (c.city and c.address1):
        raise ValidationError("the company's address is not set", field="company",
                              hint="fill in the company settings (address, postal code, city)")
    return Party(c.name, c.address1, (c.postal_code or "").replace(" ", ""), c.city, c.country,
                 c.phone or "", c.email or "", str(conn.setting("sender_quick_id", "")))


def _receiver(body: dict) -> Party:
    a = body.get("address") or {}
    if not (a.get("address1") and a.get("city") and a.get("postal_code")):
        raise ValidationError("the order has no complete delivery address", field="delivery_address",
                              hint="enter the delivery address on the order")
    return Party((a.get("name") or body.get("customer_name") or "-")[:100], a["address1"],
                 str(a["postal_code"]).replace(" ", ""), a["city"], a.get("country") or "SE",
                 email=body.get("customer_email") or "")


def _weight_g(session, conn: Connection, body: dict) -> int:
    lines = body.get("lines") or []
    weights = dict(session.execute(select(Product.sku, Product.weight_g).where(
        Product.sku.in_([ln["sku"] for ln in lines if ln.get("sku")]))).all())
    default = int(conn.setting("default_weight_g", DEFAULT_WEIGHT_G))
    total = sum((weights.get(ln.get("sku")) or default) * int(ln["qty"]) // ONE for ln in lines)
    return max(total, 1)


def _find_booked(client: UnifaunClient, fetch_from: str, wanted: str) -> Shipment | None:
    """A shipment with orderNo `wanted` in the feed after `fetch_from` (raises if unsure)."""
    fetch_id, found = fetch_from, None
    for _ in range(1000):
        batch = client.fetch_status(fetch_id)
        for shipment in batch.shipments:
            if shipment.order_no == wanted:
                found = None if shipment.status == "cancelled" else shipment
        if batch.done:
            if not batch.shipments and batch.min_delay_ms and fetch_id == fetch_from and found is None:
                raise Unavailable("Unifaun asked us to wait before reading the shipment feed")
            return found
        fetch_id = batch.fetch_id
    return found


def book_one(store: Store, conn: Connection, client: UnifaunClient, task_id: str,
             now: dt.datetime, result: ShipResult) -> None:
    with store.read() as s:
        task = s.get(IntegrationTask, task_id)
        if task is None or task.done_at is not None:
            return
        body, state = dict(task.body), dict(task.result or {})
        try:
            sender, receiver = _sender(s, conn), _receiver(body)
        except ValidationError as exc:
            return _refused(store, conn, task_id, body, exc, result)
        weight = _weight_g(s, conn, body)
    wanted = order_no(body)
    shipment = None
    if state.get("in_doubt"):
        if not state.get("fetch_from"):
            return _refused(store, conn, task_id, body, UserError(
                "the answer to the booking was lost and the TrackBack feed (licence) is not "
                "available to check it", field="shipment",
                hint="look for the shipment in Unifaun; book by hand or try again"), result,
                clear=True)
        shipment = _find_booked(client, state["fetch_from"], wanted)
        result.adopted += int(shipment is not None)
    if shipment is None:
        try:
            start = client.fetch_status("-1").fetch_id
        except VendorError:  # no TrackBack licence: book anyway, but a lost answer needs a person
            start = None
        with store.write() as s:
            s.get(IntegrationTask, task_id).result = {"fetch_from": start, "in_doubt": True}
            s.commit()
        try:
            shipment = client.create_shipment(
                sender=sender, receiver=receiver, service_id=str(conn.setting("service_id", "P19")),
                parcels=[Parcel(weight, contents=str(conn.setting("contents", "")))],
                order_no=wanted, sender_reference=str(body["order_number"])[:17],
                media=str(conn.setting("media", "laser-a4")), test=bool(conn.setting("test", False)),
                inline_pdf=True)
        except OutcomeUnknown:
            with store.write() as s:
                s.get(IntegrationTask, task_id).attempts += 1
                s.commit()
            raise
        except UserError as exc:
            return _refused(store, conn, task_id, body, exc, result, clear=True)
        result.booked += 1
    pdf = next(iter(shipment.inline_pdfs.values()), None)
    if pdf is None and shipment.pdf_ids:
        try:
            pdf = client.label_pdf(shipment.id, shipment.pdf_ids[0])
        except UserError:
            pdf = None  # the tracking matters most; the label can be printed from Unifaun
    _store(store, conn, task_id, body, shipment, pdf, now)


def _store(store, conn, task_id, body, shipment: Shipment, pdf: bytes | None, now) -> None:
    tracking = shipment.tracking_numbers[0] if shipment.tracking_numbers else None
    with store.write() as s:
        row = s.get(ShipmentLabel, body["delivery_id"]) or ShipmentLabel(
            delivery_id=body["delivery_id"], connection_id=conn.id, shipment_id=shipment.id)
        row.shipment_id, row.tracking_number, row.pdf = shipment.id, tracking, pdf
        row.carrier_status, row.status_at = (shipment.status or "printed")[:20], now
        s.add(row)
        if tracking:
            set_tracking(s, body["delivery_id"], tracking, f"unifaun:{conn.code}",
                         carrier=f"Unifaun {conn.setting('service_id', 'P19')}"[:40])
        task = s.get(IntegrationTask, task_id)
        task.done_at, task.last_error = now, None
        task.attempts += 1
        task.result = {"shipment_id": shipment.id, "tracking": tracking, "label": pdf is not None}
        s.commit()


def _refused(store, conn, task_id, body, exc: UserError, result: ShipResult,
             clear: bool = False) -> None:
    text = str(exc)[:2000]
    with store.write() as s:
        task = s.get(IntegrationTask, task_id)
        first = task.last_error != text
        task.attempts += 1
        task.last_error = text
        if clear:
            task.result = None  # certainly not booked: the next attempt books afresh
        if first:
            order = s.get(Order, task.order_id)
            log_problem(s, JOB, f"order {order.number}: shipment refused: {text}",
                        connection_id=conn.id, ref=str(order.number))
        s.commit()
    result.failed += 1
    result.problems.append(f"order {body.get('order_number')}: {text}")


def process_shipment_tasks(store: Store, conn: Connection, client: UnifaunClient,
                           now: dt.datetime, limit: int = 100) -> ShipResult:
    """Every open booking task; an outage or a lost answer stops this round (tried again next)."""
    result = ShipResult()
    with store.read() as s:
        ids = [t.id for t in open_tasks(s, ("book_shipment",), limit)]
    for task_id in ids:
        book_one(store, conn, client, task_id, now, result)
    return result

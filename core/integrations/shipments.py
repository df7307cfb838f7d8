"""After the booking: cancel a delivery's shipment, follow its status on the TrackBack feed, print its label.

- `cancel_delivery_shipment` is the use case the orders side calls (same unit of work) when a
  delivery is cancelled or returned: a booking not yet made is dropped at once; a booked shipment
  is cancelled at the carrier (`DELETE /shipments/{id}`) by the sync node, safe to repeat.
- `poll_status` reads the TrackBack feed from the position kept on the connection (`fetch_id`),
  batch after batch while the feed says it is not done, then waits the documented `minDelay` —
  and never less than `status_poll_s` (Unifaun asks for less than one call per five minutes).
  Each shipment's status lands on its `shipment_label.carrier_status`.
- `print_labels` sends each stored label PDF, once, to the printer configured on the carrier
  connection (setting `label_printer`, see `core.hardware.label_printer`); a printer that is
  down is logged and tried again next round, and never pauses the carrier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import Store
from core.db.base import utcnow
from core.errors import Conflict, NotFound, Unavailable, UserError
from core.hardware.label_printer import LabelPrinter, open_label_printer
from core.integrations.connections import Connection, log_problem
from core.integrations.http import VendorAuthError, VendorError
from core.integrations.models import IntegrationConnection, ShipmentCancel, ShipmentLabel
from core.integrations.unifaun.client import UnifaunClient
from core.orders.models import Delivery, IntegrationTask, Order

JOB = "shipping"
#: "keep the call rate to less than one call per five minutes" (Unifaun TrackBack)
DEFAULT_STATUS_POLL_S = 300
MAX_BATCHES = 100
FINAL = ("delivered", "cancelled", "returned")


@dataclass
class AfterBookingResult:
    cancelled: int = 0
    not_booked: int = 0
    statuses: int = 0
    feed_read: bool = False
    printed: int = 0
    problems: list[str] = field(default_factory=list)


# -- cancel -----------------------------------------------------------------------------------
def _open_booking(session: Session, delivery_id: str) -> IntegrationTask | None:
    return session.scalar(select(IntegrationTask).where(
        IntegrationTask.delivery_id == delivery_id, IntegrationTask.type == "book_shipment",
        IntegrationTask.done_at.is_(None)).limit(1))


def cancel_delivery_shipment(session: Session, delivery_id: str, who: str,
                             reason: str | None = None) -> ShipmentCancel:
    """The delivery was cancelled or returned: drop its carrier booking (idempotent).

    A booking not yet sent is dropped at once (outcome 'not_booked'); a booked shipment is
    cancelled at the carrier by the sync node's next round. A shipment the carrier has already
    delivered cannot be cancelled: refused, with the hint to book a return instead.
    """
    if session.get(Delivery, delivery_id) is None:
        raise NotFound(f"no delivery {delivery_id!r}", field="delivery_id")
    row = session.get(ShipmentCancel, delivery_id)
    if row is not None:
        return row
    label = session.get(ShipmentLabel, delivery_id)
    if label is not None and label.carrier_status in ("delivered", "returned"):
        raise Conflict(f"the carrier has already {label.carrier_status} shipment "
                       f"{label.shipment_id}", field="delivery_id",
                       hint="book a return shipment instead of cancelling")
    row = ShipmentCancel(delivery_id=delivery_id, requested_by=who[:100], reason=reason,
                         attempts=0)
    session.add(row)
    task = _open_booking(session, delivery_id)
    in_doubt = bool(task is not None and (task.result or {}).get("in_doubt"))
    if label is None and not in_doubt:
        # nothing was (or can have been) booked: the booking is simply dropped
        if task is not None:
            task.done_at, task.result = utcnow(), {"cancelled": True}
        row.outcome, row.done_at = "not_booked", utcnow()
    session.flush()
    return row


def process_cancellations(store: Store, conn: Connection, client: UnifaunClient,
                          now: dt.datetime, result: AfterBookingResult) -> AfterBookingResult:
    """Cancel at the carrier each requested shipment; a refusal is logged, an outage raised."""
    with store.read() as s:
        ids = list(s.scalars(select(ShipmentCancel.delivery_id).where(
            ShipmentCancel.done_at.is_(None)).order_by(ShipmentCancel.requested_at).limit(100)))
    for delivery_id in ids:
        with store.read() as s:
            label = s.get(ShipmentLabel, delivery_id)
            shipment_id = label.shipment_id if label and label.connection_id == conn.id else None
            pending = label is None and _open_booking(s, delivery_id) is not None
        if label is not None and shipment_id is None:
            continue  # another carrier account booked it
        if pending:
            continue  # the booking's answer was lost: settled first, cancelled next round
        outcome, error = ("not_booked", None) if label is None else ("cancelled", None)
        if shipment_id is not None:
            try:
                client.cancel_shipment(shipment_id)
            except VendorError as exc:
                if isinstance(exc, VendorAuthError) or exc.status is None or exc.status >= 500:
                    raise  # no Discard licence, or not an answer about this shipment: kept open
                outcome, error = "refused", str(exc)[:2000]
        with store.write() as s:
            row = s.get(ShipmentCancel, delivery_id)
            row.attempts += 1
            row.outcome, row.last_error, row.done_at = outcome, error, now
            if outcome == "cancelled":
                lab = s.get(ShipmentLabel, delivery_id)
                lab.carrier_status, lab.status_at = "cancelled", now
                result.cancelled += 1
            elif outcome == "not_booked":
                result.not_booked += 1
            else:
                text = f"shipment {shipment_id} could not be cancelled: {error}"
                log_problem(s, JOB, text, connection_id=conn.id, ref=shipment_id,
                            hint="cancel it in Unifaun, or book a return")
                result.problems.append(text)
            s.commit()
    return result


# -- TrackBack status -------------------------------------------------------------------------
def poll_status(store: Store, conn: Connection, client: UnifaunClient, now: dt.datetime,
                result: AfterBookingResult) -> None:
    """Read the TrackBack feed if the carrier allows it now; statuses go to `shipment_label`."""
    with store.read() as s:
        row = s.get(IntegrationConnection, conn.id)
        if row.next_fetch_at is not None and now < row.next_fetch_at:
            return
        fetch_id = row.fetch_id or "-1"
    wait_ms = 0
    for _ in range(MAX_BATCHES):
        batch = client.fetch_status(fetch_id)
        result.feed_read = True
        latest = {sh.id: sh.status for sh in batch.shipments if sh.status}
        if latest:
            with store.write() as s:
                for label in s.scalars(select(ShipmentLabel).where(
                        ShipmentLabel.connection_id == conn.id,
                        ShipmentLabel.shipment_id.in_(list(latest)))):
                    status = latest[label.shipment_id][:20]
                    if label.carrier_status != status:
                        label.carrier_status, label.status_at = status, now
                        result.statuses += 1
                s.commit()
        fetch_id, wait_ms = batch.fetch_id, batch.min_delay_ms
        if batch.done:
            break
    floor = float(conn.setting("status_poll_s", DEFAULT_STATUS_POLL_S))
    wait = max(wait_ms / 1000.0, floor)
    with store.write() as s:
        row = s.get(IntegrationConnection, conn.id)
        row.fetch_id, row.next_fetch_at = fetch_id, now + dt.timedelta(seconds=wait)
        s.commit()


# -- labels -----------------------------------------------------------------------------------
def print_labels(store: Store, conn: Connection, now: dt.datetime, result: AfterBookingResult,
                 printer: LabelPrinter | None = None, limit: int = 50) -> None:
    """Print each stored, unprinted label of this carrier account on its configured printer."""
    if printer is None:
        config = conn.setting("label_printer")
        if not config:
            return
        try:
            printer = open_label_printer(config)
        except UserError as exc:
            _print_problem(store, conn, None, str(exc), result)
            return
    with store.read() as s:
        rows = s.execute(
            select(ShipmentLabel.delivery_id, ShipmentLabel.shipment_id, Order.number, Delivery.seq)
            .join(Delivery, Delivery.id == ShipmentLabel.delivery_id)
            .join(Order, Order.id == Delivery.order_id)
            .outerjoin(ShipmentCancel, ShipmentCancel.delivery_id == ShipmentLabel.delivery_id)
            .where(ShipmentLabel.connection_id == conn.id, ShipmentLabel.printed_at.is_(None),
                   ShipmentLabel.pdf.is_not(None), ShipmentCancel.delivery_id.is_(None))
            .order_by(ShipmentLabel.created_at).limit(limit)).all()
    for delivery_id, shipment_id, number, seq in rows:
        with store.read() as s:
            pdf = s.get(ShipmentLabel, delivery_id).pdf
        try:
            printer.print_pdf(pdf, f"label-{number}-{seq}-{shipment_id}")
        except (Unavailable, UserError) as exc:
            _print_problem(store, conn, f"{number}-{seq}", str(exc), result)
            return  # the printer is down: the rest wait for the next round
        with store.write() as s:
            s.get(ShipmentLabel, delivery_id).printed_at = now
            s.commit()
        result.printed += 1


def _print_problem(store: Store, conn: Connection, ref: str | None, text: str,
                   result: AfterBookingResult) -> None:
    message = f"label not printed: {text}"
    result.problems.append(message)
    with store.write() as s:
        log_problem(s, JOB, message, connection_id=conn.id, ref=ref, level="warning",
                    hint="fix the printer; the label is printed on the next round")
        s.commit()


def after_booking(store: Store, conn: Connection, client: UnifaunClient, now: dt.datetime
                  ) -> AfterBookingResult:
    """Print new labels, then read the status feed when allowed (cancellations run before bookings)."""
    result = AfterBookingResult()
    print_labels(store, conn, now, result)
    poll_status(store, conn, client, now, result)
    return result

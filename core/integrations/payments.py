"""Work through payment tasks at Klarna and Nets: capture a delivery's lines, release the rest, refund a credit note.

Every call carries the task's idempotency key (`capture_payment:<delivery id>`…), so a retry —
after a lost answer, a crash before our commit, or a manual "try again" — is answered with the
first result by the provider and nothing is captured twice. Nets' cancel has no key: the
payment is read first and only what is still reserved is cancelled. A refusal (expired
authorisation, amount mismatch, already captured) is stored on the task and written to the
order's history once, with the provider's code and message; outages do not count as attempts.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import Store
from core.errors import Unavailable, UserError
from core.integrations.connections import Connection, log_problem
from core.integrations.klarna.client import KlarnaClient
from core.integrations.klarna.client import OrderLine as KlarnaLine
from core.integrations.nets.client import NetsClient, NetsItem
from core.money import allocate, vat_of_gross
from core.orders import states
from core.orders.lifecycle import record_capture
from core.orders.models import IntegrationTask, Order
from core.quantity import ONE

log = logging.getLogger(__name__)
JOB = "payments"
TYPES = ("capture_payment", "release_payment", "refund_payment")
#: refusals tried this many times, then the task waits for a person (`retry_task`)
MAX_ATTEMPTS = 5


@dataclass
class TaskResult:
    done: int = 0
    failed: int = 0
    waiting: int = 0
    problems: list[str] = field(default_factory=list)


def retry_task(session: Session, task_id: str) -> IntegrationTask:
    """The "try again" button: a task that gave up is tried again in the next round."""
    task = session.get(IntegrationTask, task_id)
    if task is None or task.done_at is not None:
        raise UserError("no open integration task with that id", field="task_id")
    task.attempts = 0
    return task


def open_tasks(session: Session, types: tuple[str, ...], limit: int = 100) -> list[IntegrationTask]:
    return list(session.scalars(select(IntegrationTask).where(
        IntegrationTask.done_at.is_(None), IntegrationTask.type.in_(types),
        IntegrationTask.attempts < MAX_ATTEMPTS).order_by(IntegrationTask.created_at).limit(limit)))


def who_for(conn: Connection) -> str:
    return f"{conn.kind}:{conn.code}"[:100]


# -- lines ------------------------------------------------------------------------------------
def _gross_parts(body: dict) -> list[tuple[dict, int]]:
    """Each line with its gross share of the task amount (parts sum exactly to the amount)."""
    lines = body.get("lines") or []
    shares = allocate(int(body["amount"]), [max(0, int(ln["gross"])) for ln in lines]) \
        if lines and sum(int(ln["gross"]) for ln in lines) > 0 else []
    return list(zip(lines, shares))


def _pieces(qty: int) -> int:
    return qty // ONE if qty % ONE == 0 and qty >= ONE else 1


def klarna_lines(body: dict) -> list[KlarnaLine]:
    out = []
    for ln, gross in _gross_parts(body):
        q = _pieces(int(ln["qty"]))
        unit = -(-gross // q)  # ceiling, the rest as a discount so that q × unit − discount = gross
        out.append(KlarnaLine(
            reference=(ln.get("sku") or ln.get("kind") or "line")[:64], name=(ln["name"] or "-")[:255],
            quantity=q, unit_price=unit, total_amount=gross, tax_rate=int(ln["vat_rate_bp"]),
            total_tax_amount=vat_of_gross(gross, int(ln["vat_rate_bp"])),
            total_discount_amount=unit * q - gross,
            type="shipping_fee" if ln.get("kind") == "shipping" else "physical"))
    return out


def nets_items(body: dict) -> list[NetsItem]:
    out = []
    for ln, gross in _gross_parts(body):
        q = _pieces(int(ln["qty"]))
        tax = vat_of_gross(gross, int(ln["vat_rate_bp"]))
        out.append(NetsItem(
            reference=(ln.get("sku") or ln.get("kind") or "line")[:128], name=(ln["name"] or "-")[:128],
            quantity=q, unit="pcs", unit_price=(gross - tax) // q, tax_rate=int(ln["vat_rate_bp"]),
            tax_amount=tax, gross_total_amount=gross, net_total_amount=gross - tax))
    return out


# -- provider calls ---------------------------------------------------------------------------
def _klarna(client: KlarnaClient, task: IntegrationTask) -> dict:
    body, ref = task.body, task.body["provider_reference"]
    if task.type == "capture_payment":
        capture_id = client.capture(ref, int(body["amount"]), idempotency_key=task.idem_key,
                                    lines=klarna_lines(body),
                                    reference=f"{body['order_number']}-{body['delivery_seq']}")
        return {"capture_id": capture_id, "amount": int(body["amount"])}
    if task.type == "release_payment":
        order = client.get_order(ref)
        if order.remaining_authorized_amount <= 0:
            return {"released": 0, "note": "nothing left to release"}
        if order.captured_amount == 0:
            client.cancel(ref, idempotency_key=task.idem_key)
        else:
            client.release_remaining_authorization(ref, idempotency_key=task.idem_key)
        return {"released": order.remaining_authorized_amount}
    refund_id = client.refund(ref, int(body["amount"]), idempotency_key=task.idem_key,
                              reference=str(body.get("credit_note_number") or ""))
    return {"refund_id": refund_id, "amount": int(body["amount"])}


def _nets(client: NetsClient, task: IntegrationTask) -> dict:
    body, ref = task.body, task.body["provider_reference"]
    if task.type == "capture_payment":
        charge_id = client.charge(ref, int(body["amount"]), idempotency_key=task.idem_key,
                                  items=nets_items(body),
                                  my_reference=f"{body['order_number']}-{body['delivery_seq']}")
        return {"charge_id": charge_id, "amount": int(body["amount"])}
    payment = client.get_payment(ref)
    if task.type == "release_payment":
        left = payment.reserved - payment.charged - payment.cancelled
        if left <= 0:
            return {"released": 0, "note": "nothing left to release"}
        client.cancel(ref, min(left, int(body["amount"])))
        return {"released": min(left, int(body["amount"]))}
    if not payment.charge_ids:
        raise UserError("the payment has no charge to refund", field="provider_reference")
    refund_id = client.refund_charge(payment.charge_ids[-1], int(body["amount"]),
                                     idempotency_key=task.idem_key)
    return {"refund_id": refund_id, "amount": int(body["amount"])}


def run_task(store: Store, conn: Connection, client, task_id: str, now: dt.datetime,
             result: TaskResult) -> None:
    """One task: call the provider, then record the outcome in one transaction."""
    with store.read() as s:
        task = s.get(IntegrationTask, task_id)
        if task is None or task.done_at is not None:
            return
        s.expunge(task)
    try:
        outcome = (_klarna if conn.kind == "klarna" else _nets)(client, task)
    except Unavailable as exc:  # try again next round; not an attempt against the limit
        with store.write() as s:
            s.get(IntegrationTask, task_id).last_error = str(exc)[:2000]
            s.commit()
        result.waiting += 1
        raise
    except UserError as exc:
        _refused(store, conn, task, exc, result)
        return
    with store.write() as s:
        row = s.get(IntegrationTask, task_id)
        row.done_at, row.result, row.last_error = now, {**outcome, "provider": conn.kind}, None
        row.attempts += 1
        if task.type == "capture_payment":
            try:  # the money is captured: the task is done even if our books disagree
                with s.begin_nested():
                    record_capture(s, row.order_id, outcome["amount"], who_for(conn),
                                   outcome.get("capture_id") or outcome.get("charge_id"))
            except UserError as exc:
                log_problem(s, JOB, f"order {task.body.get('order_number')}: captured at "
                            f"{conn.kind} but not recorded here: {exc}", connection_id=conn.id,
                            ref=str(task.body.get("order_number")))
        else:
            order = s.get(Order, row.order_id)
            states.log_event(s, order, who_for(conn), "payment",
                             f"{task.type.replace('_', ' ')} done at {conn.kind}: {outcome}")
        s.commit()
    result.done += 1


def _refused(store: Store, conn: Connection, task: IntegrationTask, exc: UserError,
             result: TaskResult) -> None:
    text = str(exc)[:2000]
    with store.write() as s:
        row = s.get(IntegrationTask, task.id)
        first = row.last_error != text
        row.attempts += 1
        row.last_error = text
        order = s.get(Order, row.order_id)
        if first:
            states.log_event(s, order, who_for(conn), "payment",
                             f"{task.type.replace('_', ' ')} refused: {text} — fix it and press "
                             "'try again'")
            log_problem(s, JOB, f"order {order.number}: {task.type} refused: {text}",
                        connection_id=conn.id, ref=str(order.number))
        s.commit()
    result.failed += 1
    result.problems.append(f"order {task.body.get('order_number')}: {text}")


def process_payment_tasks(store: Store, conns: dict[str, Connection], clients: dict[int, object],
                          now: dt.datetime, limit: int = 100) -> TaskResult:
    """Every open payment task whose provider has a connection; an outage stops that provider only."""
    result = TaskResult()
    with store.read() as s:
        tasks = [(t.id, t.body.get("provider")) for t in open_tasks(s, TYPES, limit)]
    down: set[str] = set()
    for task_id, provider in tasks:
        conn = conns.get(provider)
        if conn is None or provider in down:
            continue
        try:
            run_task(store, conn, clients[conn.id], task_id, now, result)
        except Unavailable as exc:
            down.add(provider)
            result.problems.append(str(exc))
    return result

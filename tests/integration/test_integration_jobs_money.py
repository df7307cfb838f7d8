"""Integration jobs, money after delivery: refunds on credit notes, Klarna and Nets payouts settle invoices, fees kept."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.integrations.models import ProviderSettlement, WebshopOrder
from core.invoicing.models import Invoice
from core.invoicing.service import credit_invoice, invoice_order
from core.orders.delivery import deliver
from core.orders.service import lines_of
from tests.integration_jobs_support import build_world, klarna_order


@pytest.fixture
def world(store):
    w = build_world(store, second_shop=False)
    yield w
    w.stop()


def _import_deliver_invoice(store, world, runner) -> tuple[str, str]:
    runner.run_once()
    with store.read() as s:
        order_id = s.scalar(select(WebshopOrder.order_id))
    with store.write() as s:
        deliver(s, order_id, {ln.id: ln.qty for ln in lines_of(s, order_id)
                              if ln.kind == "product"}, "lager")
        invoice = invoice_order(s, order_id, "ekonomi")
        s.commit()
        return order_id, invoice.id


def test_klarna_payout_settles_the_invoice_and_keeps_the_fees(store, world):
    kid = klarna_order(world, [("TSHIRT", 1, 19900)])
    world.web1.add_order([("TSHIRT", 1, "159.20", "25")], payment_reference=kid)
    runner = world.runner(store)
    _order_id, invoice_id = _import_deliver_invoice(store, world, runner)
    runner.run_once()                                     # the capture
    today = dt.date.today().isoformat()
    world.klarna.add_payout("PAY-1", f"{today}T06:00:00Z",
                            {"sale_amount": 19900, "fee_amount": 597, "settlement_amount": 19303})
    world.klarna.add_transaction(type="SALE", amount=19900, order_id=kid, payment_reference="PAY-1")
    world.klarna.add_transaction(type="FEE", amount=597, order_id=kid, payment_reference="PAY-1",
                                 vat_amount=0)
    world.klarna.add_transaction(type="SALE", amount=500, order_id="not-ours",
                                 payment_reference="PAY-1")
    with store.write() as s:                              # settlements are due again
        from core.integrations.models import IntegrationConnection
        for row in s.scalars(select(IntegrationConnection)):
            row.last_settlement_at = None
        s.commit()
    report = runner.run_once()
    assert report.payouts == 1, report.problems
    with store.read() as s:
        invoice = s.get(Invoice, invoice_id)
        assert invoice.provider_settled_on is not None and invoice.settled
        row = s.scalar(select(ProviderSettlement))
        assert (row.provider, row.amount, row.sales, row.fees) == ("klarna", 19303, 19900, 597)
        assert row.invoices_settled == 1 and row.unmatched == ["not-ours"]
    runner.run_once()                                     # imported once only
    with store.read() as s:
        assert s.query(ProviderSettlement).count() == 1
    runner.close()


def test_credit_note_refunds_at_klarna_once(store, world):
    kid = klarna_order(world, [("TSHIRT", 1, 19900)])
    world.web1.add_order([("TSHIRT", 1, "159.20", "25")], payment_reference=kid)
    runner = world.runner(store)
    _order_id, invoice_id = _import_deliver_invoice(store, world, runner)
    runner.run_once()
    with store.write() as s:
        credit_invoice(s, invoice_id, "ekonomi", reason="reklamation")
        s.commit()
    world.klarna.drop(after=True, times=1, method="POST", path="/refunds$")
    runner.run_once()
    runner.run_once()
    refunds = world.klarna.orders[kid]["refunds"]
    assert len(refunds) == 1 and refunds[0]["refunded_amount"] == 19900
    runner.close()


def test_nets_payout_settles_the_invoice(store, world):
    pid = world.nets.add_payment(19900, [])
    world.web1.add_order([("TSHIRT", 1, "159.20", "25")], payment_method="nets",
                         payment_reference=pid)
    runner = world.runner(store)
    _order_id, invoice_id = _import_deliver_invoice(store, world, runner)
    runner.run_once()
    world.nets.add_payout("po-1", dt.date.today().isoformat(), 19500,
                          [{"id": "a1", "paymentId": pid, "paymentAction": "Charge", "amount": 19900,
                            "fee": 400, "currency": "SEK"}])
    with store.write() as s:
        from core.integrations.models import IntegrationConnection
        for row in s.scalars(select(IntegrationConnection)):
            row.last_settlement_at = None
        s.commit()
    report = runner.run_once()
    assert report.payouts == 1, report.problems
    with store.read() as s:
        assert s.get(Invoice, invoice_id).provider_settled_on is not None
        assert s.scalar(select(ProviderSettlement.fees)) == 400
    runner.close()

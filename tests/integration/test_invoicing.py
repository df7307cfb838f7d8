"""Invoices per delivery or per order, credit notes, provider-paid invoices, payments from files, ageing, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.errors import Conflict, InvalidTransition, RowErrors, ValidationError
from core.invoicing.models import Invoice
from core.invoicing.ocr import check_ocr
from core.invoicing.payments import (
    assign_payment,
    import_payments_csv,
    register_payment,
    settle_provider,
    unmatched_payments,
)
from core.invoicing.receivables import create_reminder, receivables
from core.invoicing.service import (
    EXPORT_TEXT,
    balance,
    credit_invoice,
    credit_notes_of,
    invoice_delivery,
    invoice_order,
    lines_of,
)
from core.orders.delivery import deliver
from core.orders.lifecycle import confirm_order
from core.orders.models import IntegrationTask
from core.orders.pricing import LineIn
from core.orders.service import OrderIn, create_order, get_order
from core.orders.service import lines_of as order_lines
from core.quantity import pieces
from core.vat.rates import REVERSE_CHARGE_TEXT
from tests.orders_support import TODAY, setup_shop


@pytest.fixture
def shop(store):
    return setup_shop(store)


def delivered_order(store, shop, *, customer="anna", channel=None, parts=((2,), ), lines=None,
                    **kw) -> tuple[str, list[str]]:
    """An order confirmed and delivered in `parts` (quantities per line, pieces); returns delivery ids."""
    with store.write() as s:
        order = create_order(s, OrderIn(
            channel_id=channel or shop.web, customer_id=shop.c[customer], order_date=TODAY,
            lines=lines or [LineIn(product_id=shop.p["TSHIRT"], qty=pieces(2))], **kw), "test")
        confirm_order(s, order.id, "test")
        ids = [ln.id for ln in order_lines(s, order.id) if ln.kind == "product"]
        deliveries = []
        for part in parts:
            d = deliver(s, order.id, {i: pieces(q) for i, q in zip(ids, part) if q}, "test", on=TODAY)
            deliveries.append(d.id)
        s.commit()
        return order.id, deliveries


def test_invoice_per_order_covers_every_uninvoiced_delivery_once(store, shop):
    oid, (_d1, d2) = delivered_order(store, shop, parts=((1,), (1,)))
    with store.write() as s:
        inv = invoice_order(s, oid, "ekonomi", on=TODAY)
        assert [(ln.qty, ln.amount) for ln in lines_of(s, inv.id)] == [(1000, 19900), (1000, 19900)]
        assert inv.total_gross == 39800 and inv.order_number == get_order(s, oid).number
        assert check_ocr(inv.ocr, length_digit=True) == inv.ocr
        assert get_order(s, oid).status == "invoiced"
        with pytest.raises(Conflict, match="every delivery of order 1 is already invoiced"):
            invoice_order(s, oid, "ekonomi")
        with pytest.raises(Conflict, match="already on invoice"):
            invoice_delivery(s, d2, "ekonomi")


def test_nothing_delivered_cannot_be_invoiced(store, shop):
    with store.write() as s:
        order = create_order(s, OrderIn(channel_id=shop.web, customer_id=shop.c["anna"],
                                        lines=[LineIn(sku="BOK")]), "t")
        with pytest.raises(InvalidTransition, match="deliver it first"):
            invoice_order(s, order.id, "ekonomi")


def test_reverse_charge_and_export_invoices_carry_their_wording(store, shop):
    _de, (d_de,) = delivered_order(store, shop, customer="gmbh", channel=shop.b2b)
    _no, (d_no,) = delivered_order(store, shop, customer="ola")
    with store.write() as s:
        inv_de = invoice_delivery(s, d_de, "ekonomi", on=TODAY)
        inv_no = invoice_delivery(s, d_no, "ekonomi", on=TODAY)
        assert inv_de.legal_text == REVERSE_CHARGE_TEXT and inv_de.total_vat == 0
        assert inv_de.buyer_vat_number == "DE136695976"
        assert inv_no.legal_text == EXPORT_TEXT and inv_no.total_gross == 2 * 15920


def test_full_credit_after_a_partial_one_nets_every_rate_to_zero(store, shop):
    # prices excl. VAT: VAT is computed per document, so the last credit takes exactly the rest
    lines = [LineIn(product_id=shop.p["TSHIRT"], qty=pieces(3), unit_price=3333),
             LineIn(product_id=shop.p["KAFFE"], qty=pieces(3), unit_price=1111)]
    _oid, (d,) = delivered_order(store, shop, customer="firma", channel=shop.b2b, lines=lines,
                                 parts=((3, 3),))
    with store.write() as s:
        inv = invoice_delivery(s, d, "ekonomi", on=TODAY)
        first = lines_of(s, inv.id)
        c1 = credit_invoice(s, inv.id, "ekonomi", {first[0].id: pieces(1), first[1].id: pieces(1)})
        c2 = credit_invoice(s, inv.id, "ekonomi")
        with pytest.raises(Conflict, match="already credited in full"):
            credit_invoice(s, inv.id, "ekonomi")
        total = [inv.total_net + c1.total_net + c2.total_net,
                 inv.total_vat + c1.total_vat + c2.total_vat]
        assert total == [0, 0]
        assert [c.number for c in credit_notes_of(s, inv.id)] == [c1.number, c2.number]
        assert balance(s, inv) == 0 and inv.settled
        with pytest.raises(ValidationError, match="is a credit note"):
            credit_invoice(s, c1.id, "ekonomi")


def test_provider_paid_invoice_is_internal_settled_at_payout_and_refunded_on_credit(store, shop):
    oid, (d,) = delivered_order(store, shop, payment_provider="klarna", payment_reference="kl-9",
                                payment_authorised=39800)
    with store.write() as s:
        inv = invoice_delivery(s, d, "ekonomi", on=TODAY)
        assert inv.paid_by_provider == "klarna" and not inv.settled
        assert receivables(s, TODAY + dt.timedelta(days=60)).rows == []
        assert [r.number for r in receivables(s, TODAY, include_provider=True).rows] == [inv.number]
        with pytest.raises(ValidationError, match="not a customer receivable"):
            create_reminder(s, inv.id, "ekonomi", TODAY + dt.timedelta(days=60))
        credit = credit_invoice(s, inv.id, "ekonomi", {lines_of(s, inv.id)[0].id: pieces(1)})
        refund = s.scalar(select(IntegrationTask).where(IntegrationTask.type == "refund_payment"))
        assert refund.body["amount"] == 19900 and refund.body["provider"] == "klarna"
        payment = settle_provider(s, inv.id, TODAY + dt.timedelta(days=7), "ekonomi")
        assert payment.amount == 19900 and payment.source == "provider"
        assert inv.settled and credit.settled
        assert get_order(s, oid).status == "closed"
        with pytest.raises(Conflict, match="settled by klarna"):
            settle_provider(s, inv.id, TODAY, "ekonomi")


def test_payments_by_hand_match_on_ocr_or_number_or_wait_unmatched(store, shop):
    _o1, (d1,) = delivered_order(store, shop)
    _o2, (d2,) = delivered_order(store, shop)
    with store.write() as s:
        inv1 = invoice_delivery(s, d1, "ekonomi", on=TODAY)
        inv2 = invoice_delivery(s, d2, "ekonomi", on=TODAY)
        p1 = register_payment(s, amount=10000, paid_on=TODAY, who="ekonomi",
                              reference=f"OCR {inv1.ocr}")
        p2 = register_payment(s, amount=39800, paid_on=TODAY, who="ekonomi",
                              reference=f"Faktura {inv2.number}")
        p3 = register_payment(s, amount=29800, paid_on=TODAY, who="ekonomi", reference="hej")
        assert (p1.invoice_id, p2.invoice_id, p3.invoice_id) == (inv1.id, inv2.id, None)
        assert inv2.settled and not inv1.settled and balance(s, inv1) == 29800
        assert [p.id for p in unmatched_payments(s)] == [p3.id]
        assign_payment(s, p3.id, inv1.id, "ekonomi")
        assert inv1.settled
        with pytest.raises(Conflict, match="already matched"):
            assign_payment(s, p3.id, inv2.id, "ekonomi")


def test_csv_payments_refuse_bad_rows_by_line_and_import_once(store, shop):
    _o, (d,) = delivered_order(store, shop)
    with store.write() as s:
        inv = invoice_delivery(s, d, "ekonomi", on=TODAY)
        bad = "date,amount,reference\n2026-05-10,12.3.4,1\nigår,10,2\n".encode()
        with pytest.raises(RowErrors) as err:
            import_payments_csv(s, bad, "ekonomi")
        assert [(line, field) for line, field, _ in err.value.errors] == [(2, "amount"), (3, "date")]
        good = f"date,amount,reference\n2026-05-10,398.00,{inv.ocr}\n".encode()
        assert len(import_payments_csv(s, good, "ekonomi").matched) == 1
        assert import_payments_csv(s, good, "ekonomi").skipped == 1
        assert inv.paid_amount == 39800 and inv.settled


def test_ageing_buckets_and_reminders(store, shop):
    invs = []
    for _ in range(3):
        _o, (d,) = delivered_order(store, shop)
        invs.append(d)
    with store.write() as s:
        days = [TODAY - dt.timedelta(days=n) for n in (0, 45, 130)]
        ids = [invoice_delivery(s, d, "ekonomi", on=day).id for d, day in zip(invs, days)]
        s.commit()
        ageing = receivables(s, TODAY)
        assert [r.bucket for r in ageing.rows] == ["over_90", "1-30", "not_due"]
        assert ageing.totals == {("SEK", "over_90"): 39800, ("SEK", "1-30"): 39800,
                                 ("SEK", "not_due"): 39800}
        with pytest.raises(Conflict, match="not overdue yet"):
            create_reminder(s, ids[0], "ekonomi", TODAY)
        r1 = create_reminder(s, ids[2], "ekonomi", TODAY, fee=6000)
        r2 = create_reminder(s, ids[2], "ekonomi", TODAY + dt.timedelta(days=14))
        assert (r1.level, r2.level, r1.open_amount) == (1, 2, 39800)
        assert receivables(s, TODAY).rows[0].reminders == 2
        assert len(receivables(s, TODAY, customer_id=shop.c["anna"]).rows) == 3
        assert receivables(s, TODAY, customer_id=shop.c["firma"]).rows == []


def test_invoice_numbers_are_gap_free_and_shared_with_credit_notes(store, shop):
    _o, (d1, d2) = delivered_order(store, shop, parts=((1,), (1,)))
    with store.write() as s:
        a = invoice_delivery(s, d1, "ekonomi")
        c = credit_invoice(s, a.id, "ekonomi")
        b = invoice_delivery(s, d2, "ekonomi")
        assert [a.number, c.number, b.number] == [1, 2, 3]
        assert len(set(s.scalars(select(Invoice.ocr)))) == 3

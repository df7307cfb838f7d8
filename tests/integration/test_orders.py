"""Orders from any channel: pricing and VAT per line, the state machine, reservations, deliveries, tasks."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.inventory.models import StockMovement
from core.numbering import last_number
from core.orders.delivery import deliver, pending_tasks, set_tracking
from core.orders.editing import add_line, change_line, remove_line
from core.orders.lifecycle import cancel_order, confirm_order, record_capture
from core.orders.models import IntegrationTask, OrderEvent
from core.orders.pricing import LineIn
from core.orders.service import OrderIn, create_order, find_channel_order, get_order, lines_of
from core.quantity import pieces
from tests.orders_support import TODAY, on_hand, reserved, setup_shop


@pytest.fixture
def shop(store):
    return setup_shop(store)


def make(store, shop, *, customer="anna", channel=None, lines=None, **kw):
    with store.write() as s:
        order = create_order(s, OrderIn(
            channel_id=channel or shop.web, customer_id=shop.c[customer], order_date=TODAY,
            lines=lines or [LineIn(product_id=shop.p["TSHIRT"], qty=pieces(2))], **kw), "test")
        s.commit()
        return order.id


def test_retail_order_takes_list_prices_incl_vat_and_vat_per_class(store, shop):
    oid = make(store, shop, lines=[LineIn(product_id=shop.p["TSHIRT"], qty=pieces(1)),
                                   LineIn(sku="KAFFE", qty=pieces(2)),
                                   LineIn(kind="shipping", unit_price=5900)])
    with store.read() as s:
        lines = lines_of(s, oid)
        assert [(ln.sku, ln.unit_price, ln.amount, ln.vat_rate_bp) for ln in lines] == [
            ("TSHIRT", 19900, 19900, 2500), ("KAFFE", 8950, 17900, 600), ("", 5900, 5900, 2500)]
        order = get_order(s, oid)
        assert order.prices_include_vat and order.vat_treatment == "domestic"
        # 25 %: 258,00 → VAT 51,60; 6 %: 179,00 → VAT 10,13
        assert (order.total_gross, order.total_vat) == (43700, 6173)
        assert order.invoice_address["city"] == "Göteborg"
        assert order.delivery_address == order.invoice_address


def test_b2b_order_prices_exclude_vat(store, shop):
    oid = make(store, shop, customer="firma", channel=shop.b2b,
               lines=[LineIn(product_id=shop.p["TSHIRT"], qty=pieces(10), discount_bp=500)])
    with store.read() as s:
        order = get_order(s, oid)
        (line,) = lines_of(s, oid)
        assert not order.prices_include_vat
        assert (line.unit_price, line.amount) == (12000, 114000)
        assert (order.total_net, order.total_vat, order.total_gross) == (114000, 28500, 142500)


def test_eu_business_gets_reverse_charge_and_export_takes_swedish_vat_out(store, shop):
    de = make(store, shop, customer="gmbh", channel=shop.b2b)
    no = make(store, shop, customer="ola")
    with store.read() as s:
        o_de, o_no = get_order(s, de), get_order(s, no)
        assert (o_de.vat_treatment, o_de.vat_country, o_de.buyer_vat_number) == (
            "reverse_charge", "DE", "DE136695976")
        assert [(ln.unit_price, ln.vat_rate_bp) for ln in lines_of(s, de)] == [(12000, 0)]
        assert o_de.total_vat == 0 and o_de.total_gross == 24000
        # a retail price incl. 25 % Swedish VAT, sold outside the EU: 199,00 → 159,20 net
        assert o_no.vat_treatment == "export" and not o_no.prices_include_vat
        assert [(ln.unit_price, ln.vat_rate_bp) for ln in lines_of(s, no)] == [(15920, 0)]


def test_oss_distance_sale_uses_the_buyers_rate(store, shop):
    fi = {"address1": "Esplanadi 1", "postal_code": "00100", "city": "Helsinki", "country": "FI"}
    oid = make(store, shop, delivery_address=fi, oss=True)
    with store.read() as s:
        (line,) = lines_of(s, oid)
        assert line.vat_rate_bp == 2550


def test_refusals_name_the_field_and_spend_no_number(store, shop):
    with store.write() as s:
        with pytest.raises(ValidationError, match=r"lines\[2\]\.qty"):
            create_order(s, OrderIn(channel_id=shop.web, customer_id=shop.c["anna"], lines=[
                LineIn(product_id=shop.p["TSHIRT"]), LineIn(product_id=shop.p["KAFFE"], qty=0)]),
                "test")
        with pytest.raises(NotFound, match="no product with SKU 'NOPE'"):
            create_order(s, OrderIn(channel_id=shop.web, customer_id=shop.c["anna"],
                                    lines=[LineIn(sku="NOPE")]), "test")
        with pytest.raises(ValidationError, match="customer"):
            create_order(s, OrderIn(channel_id=shop.web, lines=[LineIn(sku="BOK")]), "test")
        assert last_number(s, "order") == 0
    make(store, shop)
    with store.read() as s:
        assert last_number(s, "order") == 1


def test_a_channel_order_number_is_taken_once(store, shop):
    oid = make(store, shop, channel_order_no="W-1")
    with store.write() as s:
        assert find_channel_order(s, shop.web, "W-1").id == oid
        with pytest.raises(Conflict, match="Webbshop order W-1 is already order 1"):
            create_order(s, OrderIn(channel_id=shop.web, channel_order_no="W-1",
                                    customer_id=shop.c["anna"], lines=[LineIn(sku="BOK")]), "x")


def test_state_machine_refuses_invalid_steps_and_logs_who(store, shop):
    oid = make(store, shop)
    with store.write() as s:
        line = lines_of(s, oid)[0]
        with pytest.raises(InvalidTransition, match="new and cannot be delivered"):
            deliver(s, oid, {line.id: pieces(1)}, "kalle")
        confirm_order(s, oid, "kalle")
        with pytest.raises(InvalidTransition, match="confirmed and cannot become confirmed"):
            confirm_order(s, oid, "kalle")
        deliver(s, oid, {line.id: pieces(2)}, "kalle")
        with pytest.raises(InvalidTransition, match="delivered and cannot become cancelled"):
            cancel_order(s, oid, "kalle")
        with pytest.raises(InvalidTransition, match="lines cannot change"):
            add_line(s, oid, LineIn(sku="BOK"), "kalle")
        s.commit()
        events = list(s.scalars(select(OrderEvent).where(OrderEvent.order_id == oid,
                                                         OrderEvent.kind == "status")
                                .order_by(OrderEvent.id)))
        assert [(e.to_status, e.who) for e in events] == [
            ("new", "test"), ("confirmed", "kalle"), ("delivered", "kalle")]
        assert all(e.at is not None for e in events)


def test_confirm_reserves_bundle_components_and_cancel_releases(store, shop):
    oid = make(store, shop, lines=[LineIn(product_id=shop.p["SET"], qty=pieces(2)),
                                   LineIn(product_id=shop.p["TSHIRT"], qty=pieces(1))])
    with store.write() as s:
        confirm_order(s, oid, "kalle")
        s.commit()
    assert reserved(store, shop.p["TSHIRT"], shop.warehouse) == pieces(3)
    assert reserved(store, shop.p["MUGG"], shop.warehouse) == pieces(4)
    with store.write() as s:
        change_line(s, oid, lines_of(s, oid)[1].id, "kalle", qty=pieces(5))
        s.commit()
    assert reserved(store, shop.p["TSHIRT"], shop.warehouse) == pieces(7)
    with store.write() as s:
        cancel_order(s, oid, "kalle", "kunden ångrade sig")
        s.commit()
    assert reserved(store, shop.p["TSHIRT"], shop.warehouse) == 0
    assert reserved(store, shop.p["MUGG"], shop.warehouse) == 0


def test_bundle_delivery_moves_components(store, shop):
    oid = make(store, shop, lines=[LineIn(product_id=shop.p["SET"], qty=pieces(2))])
    with store.write() as s:
        confirm_order(s, oid, "kalle")
        deliver(s, oid, {lines_of(s, oid)[0].id: pieces(1)}, "kalle")
        s.commit()
    assert on_hand(store, shop.p["MUGG"], shop.warehouse) == pieces(8)
    assert on_hand(store, shop.p["TSHIRT"], shop.warehouse) == pieces(9)
    assert reserved(store, shop.p["MUGG"], shop.warehouse) == pieces(2)


def test_not_enough_stock_refuses_the_whole_delivery(store, shop):
    oid = make(store, shop, lines=[LineIn(product_id=shop.p["BOK"], qty=pieces(12)),
                                   LineIn(product_id=shop.p["KAFFE"], qty=pieces(1))])
    with store.write() as s:
        confirm_order(s, oid, "kalle")
        s.commit()
    with store.write() as s:
        bok, kaffe = lines_of(s, oid)
        with pytest.raises(Conflict, match="not enough stock of product BOK"):
            deliver(s, oid, {bok.id: pieces(12), kaffe.id: pieces(1)}, "kalle")
        s.commit()  # even a commit after the refusal keeps nothing of it
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(StockMovement)
                        .where(StockMovement.reason == "delivery")) == 0
        assert [ln.delivered_qty for ln in lines_of(s, oid)] == [0, 0]
    assert on_hand(store, shop.p["KAFFE"], shop.warehouse) == pieces(10)


def test_drop_ship_line_is_delivered_when_the_supplier_confirms(store, shop):
    oid = make(store, shop, lines=[LineIn(product_id=shop.p["SOFFA"], qty=pieces(1)),
                                   LineIn(product_id=shop.p["TSHIRT"], qty=pieces(1))])
    with store.write() as s:
        confirm_order(s, oid, "kalle")
        soffa, tshirt = lines_of(s, oid)
        assert soffa.drop_ship and soffa.reservation_key is None
        with pytest.raises(ValidationError, match="drop-shipped"):
            deliver(s, oid, {soffa.id: pieces(1)}, "kalle")
        with pytest.raises(ValidationError, match="not drop-shipped"):
            deliver(s, oid, {tshirt.id: pieces(1)}, "kalle", drop_ship_confirmed=True)
        d = deliver(s, oid, {soffa.id: pieces(1)}, "kalle", drop_ship_confirmed=True)
        s.commit()
        assert d.drop_ship and d.location_id is None
        assert s.scalar(select(func.count()).select_from(StockMovement)
                        .where(StockMovement.reason == "delivery")) == 0
        assert [t.type for t in pending_tasks(s)] == []  # invoice-paid, supplier ships


def test_delivery_leaves_capture_and_shipment_tasks(store, shop):
    oid = make(store, shop, lines=[LineIn(product_id=shop.p["TSHIRT"], qty=pieces(2)),
                                   LineIn(product_id=shop.p["KAFFE"], qty=pieces(1)),
                                   LineIn(kind="shipping", unit_price=4900)],
               payment_provider="klarna", payment_reference="kl-123", payment_authorised=57700)
    with store.write() as s:
        confirm_order(s, oid, "kalle")
        t, _k, _ship = lines_of(s, oid)
        d = deliver(s, oid, {t.id: pieces(1)}, "kalle")
        s.commit()
        tasks = {task.type: task for task in pending_tasks(s)}
        capture = tasks["capture_payment"].body
        assert capture["amount"] == 19900 + 4900 and capture["provider_reference"] == "kl-123"
        assert [(ln["sku"], ln["qty"], ln["gross"]) for ln in capture["lines"]] == [
            ("TSHIRT", 1000, 19900), ("", 1000, 4900)]
        assert tasks["book_shipment"].body["lines"] == [
            {"sku": "TSHIRT", "name": "T-shirt röd", "qty": 1000}]
        assert tasks["book_shipment"].idem_key == f"book_shipment:{d.id}"
        record_capture(s, oid, 24800, "sync", "cap-1")
        with pytest.raises(Conflict, match="exceed the authorised"):
            record_capture(s, oid, 40000, "sync")
        set_tracking(s, d.id, "SE123456789", "sync", carrier="PostNord")
        s.commit()
        cancel = None
        with pytest.raises(InvalidTransition):
            cancel = cancel_order(s, oid, "kalle")
        assert cancel is None


def test_cancel_releases_the_authorised_payment(store, shop):
    oid = make(store, shop, payment_provider="nets", payment_authorised=39800)
    with store.write() as s:
        confirm_order(s, oid, "kalle")
        cancel_order(s, oid, "kalle")
        s.commit()
        (task,) = s.scalars(select(IntegrationTask))
        assert task.type == "release_payment" and task.body["amount"] == 39800


def test_editing_lines_before_delivery(store, shop):
    oid = make(store, shop, lines=[LineIn(product_id=shop.p["TSHIRT"], qty=pieces(1)),
                                   LineIn(product_id=shop.p["BOK"], qty=pieces(1))])
    with store.write() as s:
        line = add_line(s, oid, LineIn(sku="MUGG", qty=pieces(2), unit_price=10000), "kalle")
        change_line(s, oid, line.id, "kalle", discount_bp=2500)
        remove_line(s, oid, lines_of(s, oid)[1].id, "kalle")
        s.commit()
        assert [(ln.sku, ln.amount) for ln in lines_of(s, oid)] == [("TSHIRT", 19900),
                                                                    ("MUGG", 15000)]
        assert get_order(s, oid).total_gross == 34900
        with pytest.raises(ValidationError, match="discount_bp"):
            change_line(s, oid, line.id, "kalle", discount_bp=10001)


def test_orders_list_filters_searches_and_sorts(store, shop):
    from core.orders.queries import OrderFilter, count_orders, list_orders

    a = make(store, shop, channel_order_no="W-100")
    b = make(store, shop, customer="firma", channel=shop.b2b,
             lines=[LineIn(product_id=shop.p["BOK"], qty=pieces(12))])
    c = make(store, shop, channel_order_no="W-200", payment_provider="klarna",
             payment_authorised=39800)
    with store.write() as s:
        confirm_order(s, b, "kalle")
        deliver(s, b, {lines_of(s, b)[0].id: pieces(10)}, "kalle")
        s.commit()
        ids = lambda f=None, **kw: [r.id for r in list_orders(s, f, **kw)]
        assert ids() == [c, b, a]
        assert ids(OrderFilter(text="W-")) == [c, a]
        assert ids(OrderFilter(text="2")) == [b]  # our number 2; "W-200" does not start with 2
        assert ids(OrderFilter(text="firma")) == [b]
        assert ids(OrderFilter(has_backorder=True)) == [b]
        assert ids(OrderFilter(status="partly_delivered", channel_id=shop.b2b)) == [b]
        assert ids(OrderFilter(payment_not_captured=True)) == [c]
        assert ids(sort="total_gross", descending=False) == [a, c, b]
        assert count_orders(s, OrderFilter(channel_id=shop.web)) == 2
        with pytest.raises(ValidationError, match="cannot sort by"):
            list_orders(s, sort="id; drop table")

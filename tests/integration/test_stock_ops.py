"""Stock operations on a real SQLite file: transfers with partial receipts, stock counts, valuation."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from core.catalog.bundles import set_components
from core.documents.count_list_pdf import count_list_pdf
from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.inventory import MovementIn, check_levels, record_movements
from core.inventory.counts import (
    cancel_count,
    count_rows,
    create_count,
    enter_count,
    get_count,
    post_count,
    variance_report,
)
from core.inventory.models import StockMovement
from core.inventory.transfers import (
    cancel_transfer,
    close_transfer,
    create_transfer,
    get_transfer,
    in_transit,
    receive_transfer,
    send_transfer,
    transfer_lines,
)
from core.inventory.valuation import average_cost, set_average_cost, stock_value, valuation_rows
from core.quantity import pieces
from tests.purchasing_support import WHO, on_hand, setup_shop


@pytest.fixture
def shop(store):
    shop = setup_shop(store)
    with store.write() as s:
        record_movements(s, [MovementIn(shop.p[sku], shop.warehouse, pieces(n), "initial", None,
                                        None, f"init:{sku}")
                             for sku, n in (("TSHIRT", 20), ("MUGG", 12), ("KAFFE", 5))])
        set_average_cost(s, shop.p["TSHIRT"], 10000)
        set_average_cost(s, shop.p["MUGG"], 5000)
        s.commit()
    return shop


def _movements(s) -> int:
    return s.scalar(select(func.count()).select_from(StockMovement))


# --- transfers -------------------------------------------------------------------------------

def test_a_transfer_is_sent_received_in_part_and_closed_short(store, shop):
    t, m = shop.p["TSHIRT"], shop.p["MUGG"]
    with store.write() as s:
        tr = create_transfer(s, shop.warehouse, shop.store_loc, {t: pieces(8), m: pieces(6)}, WHO)
        assert tr.number == 1 and tr.status == "draft"
        assert on_hand(store, t, shop.warehouse) == pieces(20)  # a draft moves nothing
        send_transfer(s, tr.id, WHO)
        s.commit()
    assert on_hand(store, t, shop.warehouse) == pieces(12)
    assert on_hand(store, t, shop.store_loc) == 0
    with store.read() as s:
        assert in_transit(s, shop.store_loc) == {t: pieces(8), m: pieces(6)}
    with store.write() as s:
        receive_transfer(s, tr.id, WHO, {t: pieces(5), m: pieces(6)}, idem_key="arrival-1")
        receive_transfer(s, tr.id, WHO, {t: pieces(5), m: pieces(6)}, idem_key="arrival-1")
        assert get_transfer(s, tr.id).status == "partly_received"
        with pytest.raises(ValidationError, match="4 received but only 3 is in transit"):
            receive_transfer(s, tr.id, WHO, {t: pieces(4)})
        s.commit()
    assert on_hand(store, t, shop.store_loc) == pieces(5)
    assert on_hand(store, m, shop.store_loc) == pieces(6)
    with store.read() as s:
        assert in_transit(s) == {t: pieces(3)}
        # the stock's value counts only what is in a location: 3 T-shirts are on the way
        assert stock_value(s) == 17 * 10000 + 12 * 5000 + 5 * 4000
    with store.write() as s:
        receive_transfer(s, tr.id, WHO, {t: pieces(1)})
        close_transfer(s, tr.id, WHO)
        assert [(ln.received_qty, ln.lost_qty) for ln in transfer_lines(s, tr.id)] == [
            (pieces(6), pieces(2)), (pieces(6), 0)]
        assert in_transit(s) == {}
        assert check_levels(s) == []
        s.commit()


def test_a_transfer_refuses_short_stock_and_bad_lines_without_changes(store, shop):
    t = shop.p["TSHIRT"]
    with store.write() as s:
        before = _movements(s)
        with pytest.raises(ValidationError, match="two different locations"):
            create_transfer(s, shop.warehouse, shop.warehouse, {t: pieces(1)}, WHO)
        with pytest.raises(ValidationError, match="not kept in stock"):
            create_transfer(s, shop.warehouse, shop.store_loc, {shop.p["SET"]: pieces(1)}, WHO)
        tr = create_transfer(s, shop.warehouse, shop.store_loc, {t: pieces(25)}, WHO)
        with pytest.raises(Conflict, match="not enough stock of product TSHIRT"):
            send_transfer(s, tr.id, WHO)
        assert tr.status == "draft" and _movements(s) == before
        with pytest.raises(InvalidTransition):
            receive_transfer(s, tr.id, WHO)
        cancel_transfer(s, tr.id, WHO)
        with pytest.raises(InvalidTransition):
            send_transfer(s, tr.id, WHO)


# --- counts ----------------------------------------------------------------------------------

def test_a_partial_count_with_variances_posts_adjustments_and_changes_the_value(store, shop):
    t, m = shop.p["TSHIRT"], shop.p["MUGG"]
    with store.read() as s:
        assert stock_value(s, shop.warehouse) == 20 * 10000 + 12 * 5000 + 5 * 4000
    with store.write() as s:
        count = create_count(s, shop.warehouse, WHO, product_ids=[t, m])
        enter_count(s, count.id, pieces(18), product_id=t)
        for _ in range(13):  # scanning adds one mug per scan
            row = enter_count(s, count.id, pieces(1), barcode="7310000000027", add=True)
        assert row.counted_qty == pieces(13) and row.variance == pieces(1)
        report = variance_report(s, count.id)
        assert [(ln.sku, ln.variance, ln.value) for ln in report.lines] == [
            ("MUGG", pieces(1), 5000), ("TSHIRT", pieces(-2), -20000)]
        assert report.value_change == -15000
        posted = post_count(s, count.id, WHO)
        assert posted.value_change == -15000
        s.commit()
    assert on_hand(store, t, shop.warehouse) == pieces(18)
    assert on_hand(store, m, shop.warehouse) == pieces(13)
    with store.read() as s:
        assert stock_value(s, shop.warehouse) == 280000 - 15000
        assert get_count(s, count.id).value_change == -15000
        reasons = s.execute(select(StockMovement.reason, StockMovement.qty).where(
            StockMovement.source_type == "stock_count").order_by(StockMovement.product_id)).all()
        assert reasons == [("count", pieces(-2)), ("count", pieces(1))]
    with store.write() as s, pytest.raises(InvalidTransition, match="posted"):
        enter_count(s, count.id, pieces(1), product_id=t)


def test_negative_counts_and_products_off_the_list_are_refused_and_nothing_changes(store, shop):
    t, m = shop.p["TSHIRT"], shop.p["MUGG"]
    with store.write() as s:
        count = create_count(s, shop.warehouse, WHO, product_ids=[t])
        enter_count(s, count.id, pieces(19), product_id=t)
        s.commit()
    with store.write() as s:
        with pytest.raises(ValidationError, match="cannot be negative") as exc:
            enter_count(s, count.id, pieces(-1), product_id=t)
        assert exc.value.field == "qty"
        with pytest.raises(ValidationError, match="not on partial count"):
            enter_count(s, count.id, pieces(1), product_id=m)
        with pytest.raises(NotFound, match="no product has barcode"):
            enter_count(s, count.id, pieces(1), barcode="7310000000034")
        with pytest.raises(ValidationError, match="not kept in stock"):
            create_count(s, shop.warehouse, WHO, product_ids=[shop.p["SET"]])
        s.commit()
    with store.read() as s:
        assert [r.counted_qty for r in count_rows(s, count.id)] == [pieces(19)]
        assert on_hand(store, t, shop.warehouse) == pieces(20)


def test_a_full_count_lists_every_stocked_product_and_can_zero_the_uncounted(store, shop):
    with store.write() as s:
        count = create_count(s, shop.warehouse, WHO)
        rows = count_rows(s, count.id)
        assert [(r.sku, r.expected_qty) for r in rows] == [
            ("KAFFE", pieces(5)), ("MUGG", pieces(12)), ("TSHIRT", pieces(20))]
        enter_count(s, count.id, pieces(20), product_id=shop.p["TSHIRT"])
        assert variance_report(s, count.id).lines == []
        report = post_count(s, count.id, WHO, uncounted_as_zero=True)
        assert [(ln.sku, ln.variance) for ln in report.lines] == [
            ("KAFFE", pieces(-5)), ("MUGG", pieces(-12))]
        assert report.value_change == -(5 * 4000 + 12 * 5000)
        s.commit()
    with store.read() as s:
        assert stock_value(s) == 20 * 10000
    with store.write() as s:
        empty = create_count(s, shop.store_loc, WHO)
        with pytest.raises(ValidationError, match="nothing has been counted"):
            post_count(s, empty.id, WHO)
        cancel_count(s, empty.id, WHO)


def test_count_list_pdf_is_blind_by_default(store, shop):
    with store.write() as s:
        count = create_count(s, shop.warehouse, WHO)
        blind = "\n".join(p.extract_text() for p in PdfReader(
            io.BytesIO(count_list_pdf(s, count.id))).pages)
        open_ = "\n".join(p.extract_text() for p in PdfReader(
            io.BytesIO(count_list_pdf(s, count.id, blind=False))).pages)
    assert "Inventeringslista" in blind and "T-shirt röd" in blind and "LAGER" in blind
    assert "Bokfört" not in blind and "Bokfört" in open_ and "20" in open_


# --- valuation -------------------------------------------------------------------------------

def test_valuation_uses_the_average_then_the_cost_price_and_ignores_negative_stock(store, shop):
    with store.write() as s:
        assert average_cost(s, shop.p["KAFFE"]) == 4000  # the catalogue cost price
        record_movements(s, [MovementIn(shop.p["MUGG"], shop.store_loc, pieces(-3), "sale", None,
                                        None, "sale:1")])
        assert stock_value(s, shop.store_loc) == 0
        assert stock_value(s) == 20 * 10000 + 12 * 5000 + 5 * 4000
        rows = valuation_rows(s, shop.warehouse)
        assert [(r.sku, r.value) for r in rows] == [("TSHIRT", 200000), ("MUGG", 60000),
                                                    ("KAFFE", 20000)]


def test_a_bundle_containing_itself_is_refused(store, shop):
    with store.write() as s, pytest.raises(ValidationError, match="cannot contain itself"):
        set_components(s, shop.p["SET"], [(shop.p["SET"], 1000)])

"""Selling at the till on a real SQLite file: receipts, numbers, outbox, control unit, returns, parking, shifts."""


import pytest
from sqlalchemy import func, select

from core.db import open_store
from core.errors import Conflict, InvalidTransition, NotFound, Unavailable, ValidationError
from core.sales import journal
from core.sales.control_unit import MissingControlUnit
from core.sales.models import JournalEntry, ParkedSale, SalesReceipt
from core.sales.payments import Payment
from core.sales.till import Till
from core.sync.outbox import OutboxEvent
from tests.sales_support import NOW, control_unit, setup_shop

CONTRACT_KEYS = {"receipt_id", "register_code", "location_id", "number", "created_at", "kind",
                 "customer_id", "currency", "lines", "payments", "total", "vat", "cash_rounding",
                 "control_code"}
LINE_KEYS = {"product_id", "sku", "name", "qty", "unit_price", "discount", "amount", "vat_rate_bp"}


@pytest.fixture
def shop(store):
    return setup_shop(store)


@pytest.fixture
def till(store, shop):
    return Till(store, shop, control_unit(), cashier="Anna", clock=lambda: NOW)


def test_a_sale_by_scan_becomes_a_receipt_with_its_outbox_event_and_journal(store, till):
    till.scan("7350000000019")
    till.scan("7350000000026")
    done = till.complete([Payment("cash", 30000)])
    assert (done.number, done.body["total"], done.body["cash_rounding"], done.change) == (1, 21690, 10, 8300)
    with store.read() as s:
        receipt = s.get(SalesReceipt, done.receipt_id)
        event = s.scalars(select(OutboxEvent).where(OutboxEvent.id == done.receipt_id)).one()
        assert event.type == "receipt" and event.body == receipt.body == done.body
        assert set(done.body) == CONTRACT_KEYS
        assert all(set(ln) == LINE_KEYS for ln in done.body["lines"])
        assert done.body["location_id"] == 1 and done.body["register_code"] == "KASSA1"
        assert done.body["vat"] == [{"rate_bp": 2500, "net": 15920, "vat": 3980},
                                    {"rate_bp": 600, "net": 1689, "vat": 101}]
        types = list(s.scalars(select(JournalEntry.event_type).order_by(JournalEntry.seq)))
        assert types == ["register_article", "register_article", "receipt"]
        assert journal.verify(s, till.register.id) is None
    assert till.cart.is_empty


def test_receipt_numbers_are_unbroken_and_the_control_code_is_the_units(store, till):
    numbers = []
    for _ in range(5):
        till.scan("MILK")
        numbers.append(till.complete([Payment("card", 1790)]).number)
    assert numbers == [1, 2, 3, 4, 5]
    with store.read() as s:
        bodies = list(s.scalars(select(SalesReceipt.body)))
        journaled = [e["control_code"] for e in s.scalars(
            select(JournalEntry.payload).where(JournalEntry.event_type == "receipt")
            .order_by(JournalEntry.seq))]
    codes = [b["control_code"] for b in sorted(bodies, key=lambda b: b["number"])]
    assert len(set(codes)) == 5 and codes == journaled


def test_a_control_unit_that_does_not_answer_blocks_the_sale_and_writes_nothing(store, shop):
    till = Till(store, shop, MissingControlUnit(), cashier="Anna", clock=lambda: NOW)
    till.scan("MILK")
    with pytest.raises(Unavailable):
        till.complete([Payment("card", 1790)])
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(SalesReceipt)) == 0
        assert s.scalar(select(func.count()).select_from(OutboxEvent)) == 0
    assert not till.cart.is_empty  # the cashier can retry once the unit answers
    till.control_unit = control_unit()
    assert till.complete([Payment("card", 1790)]).number == 1


def test_training_receipts_are_marked_and_not_sales(store, till):
    till.set_training(True)
    till.scan("TSHIRT-RED")
    done = till.complete([Payment("cash", 19900)])
    assert done.kind == "training" and done.body["kind"] == "training"
    x = till.x_report()
    assert x["sales_total"] == 0 and x["receipts"] == 0
    assert x["training"] == {"count": 1, "amount": 19900}
    assert x["grand_total_sales"] == 0


def test_return_against_a_receipt_gives_back_what_was_paid_and_not_more(store, till):
    till.scan("TSHIRT-RED")
    till.scan("TSHIRT-RED")
    till.discount_receipt(percent_bp=1000)
    sold = till.complete([Payment("card", 35820)])
    lines = till.add_return(number=sold.number, picks={0: 1000})
    assert lines[0].qty == -1000
    back = till.complete([Payment("card", -17910)])
    assert back.kind == "return" and back.body["total"] == -17910
    till.add_return(number=sold.number)  # the rest
    assert till.cart.total == -17910
    refund = till.complete([Payment("cash", -17900)])  # cash is rounded to whole kronor
    assert refund.body["cash_rounding"] == 10
    with pytest.raises(Conflict):
        till.add_return(number=sold.number, picks={0: 1000})
    x = till.x_report()
    assert x["returns"] == {"count": 2, "amount": 35820}
    assert x["net_total"] == 0 and x["grand_total_net"] == 0


def test_return_without_receipt_needs_a_manager(till):
    with pytest.raises(ValidationError) as e:
        till.add_return_without_receipt(1, 1000, None)
    assert e.value.field == "manager"
    till.add_return_without_receipt(1, 1000, "Maria")
    assert till.complete([Payment("cash", -19900)]).kind == "return"


def test_unknown_code_and_unknown_receipt_are_clear(till):
    with pytest.raises(NotFound) as e:
        till.scan("0000000000000")
    assert e.value.field == "barcode"
    with pytest.raises(NotFound):
        till.add_return(number=999)


def test_parked_sale_survives_reopening_the_store_and_a_shift_close(store, shop, tmp_path):
    till = Till(store, shop, control_unit(), cashier="Anna", clock=lambda: NOW)
    till.open_shift(float_amount=50000)
    till.scan("BOOK")
    till.scan("MILK")
    parked_id = till.park("Kund i röd jacka")
    till.close_shift({"cash": 50000})
    store.dispose()

    again = open_store(tmp_path / "butik.sqlite")
    till = Till(again, shop, control_unit(), cashier="Bo", clock=lambda: NOW)
    [info] = till.parked()
    assert (info.id, info.label, info.total, info.lines) == (parked_id, "Kund i röd jacka", 26690, 2)
    till.recall(parked_id)
    assert till.parked() == []
    done = till.complete([Payment("card", 26690)])
    with again.read() as s:
        row = s.get(ParkedSale, parked_id)
        assert row.receipt_id == done.receipt_id and row.closed_at is not None
        assert journal.verify(s, shop.id) is None
    again.dispose()


def test_clearing_a_sale_counts_it_as_unfinished(till):
    till.scan("BOOK")
    till.clear()
    x = till.x_report()
    assert x["unfinished"] == {"count": 1, "amount": 24900}


def test_price_override_is_counted_as_another_reduction(till):
    line = till.scan("BOOK")
    with pytest.raises(ValidationError):
        till.override_price(line.line_id, 20000, None)
    till.override_price(line.line_id, 20000, "Maria")
    till.complete([Payment("card", 20000)])
    x = till.x_report()
    assert x["other_reductions"] == {"count": 1, "amount": 4900}


def test_gift_card_sale_is_a_liability_not_sales(till):
    till.add_gift_card("GC-1001", 50000)
    till.scan("MILK")
    done = till.complete([Payment("card", 51790)])
    assert done.body["gift_cards"] == [{"code": "GC-1001", "amount": 50000}]
    assert [ln["sku"] for ln in done.body["lines"]] == ["MILK"]
    x = till.x_report()
    assert x["sales_total"] == 1790 and x["gift_cards_sold"] == 50000
    assert x["payments"] == {"card": 51790}


def test_shift_close_records_the_difference_per_method(till):
    till.open_shift(denominations={50000: 1, 10000: 5})  # 1 000 kr float
    with pytest.raises(InvalidTransition):
        till.open_shift(float_amount=0)
    till.scan("TSHIRT-RED")
    till.complete([Payment("cash", 20000)])
    till.scan("MILK")
    till.complete([Payment("card", 1790)])
    result = till.close_shift({"card": 1790}, denominations={100000: 1, 10000: 1, 2000: 5})
    assert result.expected == {"cash": 119900, "card": 1790}
    assert result.counted["cash"] == 120000
    assert result.differences == {"card": 0, "cash": 100}
    assert result.difference == 100


def test_no_sale_needs_a_manager_and_is_counted(till):
    with pytest.raises(ValidationError):
        till.no_sale(None)
    till.no_sale("Maria")
    assert till.x_report()["drawer_openings"] == 1

"""The stock commands through the local gateway on a real SQLite file: movement and exception
queries, resolving exceptions, transfers and counts — and bad arguments refused by name, changing
nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core import commands
from core.commands.gateway import LocalGateway
from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.inventory import MovementIn, record_movements
from core.quantity import pieces
from tests.purchasing_support import on_hand, setup_shop


@pytest.fixture
def shop(store):
    shop = setup_shop(store)
    with store.write() as s:
        record_movements(s, [MovementIn(shop.p[sku], shop.warehouse, pieces(n), "initial", None, None,
                                        f"init:{sku}") for sku, n in (("TSHIRT", 20), ("MUGG", 12))])
        s.commit()
    return shop


@pytest.fixture
def gw(store):
    return LocalGateway(store, "lisa")


def count_of(store, table: str) -> int:
    with store.read() as s:
        return s.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def refused(gw, name, args, field, error=ValidationError):
    with pytest.raises(error) as caught:
        gw.call(name, args)
    assert caught.value.field == field, str(caught.value)
    return caught.value


def test_the_stock_commands_are_registered_with_their_areas():
    found = {n: c for n, c in commands.load_all().items() if n.split(".")[0] in ("stock", "transfers", "counts")}
    assert sorted(found) == ["counts.cancel", "counts.create", "counts.enter", "counts.post",
                             "stock.exceptions", "stock.movements", "stock.resolve_exception",
                             "transfers.cancel", "transfers.close", "transfers.create", "transfers.receive",
                             "transfers.send"]
    assert {n for n, c in found.items() if not c.writes} == {"stock.exceptions", "stock.movements"}
    assert {n for n, c in found.items() if c.area == "counts"} == {"counts.create", "counts.enter",
                                                                   "counts.cancel"}
    assert {c.area for c in found.values()} == {"stock", "counts"}


# --- queries over what only the server holds --------------------------------------------------

def test_movements_newest_first_paged_by_before_id(store, shop, gw):
    t = shop.p["TSHIRT"]
    with store.write() as s:
        record_movements(s, [MovementIn(t, shop.warehouse, -pieces(1), "sale", "receipt", f"R-{i}", f"r{i}")
                             for i in range(1, 4)])
        record_movements(s, [MovementIn(t, shop.store_loc, pieces(2), "initial", None, None, "init:b")])
        s.commit()
    first = gw.call("stock.movements", {"product_id": t, "location_id": shop.warehouse, "limit": 2})
    assert [(m["qty"], m["source"]) for m in first] == [(-1000, "receipt R-3"), (-1000, "receipt R-2")]
    assert first[0]["location"] == "LAGER" and first[0]["reason"] == "sale"
    assert first[0]["created_at"][:2] == "20"  # ISO text
    rest = gw.call("stock.movements", {"product_id": t, "location_id": shop.warehouse,
                                       "before_id": first[-1]["id"], "limit": 2})
    assert [(m["qty"], m["source"], m["note"]) for m in rest] == [(-1000, "receipt R-1", ""),
                                                                  (20000, "", "")]
    everywhere = gw.call("stock.movements", {"product_id": t})
    assert [m["location"] for m in everywhere] == ["BUTIK", "LAGER", "LAGER", "LAGER", "LAGER"]
    assert gw.call("stock.movements", {"product_id": shop.p["KAFFE"]}) == []


def test_movement_query_arguments_are_checked_by_name(shop, gw):
    refused(gw, "stock.movements", {}, "product_id")
    refused(gw, "stock.movements", {"product_id": "1"}, "product_id")
    refused(gw, "stock.movements", {"product_id": 1, "limit": 0}, "limit")
    refused(gw, "stock.movements", {"product_id": 1, "limit": 5000}, "limit")
    refused(gw, "stock.movements", {"product_id": 1, "before_id": 1.5}, "before_id")
    refused(gw, "stock.movements", {"product_id": 1, "sku": "TSHIRT"}, "sku")
    refused(gw, "stock.exceptions", {"location_id": True}, "location_id")
    refused(gw, "stock.exceptions", [1], "args")


def test_an_exception_is_listed_then_resolved_once_by_who_runs_the_command(store, shop, gw):
    m = shop.p["MUGG"]
    with store.write() as s:  # an offline sale of more than there is: a fact, stock goes negative
        record_movements(s, [MovementIn(m, shop.store_loc, -pieces(2), "sale", "receipt", "R-7", "r7")])
        s.commit()
    listed = gw.call("stock.exceptions", {})
    assert [(e["sku"], e["location"], e["on_hand_after"], e["source"]) for e in listed] == [
        ("MUGG", "BUTIK", -2000, "receipt R-7")]
    assert gw.call("stock.exceptions", {"location_id": shop.warehouse}) == []
    assert gw.call("stock.exceptions", {"after_id": listed[0]["id"]}) == []

    before = count_of(store, "stock_exception WHERE resolved_at IS NULL")
    refused(gw, "stock.resolve_exception", {}, "exception_id")
    refused(gw, "stock.resolve_exception", {"exception_id": str(listed[0]["id"])}, "exception_id")
    refused(gw, "stock.resolve_exception", {"exception_id": listed[0]["id"], "note": 5}, "note")
    refused(gw, "stock.resolve_exception", {"exception_id": 999}, "exception_id", NotFound)
    assert count_of(store, "stock_exception WHERE resolved_at IS NULL") == before == 1

    done = gw.call("stock.resolve_exception", {"exception_id": listed[0]["id"], "note": " counted "})
    assert done == {"id": listed[0]["id"], "resolved_by": "lisa"}
    with store.read() as s:
        assert s.execute(text("SELECT resolved_by, note FROM stock_exception")).all() == [("lisa", "counted")]
    assert gw.call("stock.exceptions", {}) == []
    refused(gw, "stock.resolve_exception", {"exception_id": listed[0]["id"]}, "exception_id", Conflict)


# --- transfers ---------------------------------------------------------------------------------

def test_a_transfer_by_sku_is_sent_received_in_part_and_closed(store, shop, gw):
    t, m = shop.p["TSHIRT"], shop.p["MUGG"]
    made = gw.call("transfers.create", {"from_location_id": shop.warehouse, "to_location_id": shop.store_loc,
                                        "lines": [{"sku": "TSHIRT", "qty": pieces(8)},
                                                  {"product_id": m, "qty": pieces(6)}]})
    assert made == {"id": made["id"], "number": 1, "status": "draft"}
    assert on_hand(store, t, shop.warehouse) == pieces(20)  # a draft moves nothing
    assert gw.call("transfers.send", {"transfer_id": made["id"]})["status"] == "in_transit"
    assert on_hand(store, t, shop.warehouse) == pieces(12)
    got = gw.call("transfers.receive", {"transfer_id": made["id"], "lines": [{"product_id": t, "qty": pieces(5)}]})
    assert got["status"] == "partly_received" and got["receipt_id"] > 0
    assert on_hand(store, t, shop.store_loc) == pieces(5) and on_hand(store, m, shop.store_loc) == 0
    refused(gw, "transfers.receive", {"transfer_id": made["id"], "lines": [{"product_id": t, "qty": pieces(4)}]},
            f"lines[{t}].qty")
    assert gw.call("transfers.close", {"transfer_id": made["id"]})["status"] == "closed"
    with store.read() as s:
        assert s.execute(text("SELECT product_id, received_qty, lost_qty FROM stock_transfer_line "
                              "ORDER BY product_id")).all() == sorted([(t, 5000, 3000), (m, 0, 6000)])
    refused(gw, "transfers.send", {"transfer_id": made["id"]}, "status", InvalidTransition)


def test_receive_without_lines_takes_everything_in_transit_and_cancel_drops_a_draft(store, shop, gw):
    t = shop.p["TSHIRT"]
    args = {"from_location_id": shop.warehouse, "to_location_id": shop.store_loc,
            "lines": [{"sku": "TSHIRT", "qty": pieces(3)}]}
    first, second = gw.call("transfers.create", args), gw.call("transfers.create", args)
    gw.call("transfers.send", {"transfer_id": first["id"]})
    assert gw.call("transfers.receive", {"transfer_id": first["id"]})["status"] == "received"
    assert on_hand(store, t, shop.store_loc) == pieces(3)
    assert gw.call("transfers.cancel", {"transfer_id": second["id"]})["status"] == "cancelled"
    assert on_hand(store, t, shop.warehouse) == pieces(17)


@pytest.mark.parametrize("args, field, error", [
    ({"to_location_id": 2, "lines": [{"sku": "TSHIRT", "qty": 1000}]}, "from_location_id", ValidationError),
    ({"from_location_id": "1", "to_location_id": 2, "lines": [{"sku": "TSHIRT", "qty": 1000}]},
     "from_location_id", ValidationError),
    ({"from_location_id": 1, "to_location_id": 2, "lines": {"TSHIRT": 1000}}, "lines", ValidationError),
    ({"from_location_id": 1, "to_location_id": 2, "lines": []}, "lines", ValidationError),
    ({"from_location_id": 1, "to_location_id": 2, "lines": ["TSHIRT 1"]}, "lines[0]", ValidationError),
    ({"from_location_id": 1, "to_location_id": 2, "lines": [{"sku": "TSHIRT"}]}, "lines[0].qty",
     ValidationError),
    ({"from_location_id": 1, "to_location_id": 2, "lines": [{"sku": "TSHIRT", "qty": 1.5}]}, "lines[0].qty",
     ValidationError),
    ({"from_location_id": 1, "to_location_id": 2, "lines": [{"sku": "TSHIRT", "qty": 1000, "price": 5}]},
     "lines[0].price", ValidationError),
    ({"from_location_id": 1, "to_location_id": 2, "lines": [{"qty": 1000}]}, "lines[0]", ValidationError),
    ({"from_location_id": 1, "to_location_id": 2, "lines": [{"sku": "NOPE", "qty": 1000}]}, "lines[0].sku",
     NotFound),
    ({"from_location_id": 1, "to_location_id": 1, "lines": [{"sku": "TSHIRT", "qty": 1000}]}, "to_location_id",
     ValidationError),
    ({"from_location_id": 1, "to_location_id": 2, "lines": [{"sku": "TSHIRT", "qty": 1000}], "when": "now"},
     "when", ValidationError),
])
def test_bad_transfer_arguments_are_refused_by_name_and_create_nothing(store, shop, gw, args, field, error):
    assert (shop.warehouse, shop.store_loc) == (1, 2)
    refused(gw, "transfers.create", args, field, error)
    assert count_of(store, "stock_transfer") == count_of(store, "stock_transfer_line") == 0


# --- counts ------------------------------------------------------------------------------------

def test_a_partial_count_by_scans_and_typing_is_posted_as_adjustments(store, shop, gw):
    t, m = shop.p["TSHIRT"], shop.p["MUGG"]
    made = gw.call("counts.create", {"location_id": shop.warehouse, "product_ids": [t, m]})
    assert made == {"id": made["id"], "number": 1, "scope": "partial", "status": "open"}
    for _ in range(3):  # three scans: three counted
        row = gw.call("counts.enter", {"count_id": made["id"], "code": "7310000000010"})
    assert row == {"product_id": t, "sku": "TSHIRT", "counted_qty": 3000, "on_hand": 20000, "variance": -17000}
    typed = gw.call("counts.enter", {"count_id": made["id"], "code": " MUGG ", "qty": pieces(12)})
    assert typed["variance"] == 0
    posted = gw.call("counts.post", {"count_id": made["id"]})
    assert posted == {"id": made["id"], "counted": 2, "uncounted": 0, "adjusted": 1, "value_change": 0}
    assert on_hand(store, t, shop.warehouse) == pieces(3)
    with store.read() as s:
        assert s.execute(text("SELECT qty, reason, source_type FROM stock_movement WHERE reason = 'count'")).all() \
            == [(-17000, "count", "stock_count")]
    refused(gw, "counts.enter", {"count_id": made["id"], "product_id": t, "qty": 1000}, "status",
            InvalidTransition)


def test_a_count_is_entered_by_product_id_and_cancelled(store, shop, gw):
    made = gw.call("counts.create", {"location_id": shop.store_loc})
    assert made["scope"] == "full"
    row = gw.call("counts.enter", {"count_id": made["id"], "product_id": shop.p["MUGG"], "qty": 0})
    assert (row["counted_qty"], row["variance"]) == (0, 0)
    assert gw.call("counts.cancel", {"count_id": made["id"]})["status"] == "cancelled"
    assert count_of(store, "stock_movement WHERE reason = 'count'") == 0


def test_bad_count_arguments_are_refused_by_name_and_change_nothing(store, shop, gw):
    refused(gw, "counts.create", {}, "location_id")
    refused(gw, "counts.create", {"location_id": shop.warehouse, "product_ids": 5}, "product_ids")
    refused(gw, "counts.create", {"location_id": shop.warehouse, "product_ids": ["x"]}, "product_ids[0]")
    refused(gw, "counts.create", {"location_id": shop.warehouse, "category_id": "BOCKER"}, "category_id")
    assert count_of(store, "stock_count") == 0

    made = gw.call("counts.create", {"location_id": shop.warehouse, "product_ids": [shop.p["TSHIRT"]]})
    c = made["id"]
    refused(gw, "counts.enter", {"count_id": c}, "code")
    refused(gw, "counts.enter", {"count_id": c, "code": "TSHIRT", "product_id": shop.p["TSHIRT"]}, "code")
    refused(gw, "counts.enter", {"count_id": c, "code": 7310000000010}, "code")
    refused(gw, "counts.enter", {"count_id": c, "code": "NOPE"}, "code", NotFound)
    refused(gw, "counts.enter", {"count_id": c, "code": "TSHIRT", "qty": "3"}, "qty")
    refused(gw, "counts.enter", {"count_id": c, "code": "TSHIRT", "qty": -1000}, "qty")
    refused(gw, "counts.enter", {"count_id": c, "code": "MUGG", "qty": 1000}, "product_id")  # not on it
    refused(gw, "counts.post", {"count_id": c}, "counted_qty")  # nothing counted yet
    refused(gw, "counts.post", {"count_id": c, "uncounted_as_zero": "yes"}, "uncounted_as_zero")
    refused(gw, "counts.post", {"count_id": c, "who": "bob"}, "who")
    with store.read() as s:
        assert s.execute(text("SELECT counted_qty FROM stock_count_line")).all() == [(None,)]
        assert s.execute(text("SELECT status FROM stock_count")).all() == [("open",)]
    assert count_of(store, "stock_movement WHERE reason = 'count'") == 0

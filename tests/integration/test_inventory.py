"""Stock on a real SQLite file: the ledger, idempotency, bundles, negative stock, reservations."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select, text

from core.db.schema import load_all
from core.errors import Conflict, NotFound, ValidationError
from core.inventory.levels import (
    Level,
    bundle_available,
    check_levels,
    level,
    levels_for,
    rebuild_levels,
)
from core.inventory.models import Location, StockException, StockMovement
from core.inventory.movements import MovementIn, record_movements
from core.inventory.reservations import release, release_one, reserve

_seq = itertools.count(1)


# --- helpers (shared with the other test_inventory_* files) -----------------------------------

def _filler(session, column):
    """A value for a required catalogue column this test does not care about."""
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column
        return session.execute(select(target).limit(1)).scalar_one()
    kind = column.type.python_type
    if kind is str:
        n = next(_seq)
        return f"T{n:08d}"[: getattr(column.type, "length", None) or 40]
    if kind is bool:
        return False
    if kind is int:
        return 0
    raise AssertionError(f"no filler for {column}")


def insert_row(session, table_name: str, values: dict) -> None:
    """Insert into another area's table by name, filling required columns we do not care about."""
    table = load_all().metadata.tables[table_name]
    row = dict(values)
    for col in table.columns:
        if (col.name not in row and not col.nullable and not col.primary_key
                and col.default is None and col.server_default is None):
            row[col.name] = _filler(session, col)
    session.execute(table.insert().values(**row))


def add_product(session, *, stocked: bool = True, product_type: str = "single",
                kind: str | None = None) -> int:
    if not session.execute(text("SELECT 1 FROM vat_class WHERE code = 'standard'")).first():
        insert_row(session, "vat_class", {"code": "standard"})
    pid = next(_seq) + 10_000
    kind = kind or ("goods" if stocked or product_type != "single" else "service")
    insert_row(session, "product", {"id": pid, "sku": f"SKU-{pid}", "stocked": stocked,
                                    "product_type": product_type, "kind": kind})
    return pid


def add_bundle(session, components: dict[int, int]) -> int:
    """A SET article of {component id: qty per bundle in thousandths}."""
    bid = add_product(session, stocked=False, product_type="bundle")
    for cid, qty in components.items():
        insert_row(session, "bundle_component", {"bundle_id": bid, "component_id": cid, "qty": qty})
    return bid


def add_location(session, code: str | None = None, kind: str = "store") -> int:
    loc = Location(code=code or f"L{next(_seq)}", name="Butiken", kind=kind)
    session.add(loc)
    session.flush()
    return loc.id


def mv(product_id, location_id, qty, key, reason="adjustment", source=("test", "1")) -> MovementIn:
    return MovementIn(product_id, location_id, qty, reason, source[0], source[1], key)


def movement_count(session) -> int:
    return session.scalar(select(func.count()).select_from(StockMovement))


# --- the ledger -------------------------------------------------------------------------------

def test_the_same_key_twice_records_one_movement_and_counts_once(store):
    with store.write() as s:
        loc, p = add_location(s), add_product(s)
        first = record_movements(s, [mv(p, loc, 5000, "delivery-1")])
        again = record_movements(s, [mv(p, loc, 5000, "delivery-1")])
        twice_in_one = record_movements(s, [mv(p, loc, 1000, "k2"), mv(p, loc, 1000, "k2")])
        s.commit()
    assert first == again
    assert twice_in_one[0] == twice_in_one[1]
    with store.read() as s:
        assert movement_count(s) == 2
        assert level(s, p, loc) == Level(6000, 0)


def test_a_key_reused_for_another_movement_is_refused(store):
    with store.write() as s:
        loc, p = add_location(s), add_product(s)
        record_movements(s, [mv(p, loc, 5000, "k")])
        with pytest.raises(Conflict) as err:
            record_movements(s, [mv(p, loc, 4000, "k")])
    assert err.value.field == "idem_key"


def test_level_is_the_sum_of_movements_per_location_and_over_all(store):
    with store.write() as s:
        shop, wh = add_location(s), add_location(s, kind="warehouse")
        p, q = add_product(s), add_product(s)
        record_movements(s, [mv(p, shop, 3000, "a"), mv(p, wh, 10_000, "b"),
                             mv(p, wh, -4000, "c", reason="transfer_out"),
                             mv(p, shop, 4000, "d", reason="transfer_in"),
                             mv(q, shop, 250, "e")])
        s.commit()
    with store.read() as s:
        assert level(s, p, shop) == Level(7000, 0)
        assert level(s, p, wh) == Level(6000, 0)
        assert level(s, p) == Level(13_000, 0)
        assert levels_for(s, [p, q, 999_999], shop) == {p: Level(7000, 0), q: Level(250, 0),
                                                         999_999: Level(0, 0)}
        assert levels_for(s, [p], None) == {p: Level(13_000, 0)}
        assert check_levels(s) == []


def test_movements_come_back_in_the_order_given(store):
    with store.write() as s:
        loc = add_location(s)
        p, q = add_product(s), add_product(s)
        ids = record_movements(s, [mv(q, loc, 1000, "z"), mv(p, loc, 1000, "a")])
        rows = dict(s.execute(select(StockMovement.idem_key, StockMovement.id)).all())
    assert ids == [rows["z"], rows["a"]]


def test_a_service_is_not_moved(store):
    with store.write() as s:
        loc, service = add_location(s), add_product(s, stocked=False)
        assert record_movements(s, [mv(service, loc, -1000, "sale-1", reason="sale")]) == []
        assert movement_count(s) == 0
        assert level(s, service, loc) == Level(0, 0)


def test_unknown_product_or_location_is_named(store):
    with store.write() as s:
        loc, p = add_location(s), add_product(s)
        with pytest.raises(NotFound) as err:
            record_movements(s, [mv(987_654, loc, 1000, "x")])
        assert err.value.field == "product_id" and "987654" in str(err.value)
        with pytest.raises(NotFound) as err:
            record_movements(s, [mv(p, 55_555, 1000, "y")])
        assert err.value.field == "location_id" and "55555" in str(err.value)


# --- bundles ----------------------------------------------------------------------------------

def test_selling_a_bundle_moves_its_components_and_not_the_bundle(store):
    with store.write() as s:
        loc = add_location(s)
        shirt, socks, wrap = add_product(s), add_product(s), add_product(s, stocked=False)
        bundle = add_bundle(s, {shirt: 1000, socks: 3000, wrap: 1000})
        record_movements(s, [mv(shirt, loc, 10_000, "in-1"), mv(socks, loc, 10_000, "in-2")])
        ids = record_movements(s, [mv(bundle, loc, -2000, "receipt-7:1", reason="sale")])
        s.commit()
    with store.read() as s:
        keys = s.scalars(select(StockMovement.idem_key).where(StockMovement.id.in_(ids))).all()
        assert sorted(keys) == sorted([f"receipt-7:1#{shirt}", f"receipt-7:1#{socks}"])
        assert level(s, shirt, loc) == Level(8000, 0)
        assert level(s, socks, loc) == Level(4000, 0)
        assert level(s, bundle, loc) == Level(0, 0)
        assert s.scalar(select(func.count()).where(StockMovement.product_id == bundle)) == 0


def test_bundle_availability_is_the_minimum_over_components(store):
    with store.write() as s:
        shop, wh = add_location(s), add_location(s)
        a, b, service = add_product(s), add_product(s), add_product(s, stocked=False)
        bundle = add_bundle(s, {a: 2000, b: 1000, service: 1000})
        record_movements(s, [mv(a, shop, 7000, "1"), mv(b, shop, 5000, "2"), mv(a, wh, 1000, "3")])
        assert bundle_available(s, bundle, shop) == 3000     # a: 7 // 2 = 3, b: 5
        reserve(s, b, shop, 3000, "order", "o1", "o1:1")
        assert bundle_available(s, bundle, shop) == 2000     # b: 5 − 3 reserved
        assert bundle_available(s, bundle, wh) == 0          # no b at all in the warehouse
        assert bundle_available(s, bundle, None) == 2000     # a: 8 // 2 = 4, b: 2
        record_movements(s, [mv(b, wh, -9000, "4")])
        assert bundle_available(s, bundle, wh) == 0          # never below zero
        only_services = add_bundle(s, {service: 1000})
        assert bundle_available(s, only_services, shop) is None


# --- negative stock ---------------------------------------------------------------------------

def test_a_sale_beyond_stock_is_recorded_and_flagged_for_a_manager(store):
    with store.write() as s:
        loc, p = add_location(s), add_product(s)
        record_movements(s, [mv(p, loc, 1000, "in")])
        [mid] = record_movements(s, [mv(p, loc, -3000, "receipt-1:1", reason="sale")])
        s.commit()
    with store.read() as s:
        assert level(s, p, loc) == Level(-2000, 0)
        [exc] = s.scalars(select(StockException)).all()
        assert (exc.product_id, exc.location_id, exc.movement_id, exc.on_hand_after) == \
            (p, loc, mid, -2000)
        assert exc.resolved_at is None


def test_a_receipt_into_negative_stock_raises_no_new_exception(store):
    with store.write() as s:
        loc, p = add_location(s), add_product(s)
        record_movements(s, [mv(p, loc, -3000, "sale", reason="sale")])
        record_movements(s, [mv(p, loc, 1000, "in", reason="purchase_receipt")])
        assert s.scalar(select(func.count()).select_from(StockException)) == 1


def test_refusing_negative_stock_names_product_and_location_and_changes_nothing(store):
    with store.write() as s:
        loc = add_location(s, code="LAGER-1")
        p, q = add_product(s), add_product(s)
        record_movements(s, [mv(p, loc, 1000, "in"), mv(q, loc, 9000, "in-q")])
        s.commit()
    with store.write() as s:
        with pytest.raises(Conflict) as err:
            record_movements(s, [mv(q, loc, -1000, "out-q"), mv(p, loc, -3000, "out")],
                             allow_negative=False)
        s.commit()  # even a caller that commits after the refusal keeps nothing of it
    message = str(err.value)
    assert f"SKU-{p}" in message and "LAGER-1" in message
    with store.read() as s:
        assert movement_count(s) == 2
        assert level(s, p, loc) == Level(1000, 0) and level(s, q, loc) == Level(9000, 0)
        assert s.scalar(select(func.count()).select_from(StockException)) == 0


# --- reservations -----------------------------------------------------------------------------

def test_reservations_lower_available_until_released(store):
    with store.write() as s:
        loc, p = add_location(s), add_product(s)
        record_movements(s, [mv(p, loc, 10_000, "in")])
        r1 = reserve(s, p, loc, 3000, "order", "o1", "o1:1")
        assert reserve(s, p, loc, 3000, "order", "o1", "o1:1") == r1      # replay
        reserve(s, p, loc, 2000, "order", "o1", "o1:2")
        reserve(s, p, loc, 1000, "order", "o2", "o2:1")
        lvl = level(s, p, loc)
        assert (lvl.on_hand, lvl.reserved, lvl.available) == (10_000, 6000, 4000)
        assert release(s, "order", "o1") == 2
        assert release(s, "order", "o1") == 0                             # nothing twice
        assert level(s, p, loc) == Level(10_000, 1000)
        assert release_one(s, "o2:1") == 1
        assert level(s, p, loc) == Level(10_000, 0)
        assert check_levels(s) == []


def test_a_bundle_reserves_its_components_and_releases_them_by_its_key(store):
    with store.write() as s:
        loc = add_location(s)
        a, b = add_product(s), add_product(s)
        bundle = add_bundle(s, {a: 1000, b: 2000})
        ids = reserve(s, bundle, loc, 2000, "order", "o9", "o9:1")
        assert len(ids) == 2
        assert level(s, a, loc).reserved == 2000 and level(s, b, loc).reserved == 4000
        assert release_one(s, "o9:1") == 2
        assert level(s, a, loc) == Level(0, 0) and level(s, b, loc) == Level(0, 0)


def test_a_reservation_beyond_available_can_be_refused(store):
    with store.write() as s:
        loc, p = add_location(s), add_product(s)
        record_movements(s, [mv(p, loc, 2000, "in")])
        with pytest.raises(Conflict) as err:
            reserve(s, p, loc, 3000, "order", "o1", "o1:1", allow_short=False)
        assert err.value.field == "qty"
        assert level(s, p, loc) == Level(2000, 0)
        reserve(s, p, loc, 3000, "order", "o1", "o1:1")                   # a back order is fine
        assert level(s, p, loc).available == -1000


# --- the cache --------------------------------------------------------------------------------

def test_a_damaged_cache_is_found_and_rebuilt_from_the_ledger(store):
    with store.write() as s:
        loc, p, q = add_location(s), add_product(s), add_product(s)
        record_movements(s, [mv(p, loc, 4000, "1"), mv(q, loc, 2000, "2")])
        reserve(s, p, loc, 1000, "order", "o1", "o1:1")
        s.execute(text("UPDATE stock_level SET on_hand = 99, reserved = 7 WHERE product_id = :p"),
                  {"p": p})
        s.execute(text("DELETE FROM stock_level WHERE product_id = :q"), {"q": q})
        found = {m.product_id for m in check_levels(s)}
        assert found == {p, q}
        rebuild_levels(s)
        assert check_levels(s) == []
        assert level(s, p, loc) == Level(4000, 1000) and level(s, q, loc) == Level(2000, 0)


def test_a_variant_template_holds_no_stock(store):
    with store.write() as s:
        loc = add_location(s)
        parent = add_product(s, stocked=False, product_type="variant_parent", kind="goods")
        with pytest.raises(ValidationError) as err:
            record_movements(s, [mv(parent, loc, 1000, "in")])
    assert err.value.field == "product_id" and f"SKU-{parent}" in str(err.value)


@pytest.mark.parametrize("name, params", [
    ("_AT", {"p": 7, "l": 2}),
    ("_ALL", {"p": 7}),
    ("_MANY_AT", {"ids": [1, 2, 3], "l": 2}),
    ("_MANY_ALL", {"ids": [1, 2, 3]}),
])
def test_level_lookups_search_an_index_and_never_scan(store, name, params):
    from core.inventory import levels

    sql = getattr(levels, name).bindparams(**params).compile(
        dialect=store.engine.dialect, compile_kwargs={"literal_binds": True})
    with store.read() as s:
        plan = " | ".join(row[3] for row in s.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "SEARCH stock_level" in plan and "SCAN stock_level" not in plan, plan


def test_a_transfer_moves_stock_between_locations_and_refuses_what_is_not_there(store):
    from core.inventory import create_location, transfer

    with store.write() as s:
        shop = create_location(s, "BUTIK-1", "Butiken Göteborg").id
        wh = create_location(s, "LAGER", "Centrallagret", kind="warehouse").id
        p = add_product(s)
        record_movements(s, [mv(p, wh, 10_000, "in")])
        transfer(s, p, wh, shop, 4000, "transfer", "T1", "T1:1")
        transfer(s, p, wh, shop, 4000, "transfer", "T1", "T1:1")            # replay
        assert level(s, p, wh) == Level(6000, 0) and level(s, p, shop) == Level(4000, 0)
        with pytest.raises(Conflict) as err:
            transfer(s, p, wh, shop, 7000, "transfer", "T2", "T2:1")
        assert "LAGER" in str(err.value)
        assert level(s, p) == Level(10_000, 0)


def test_locations_have_unique_codes_and_a_known_kind(store):
    from core.inventory import create_location, location_by_code

    with store.write() as s:
        create_location(s, "BUTIK-1", "Butiken")
        with pytest.raises(Conflict) as err:
            create_location(s, "BUTIK-1", "Igen")
        assert err.value.field == "code"
        with pytest.raises(ValidationError) as err:
            create_location(s, "X", "X", kind="garage")
        assert err.value.field == "kind"
        assert location_by_code(s, "BUTIK-1").name == "Butiken"
        with pytest.raises(NotFound):
            location_by_code(s, "NOPE")


def test_a_manager_resolves_a_negative_stock_exception_once(store):
    from core.inventory import open_exceptions, resolve_exception

    with store.write() as s:
        loc, p = add_location(s), add_product(s)
        record_movements(s, [mv(p, loc, -1000, "receipt-1:1", reason="sale")])
        [exc] = open_exceptions(s, loc)
        resolve_exception(s, exc.id, "Maja", "counted: one was in the back room")
        assert open_exceptions(s) == []
        with pytest.raises(Conflict):
            resolve_exception(s, exc.id, "Maja")

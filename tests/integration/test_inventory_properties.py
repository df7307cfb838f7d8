"""Property: any sequence of movements, replays and reservations leaves the cache equal to the ledger."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.inventory.items import component_qty
from core.inventory.levels import bundle_available, check_levels, level
from core.inventory.movements import MovementIn, record_movements
from core.inventory.reservations import release, release_one, reserve
from tests.integration.test_inventory import add_bundle, add_location, add_product

PRODUCTS = 4          # 0, 1, 2 stocked; 3 is a bundle of 0 (×2) and 1 (×1)
BUNDLE = 3
PARTS = {0: 2000, 1: 1000}
QTY = st.integers(-20_000, 20_000).filter(bool)

move = st.tuples(st.just("move"), st.integers(0, PRODUCTS - 1), st.integers(0, 1), QTY)
hold = st.tuples(st.just("reserve"), st.integers(0, PRODUCTS - 1), st.integers(0, 1),
                 st.integers(1, 9000), st.integers(0, 2))
replay = st.tuples(st.just("replay"), st.integers(0, 10_000))
free = st.tuples(st.just("release"), st.integers(0, 10_000))
free_doc = st.tuples(st.just("release_doc"), st.integers(0, 2))
OPS = st.lists(st.one_of(move, hold, replay, free, free_doc), max_size=30)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_levels_always_equal_the_ledger_and_available_is_on_hand_minus_reserved(store, ops):
    with store.write() as s:  # never committed: every example starts from an empty ledger
        locs = [add_location(s), add_location(s, kind="warehouse")]
        pids = [add_product(s) for _ in range(3)]
        pids.append(add_bundle(s, {pids[i]: q for i, q in PARTS.items()}))
        on_hand: dict[tuple[int, int], int] = defaultdict(int)
        held: dict[str, tuple[int, list[tuple[int, int, int]]]] = {}   # key → (doc, [(p, l, q)])
        open_keys: set[str] = set()
        done: list[tuple] = []

        def parts(p, q):
            if p == BUNDLE:
                return [(i, component_qty(q, per)) for i, per in PARTS.items()]
            return [(p, q)]

        moved: set[str] = set()

        def apply(op, n):
            if op[0] == "move":
                _, p, l, q = op
                key = f"m{n}"
                record_movements(s, [MovementIn(pids[p], locs[l], q, "adjustment", "t", "1", key)])
                if key not in moved:
                    moved.add(key)
                    for i, cq in parts(p, q):
                        on_hand[(i, l)] += cq
            elif op[0] == "reserve":
                _, p, l, q, doc = op
                key = f"r{n}"
                reserve(s, pids[p], locs[l], q, "order", str(doc), key)
                if key not in held:
                    held[key] = (doc, [(i, l, cq) for i, cq in parts(p, q)])
                    open_keys.add(key)

        for n, op in enumerate(ops):
            if op[0] == "replay" and done:
                original_n, original = done[op[1] % len(done)]
                apply(original, original_n)       # same key, same body: changes nothing
            elif op[0] == "release" and held:
                key = sorted(held)[op[1] % len(held)]
                release_one(s, key)
                open_keys.discard(key)
            elif op[0] == "release_doc":
                release(s, "order", str(op[1]))
                open_keys.difference_update(k for k in list(open_keys) if held[k][0] == op[1])
            elif op[0] in ("move", "reserve"):
                apply(op, n)
                done.append((n, op))

        assert check_levels(s) == []
        reserved: dict[tuple[int, int], int] = defaultdict(int)
        for key in open_keys:
            for i, l, cq in held[key][1]:
                reserved[(i, l)] += cq
        for i in range(3):
            for l in range(2):
                got = level(s, pids[i], locs[l])
                assert (got.on_hand, got.reserved) == (on_hand[(i, l)], reserved[(i, l)])
                assert got.available == got.on_hand - got.reserved
        for l in range(2):
            expected = min(level(s, pids[i], locs[l]).available // per for i, per in PARTS.items())
            assert bundle_available(s, pids[BUNDLE], locs[l]) == max(expected, 0) * 1000

"""Bootstrap from compact snapshot pages (`format=rows`) into a real SQLite replica (feed in-process)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import text

from core.sync import state
from core.sync.replica import bootstrap, pull
from tests.integration.test_sync_replica import Feed, cat, prod, rows


def wire(value):
    """A JSON value as the server's SQLite renders it: stored timestamp text, true/false."""
    if isinstance(value, str) and len(value) == 19 and value[10] == "T":
        return value.replace("T", " ") + ".000000"
    return value


class CompactFeed(Feed):
    """Serves `format=rows` pages (columns + rows JSON text), as SyncClient.snapshot_rows does."""

    def __init__(self, *a, extra_column: bool = False, **kw):
        super().__init__(*a, **kw)
        self.extra_column = extra_column

    def snapshot_rows(self, table, after, limit=20000):
        page = self.snapshot_page(table, after, limit)
        self.requests[-1] = ("rows", table, after)
        cols = list(page["rows"][0]) if page["rows"] else ["id"]
        data = [[wire(r[c]) for c in cols] for r in page["rows"]]
        if self.extra_column:  # a newer server with a column this replica does not know
            cols, data = cols + ["future"], [d + ["x"] for d in data]
        return {"columns": cols, "next": page["next"], "rows_json": json.dumps(data)}


class OldServerFeed(Feed):
    def snapshot_rows(self, table, after, limit=20000):
        return None  # what SyncClient answers when the server refuses format=rows


def test_compact_bootstrap_stores_values_as_the_models_read_them(store):
    feed = CompactFeed({"category": [cat(1, "A")],
                        "product": [prod(i, f"S{i}") for i in range(1, 12)]}, extra_column=True)
    feed.seq = 3
    seen = []
    assert bootstrap(store, feed, lambda done, total: seen.append(done), page_size=5) == 3
    assert [r[0] for r in feed.requests if r[0] != "tables"] == ["rows"] * 4
    assert seen[-1] == 12
    from sqlalchemy import select

    from core.db.schema import load_all
    product = load_all().metadata.tables["product"]
    with store.read() as s:
        row = s.execute(select(product).where(product.c.id == 7)).mappings().one()
        assert state.get_cursor(s) == 3
    assert row["created_at"] == dt.datetime(2026, 5, 1, 10, 0)
    assert row["stocked"] is True and row["drop_ship"] is False and row["weight_g"] is None
    assert row["sku"] == "S7" and row["cost_price"] == 1000


def test_a_colliding_unique_value_in_a_compact_page_gives_way_and_the_feed_restores_it(store):
    feed = CompactFeed({"category": [cat(1, "X"), cat(2, "X")], "product": []})
    feed.add("category", "upsert", cat(1, "Y"))
    feed.add("category", "upsert", cat(2, "X"))
    feed.seq = 0
    bootstrap(store, feed)
    feed.seq = 2
    pull(store, feed)
    assert rows(store, "select id, code from category order by id") == [(1, "Y"), (2, "X")]


def test_an_older_server_is_paged_as_objects(store):
    feed = OldServerFeed({"category": [cat(1, "A")],
                          "product": [prod(i, f"S{i}") for i in range(1, 8)]})
    bootstrap(store, feed, page_size=5)
    assert ("snapshot", "product", 5) in feed.requests
    assert rows(store, "select count(*) from product") == [(7,)]


def test_compact_products_are_searchable_after_bootstrap(store):
    from core.catalog.search import search_index_problems, search_products

    feed = CompactFeed({"category": [cat(1, "A")],
                        "product": [prod(i, f"S{i}", name=f"Tröja {i}") for i in range(1, 13)],
                        "barcode": [{"id": i, "code": f"731000000{i:04d}", "product_id": i}
                                    for i in range(1, 13)]})
    bootstrap(store, feed, page_size=5)
    with store.engine.connect() as conn:
        assert search_index_problems(conn) == []
        assert [h.id for h in search_products(conn, "tröja")] == list(range(1, 13))
        assert [h.id for h in search_products(conn, "7310000000007")] == [7]
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL again after

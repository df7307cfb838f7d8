"""Applying the server's snapshot and change feed to a real SQLite replica (the feed is served in-process).

The end-to-end tests run the same code against a real `butik server`; here the feed is an
in-process object so that a page can be made to fail at an exact row.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.sync import state
from core.sync.replica import Stopped, bootstrap, pull


class Feed:
    """Serves snapshot pages and changes with the shapes of server/API.md."""

    def __init__(self, tables: dict[str, list[dict]], changes: list[dict] | None = None):
        self.tables = tables
        self.changes_log = changes or []
        self.seq = 0
        self.requests: list[tuple] = []

    def snapshot_tables(self):
        self.requests.append(("tables",))
        return {"tables": list(self.tables), "seq": self.seq}

    def snapshot_page(self, table, after, limit=5000):
        self.requests.append(("snapshot", table, after))
        rows = sorted(self.tables[table], key=lambda r: r["id"])
        if after is not None:
            rows = [r for r in rows if r["id"] > after]
        page = [dict(r) for r in rows[:limit]]
        more = len(rows) > limit
        return {"rows": page, "next": page[-1]["id"] if page and more else None}

    def changes(self, after, limit=1000):
        self.requests.append(("changes", after))
        todo = [c for c in self.changes_log if c["seq"] > after]
        page = [dict(c, row=dict(c["row"]) if c["row"] else None) for c in todo[:limit]]
        return {"changes": page, "last_seq": page[-1]["seq"] if page else after,
                "more": len(todo) > limit}

    def add(self, table, op, row):
        self.seq += 1
        pk = {"id": row["id"]}
        self.changes_log.append({"seq": self.seq, "table": table, "op": op, "pk": pk,
                                 "row": row if op == "upsert" else None})


def cat(id_, code, name=None, parent=None):
    return {"id": id_, "parent_id": parent, "code": code, "name_sv": name or f"Kategori {id_}",
            "name_en": "", "sort": 0}


def prod(id_, sku, name=None, changed="2026-05-01T10:00:00"):
    return {"id": id_, "sku": sku, "name_sv": name or f"Vara {id_}", "name_en": "",
            "description": "", "unit": "pcs", "kind": "goods", "stocked": True,
            "drop_ship": False, "supplier_id": None, "cost_price": 1000, "weight_g": None,
            "category_id": 1, "vat_class": "standard", "product_type": "single",
            "parent_id": None, "active": True, "created_at": "2026-05-01T10:00:00",
            "updated_at": changed}


def rows(store, sql):
    with store.read() as s:
        return [tuple(r) for r in s.execute(text(sql))]


def cursor(store):
    with store.read() as s:
        return state.get_cursor(s)


def test_bootstrap_fills_tables_and_sets_the_cursor(store):
    feed = Feed({"category": [cat(1, "A")], "product": [prod(i, f"S{i}") for i in range(1, 12)]})
    feed.seq = 7
    seen = []
    assert bootstrap(store, feed, lambda done, total: seen.append(done), page_size=5) == 7
    assert cursor(store) == 7
    assert rows(store, "select count(*) from product") == [(11,)]
    assert seen[-1] == 12
    with store.read() as s:
        from core.catalog.models import Product
        p = s.get(Product, 3)
        assert p.updated_at == dt.datetime(2026, 5, 1, 10) and p.stocked is True


def test_pull_after_bootstrap_gets_only_the_changes(store):
    feed = Feed({"category": [cat(1, "A")], "product": [prod(1, "S1"), prod(2, "S2")]})
    bootstrap(store, feed)
    feed.requests.clear()
    feed.add("product", "upsert", prod(2, "S2", name="Ny"))
    feed.add("product", "upsert", prod(3, "S3"))
    feed.add("product", "delete", {"id": 1})
    result = pull(store, feed, page_size=2)
    assert (result.changes, result.pages, result.cursor) == (3, 2, 3)
    assert [r[0] for r in feed.requests] == ["changes", "changes"]
    assert rows(store, "select id, name_sv from product order by id") == [(2, "Ny"), (3, "Vara 3")]
    assert pull(store, feed).changes == 0


def test_a_failing_page_leaves_data_and_cursor_at_the_previous_page(store):
    feed = Feed({"category": [cat(1, "A")], "product": [prod(1, "S1")]})
    bootstrap(store, feed)
    feed.add("product", "upsert", prod(1, "S1", name="Sida 1"))
    feed.add("product", "upsert", prod(2, "S2", name="Sida 2"))
    bad = prod(3, "S3")
    bad["name_sv"] = None  # NOT NULL: the page must fail after its first change was written
    feed.add("product", "upsert", bad)
    with pytest.raises(IntegrityError):
        pull(store, feed, page_size=2)
    # page 1 (seq 1-2) committed with its cursor; page 2 (seq 3) rolled back entirely
    assert cursor(store) == 2
    assert rows(store, "select id, name_sv from product order by id") == [(1, "Sida 1"), (2, "Sida 2")]


def test_stopped_bootstrap_resumes_without_refetching(store):
    feed = Feed({"category": [cat(1, "A")], "product": [prod(i, f"S{i}") for i in range(1, 21)]})
    feed.seq = 4
    stop = threading.Event()

    def progress(done, total):
        if done >= 6:  # after the category page and the first product page
            stop.set()

    with pytest.raises(Stopped):
        bootstrap(store, feed, progress, page_size=5, stop=stop)
    assert cursor(store) is None
    feed.requests.clear()
    feed.seq = 9  # the server moved on; the resumed bootstrap keeps its snapshot seq
    assert bootstrap(store, feed, page_size=5) == 4
    assert ("snapshot", "category", None) not in feed.requests
    assert ("snapshot", "product", 5) in feed.requests
    assert rows(store, "select count(*) from product") == [(20,)]


def test_a_stale_row_holding_a_unique_value_gives_way_and_the_feed_restores_it(store):
    # the category page was read before category 1 renamed its code X→Y and 2 took X
    feed = Feed({"category": [cat(1, "X"), cat(2, "X")], "product": []})
    feed.add("category", "upsert", cat(1, "Y"))
    feed.add("category", "upsert", cat(2, "X"))
    feed.seq = 0
    bootstrap(store, feed)
    feed.seq = 2
    pull(store, feed)
    assert rows(store, "select id, code from category order by id") == [(1, "Y"), (2, "X")]


def test_foreign_keys_are_back_on_after_applying(store):
    feed = Feed({"category": [cat(5, "C", parent=99)], "product": []})  # parent arrives later
    bootstrap(store, feed)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert rows(store, "select id, parent_id from category") == [(5, 99)]


def test_bootstrapped_products_are_searchable_by_name_and_barcode(store):
    from core.catalog.search import search_index_problems, search_products

    feed = Feed({"category": [cat(1, "A")],
                 "product": [prod(i, f"S{i}", name=f"Tröja {i}") for i in range(1, 13)],
                 "barcode": []})
    feed.tables["barcode"] = [{"id": i, "code": f"731000000{i:04d}", "product_id": i}
                              for i in range(1, 13)]
    # barcode is keyed by code on the server; the stub pages by "id", so give each row both
    bootstrap(store, feed, page_size=5)
    with store.engine.connect() as conn:
        assert search_index_problems(conn) == []
        assert [h.id for h in search_products(conn, "tröja", limit=50)] == list(range(1, 13))
        assert [h.id for h in search_products(conn, "7310000000007")] == [7]
    feed.add("product", "upsert", prod(7, "S7", name="Mössa"))
    pull(store, feed)
    with store.engine.connect() as conn:
        assert [h.id for h in search_products(conn, "mössa")] == [7]


def test_connection_settings_are_given_back_after_applying(store):
    with store.engine.connect() as conn:
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    bootstrap(store, Feed({"category": [cat(1, "A")], "product": []}))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1

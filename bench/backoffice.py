"""Back-office speed: the orders tab's first page, a filter/search, and one invoice PDF, at 200,000 orders.

Fills the demo shop's replica with N orders (raw executemany: orders, two lines each, a status mix,
some with back orders), makes one real invoice through the domain, then measures through the
synchronous runner: the orders tab's model with its first page (≤ 300 ms), a filter plus search
(≤ 200 ms), and rendering the invoice PDF (≤ 100 ms). Each figure is the worst of 5 runs.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
import uuid

from sqlalchemy import text

from bench.common import demo_store, ms
from core.db.bulk import raw_insert
from core.progress import cli_progress

BATCH = 20_000
STATUSES = ("new", "confirmed", "partly_delivered", "delivered", "invoiced", "closed", "cancelled")
ORDER_COLS = ("id", "number", "channel_id", "channel_order_no", "status", "order_date", "location_id",
              "payment_terms_days", "payment_provider", "payment_authorised", "payment_captured",
              "has_backorder", "customer_id", "customer_name", "buyer_is_business", "currency",
              "prices_include_vat", "vat_treatment", "vat_country", "total_net", "total_vat", "total_gross",
              "created_at", "created_by", "updated_at")
LINE_COLS = ("id", "order_id", "position", "kind", "product_id", "sku", "name", "qty", "unit_price",
             "discount_bp", "amount", "vat_class", "vat_rate_bp", "delivered_qty", "drop_ship")


def add_arguments(p) -> None:
    p.add_argument("--orders", type=int, default=200_000, metavar="N", help="orders in the replica (default 200000)")
    p.add_argument("--products", type=int, default=2000, help="catalogue size of the demo shop (default 2000)")


def _fill(store, target: int, quiet: bool) -> int:
    """Add generated orders until the replica holds `target`; returns the count."""
    with store.engine.begin() as conn:
        have = conn.execute(text("SELECT count(*) FROM sales_order")).scalar()
        if have >= target:
            return have
        first = (conn.execute(text("SELECT coalesce(max(number), 0) FROM sales_order")).scalar() or 0) + 1
        custs = conn.execute(text("SELECT id, name FROM customer")).all()
        prods = conn.execute(text("SELECT id, sku, name_sv FROM product WHERE product_type = 'single' "
                                  "AND kind = 'goods' LIMIT 500")).all()
        rng = random.Random(5)
        todo = target - have
        now = "2026-01-01 00:00:00.000000"
        with cli_progress("Filling orders", todo, enabled=not quiet) as progress:
            done = 0
            while done < todo:
                orders, lines = [], []
                for i in range(done, min(done + BATCH, todo)):
                    oid = str(uuid.UUID(int=rng.getrandbits(128)))
                    cid, cname = custs[rng.randrange(len(custs))]
                    status = STATUSES[rng.randrange(len(STATUSES))]
                    channel = rng.choice((3, 4, 5, 6))
                    web = channel in (3, 4)
                    provider = "klarna" if web and rng.random() < 0.7 else "invoice"
                    q1, q2 = rng.randint(1, 4) * 1000, rng.randint(1, 3) * 1000
                    p1, p2 = prods[rng.randrange(len(prods))], prods[rng.randrange(len(prods))]
                    u1, u2 = rng.randint(50, 900) * 100, rng.randint(50, 900) * 100
                    a1, a2 = u1 * q1 // 1000, u2 * q2 // 1000
                    gross = a1 + a2
                    vat = gross // 5
                    back = status == "partly_delivered"
                    d1 = {"new": 0, "confirmed": 0, "cancelled": 0, "partly_delivered": q1}.get(status, q1)
                    d2 = {"new": 0, "confirmed": 0, "cancelled": 0, "partly_delivered": 0}.get(status, q2)
                    day = dt.date(2024, 1, 1) + dt.timedelta(days=(first + i) * 900 // max(target, 1))
                    orders.append((oid, first + i, channel, f"W-{first + i}" if web else None, status,
                                   day.isoformat(), 3, 30, provider, gross if provider == "klarna" else 0,
                                   gross if provider == "klarna" and d2 else 0, back, cid, cname, False,
                                   "SEK", True, "domestic", "SE", gross - vat, vat, gross, now, "bench", now))
                    for pos, (p, q, u, a, d) in enumerate(((p1, q1, u1, a1, d1), (p2, q2, u2, a2, d2)), 1):
                        lines.append((f"{oid[:30]}-{pos}", oid, pos, "product", p[0], p[1], p[2], q, u, 0, a,
                                      "standard", 2500, d, False))
                raw_insert(conn, "sales_order", ORDER_COLS, orders)
                raw_insert(conn, "order_line", LINE_COLS, lines)
                done += len(orders)
                progress(done, todo)
        # the filled orders took numbers: the gap-free series continues after them
        conn.execute(text("INSERT INTO number_series (series, value) VALUES ('order', :v) "
                          "ON CONFLICT (series) DO UPDATE SET value = :v"), {"v": first + todo - 1})
        return conn.execute(text("SELECT count(*) FROM sales_order")).scalar()


def _invoice(store) -> str:
    """One real order, delivered and invoiced through the domain (its PDF is what is timed)."""
    from core.invoicing.service import invoice_order
    from core.orders.delivery import deliver
    from core.orders.lifecycle import confirm_order
    from core.orders.pricing import LineIn
    from core.orders.service import OrderIn, create_order, lines_of

    with store.write() as s:
        found = s.execute(text("SELECT id FROM invoice ORDER BY number LIMIT 1")).scalar()
        if found:
            return found
        pids = [r[0] for r in s.execute(text(
            "SELECT product_id FROM stock_level WHERE location_id = 3 AND on_hand - reserved >= 5000 LIMIT 3"))]
        cid = s.execute(text("SELECT id FROM customer ORDER BY number LIMIT 1")).scalar()
        order = create_order(s, OrderIn(channel_id=5, customer_id=cid,
                                        lines=[LineIn(product_id=p, qty=2000) for p in pids]
                                        + [LineIn(kind="shipping", unit_price=4900)]), "bench")
        confirm_order(s, order.id, "bench")
        deliver(s, order.id, {ln.id: ln.qty for ln in lines_of(s, order.id) if ln.kind == "product"}, "bench")
        invoice_id = invoice_order(s, order.id, "bench").id
        s.commit()
        return invoice_id


def _worst(fn, runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return ms(max(samples))


def run(args) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    from backoffice.models.orders_model import OrdersModel
    from backoffice.worker import SyncRunner
    from core.documents.invoice_pdf import invoice_pdf
    from core.orders.queries import OrderFilter

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 — Qt models want an app
    store = demo_store(args, "backoffice", args.products, quiet=args.json)
    try:
        orders = _fill(store, args.orders, quiet=args.json)
        invoice_id = _invoice(store)
        runner = SyncRunner(store)
        with store.engine.connect() as conn:  # warm the page cache, as a running back office's is
            conn.execute(text("SELECT count(*), sum(total_gross) FROM sales_order")).all()

        def open_tab():
            model = OrdersModel(runner)
            model.set_filter(OrderFilter())
            assert model.rowCount() == model.page_size
            with store.read() as s:
                model.count(s)

        model = OrdersModel(runner)

        def filter_search():
            model.set_filter(OrderFilter(status="partly_delivered", has_backorder=True, text="W-1"))
            assert model.rowCount() > 0
            model.set_filter(OrderFilter())

        def pdf():
            with store.read() as s:
                assert invoice_pdf(s, invoice_id).startswith(b"%PDF")

        open_ms = _worst(open_tab)
        filter_ms = _worst(filter_search)
        pdf_ms = _worst(pdf)
    finally:
        store.dispose()
    return {"orders": orders, "orders_tab_open_ms": open_ms, "orders_filter_ms": filter_ms,
            "invoice_pdf_ms": pdf_ms}

"""POS speed: scan-to-line, completing a sale durably, a Z-report over 10,000 receipts, till start-up.

Runs on the demo shop with N products (built once, reused). Targets at N = 1,000,000: scan (lookup,
price, add to cart, journal entry) p99 ≤ 5 ms; complete a sale (receipt, counters, journal, outbox,
one synchronous=FULL commit) p99 ≤ 15 ms; Z of 10,000 receipts ≤ 1 s; start to ready ≤ 3 s.
`startup_s` is from starting the process to the till window shown with its first loads done
(offscreen Qt, the best of three starts).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from bench.common import demo_store, ms, percentile, time_each

SECRET = b"bench-control-unit-secret"
STARTUP = """
import os, sys, time
t0 = float(sys.argv[2])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from core.db import open_store
from pos_app.launch import application, open_window
store = open_store(sys.argv[1])
app = application()
window = open_window(store, folder=Path(sys.argv[4]), register_code=sys.argv[3])
window.show()
app.processEvents()
while not window.ctx.idle:  # ready = the login screen shown and the first loads done
    app.processEvents()
    time.sleep(0.001)
print(time.time() - t0)
"""


def add_arguments(p) -> None:
    p.add_argument("--products", type=int, default=100_000, metavar="N", help="catalogue size (default 100000)")
    p.add_argument("--samples", type=int, default=500, help="scans and sales measured (default 500)")
    p.add_argument("--z-receipts", type=int, default=10_000, metavar="N",
                   help="receipts in the day closed by the Z measured (default 10000)")


def _codes(store, rng: random.Random, n: int) -> list[str]:
    with store.engine.connect() as conn:
        max_id = conn.execute(text("SELECT max(product_id) FROM price_list_item WHERE price_list_id = 1")).scalar()
        picks = ",".join(str(rng.randint(1, max_id)) for _ in range(n * 3))
        return [r[0] for r in conn.execute(text(
            "SELECT b.code FROM barcode b JOIN product p ON p.id = b.product_id "
            "JOIN price_list_item i ON i.product_id = p.id AND i.price_list_id = 1 "
            f"WHERE p.id IN ({picks}) AND p.product_type != 'variant_parent' AND p.active"))][:n]


def run(args) -> dict:
    from core.db import open_store
    from core.sales.cart import Cart
    from core.sales.complete import complete_sale
    from core.sales.control_unit import SoftwareControlUnit
    from core.sales.payments import Payment
    from core.sales.register import load_register
    from core.sales.till import Till

    store = demo_store(args, "pos", args.products, quiet=args.json)
    path = Path(store.url.removeprefix("sqlite:///"))
    rng = random.Random(11)
    codes = _codes(store, rng, args.samples * 3 + 50)
    with store.read() as s:
        reg = load_register(s, "STHLM-K1")
        zreg = load_register(s, "GBG-K1")
        products = s.execute(text("SELECT count(*) FROM product")).scalar()
    unit = SoftwareControlUnit.for_register(reg.code, SECRET)
    till = Till(store, reg, unit, cashier="bench")
    for code in codes[:50]:  # warm caches, as a till does in its first minutes
        till.scan(code)
        till.cart = Cart()

    def scan(code):
        till.scan(code)
        if len(till.cart.lines) >= 5:
            till.cart = Cart()

    scans = time_each(scan, codes[50:50 + args.samples])
    carts = []
    pool = codes[50:]
    for i in range(args.samples):
        till.cart = Cart()
        for code in pool[(i * 3) % len(pool):(i * 3) % len(pool) + 3] or pool[:3]:
            till.scan(code)
        carts.append(till.cart)
    till.cart = Cart()
    sales = time_each(lambda c: complete_sale(store, reg, c, [Payment("card", c.total)], "bench", unit),
                      carts)
    store.dispose()

    # fill a day of N receipts at another register (no fsync while filling), then time its Z
    fill = open_store(path, synchronous="OFF")
    zunit = SoftwareControlUnit.for_register(zreg.code, SECRET)
    ztill = Till(fill, zreg, zunit, cashier="bench")
    ztill.z_report()  # start from a fresh day
    template = carts[0]
    for _ in range(args.z_receipts):
        complete_sale(fill, zreg, Cart.from_dict(template.to_dict()), [Payment("card", template.total)],
                      "bench", zunit)
    fill.dispose()
    store = open_store(path)
    ztill = Till(store, zreg, zunit, cashier="bench")
    t0 = time.perf_counter()
    z = ztill.z_report()
    z_seconds = time.perf_counter() - t0
    assert z["receipts"] == args.z_receipts
    store.dispose()

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    startups = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", STARTUP, str(path), repr(time.time()), reg.code,
                              str(path.parent / "startup-config")], capture_output=True, text=True, env=env,
                             check=True)
        startups.append(float(out.stdout.strip()))
    return {
        "products": products,
        "scan_p50_ms": ms(percentile(scans, 50)), "scan_p99_ms": ms(percentile(scans, 99)),
        "complete_sale_p50_ms": ms(percentile(sales, 50)),
        "complete_sale_p99_ms": ms(percentile(sales, 99)),
        "z_report_receipts": args.z_receipts, "z_report_10k_s": round(z_seconds, 4),
        "startup_s": round(min(startups), 3),
    }

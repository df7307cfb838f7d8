"""Save PNGs of the sale screen and the payment screen (run as a process: `python -m tests.gui.screenshot`).

Runs on whatever Qt platform the environment selects: xcb under Xvfb, or offscreen.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path


def _pump(app, until, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not until():
        if time.monotonic() > end:
            raise TimeoutError("the till did not settle")
        app.processEvents()
        time.sleep(0.005)
    for _ in range(20):
        app.processEvents()


def shoot(db: Path, out: Path, sizes: list[tuple[int, int]]) -> list[Path]:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import text

    from core.db import open_store
    from core.sales.payments import Payment
    from tests.gui.support import Pos

    class Bot:  # the little of pytest-qt's qtbot that `Pos` uses
        def addWidget(self, w):
            pass

        def waitUntil(self, cond, timeout=10000):
            _pump(QApplication.instance(), cond, timeout / 1000)

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for width, height in sizes:
        work = out / f".shot-{width}x{height}.sqlite"
        shutil.copy(db, work)
        store = open_store(work)
        try:
            pos = Pos(Bot(), store, out / ".config", size=(width, height))
            pos.login()
            with store.engine.connect() as conn:
                ids = [r[0] for r in conn.execute(text(
                    "SELECT id FROM product WHERE product_type IN ('single', 'variant') AND unit = 'pcs' "
                    "ORDER BY id LIMIT 5 OFFSET 3"))]
            for pid in ids:
                pos.window.sale.add(pid)
            pos.wait()
            till = pos.ctx.session.till
            pos.ctx.cart_op(lambda t=till: t.discount_receipt(percent_bp=500))
            pos.wait()
            pos.window.sale.search.setText("choklad")
            pos.window.sale.run_search()
            pos.wait()
            app = QApplication.instance()
            _pump(app, lambda: True)
            path = out / f"pos-sale-{width}x{height}.png"
            pos.window.grab().save(str(path))
            saved.append(path)
            pos.pay()
            pay = pos.window.payment
            card = pos.ctx.cart.total // 2 // 100 * 100
            pay.add(Payment("card", card))
            pay.add(Payment("cash", 20000 if pay.tender.cash_to_pay <= 20000 else 50000))
            _pump(app, lambda: True)
            path = out / f"pos-payment-{width}x{height}.png"
            pos.window.grab().save(str(path))
            saved.append(path)
            pos.close()
        finally:
            store.dispose()
            work.unlink(missing_ok=True)
    shutil.rmtree(out / ".config", ignore_errors=True)
    return saved


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True, type=Path, help="a demo shop database (copied, not changed)")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--sizes", default="1024x768,1920x1080")
    args = p.parse_args()
    from pos_app.launch import application

    app = application()
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    for path in shoot(args.db, args.out, sizes):
        print(path)
    print("platform:", app.platformName())
    return 0


if __name__ == "__main__":
    sys.exit(main())

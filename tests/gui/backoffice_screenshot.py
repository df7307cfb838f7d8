"""Save PNGs of the back office's Products and Stock tabs (run as a process:
`python -m tests.gui.backoffice_screenshot --db DEMO.sqlite --out artifacts`).

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
            raise TimeoutError("the back office did not settle")
        app.processEvents()
        time.sleep(0.005)
    for _ in range(20):
        app.processEvents()


def shoot(db: Path, out: Path, size: tuple[int, int] = (1280, 800), lang: str = "sv") -> list[Path]:
    from backoffice.app import application, open_window
    from core.db import open_store

    app = application()
    out.mkdir(parents=True, exist_ok=True)
    work = out / ".backoffice-shot.sqlite"
    shutil.copy(db, work)
    store = open_store(work)
    saved = []
    try:
        window = open_window(store, lang=lang)
        window.resize(*size)
        window.show()
        idle = lambda: window.ctx.idle
        _pump(app, idle)
        products = window.pages["products"]
        products.table.selectRow(2)
        _pump(app, idle)
        path = out / "backoffice-products.png"
        window.grab().save(str(path))
        saved.append(path)
        window.tabs.setCurrentWidget(window.pages["stock"])
        stock = window.pages["stock"]
        _pump(app, idle)
        stock.levels_view.selectRow(1)
        _pump(app, idle)
        path = out / "backoffice-stock.png"
        window.grab().save(str(path))
        saved.append(path)
        window.close()
        window.ctx.shutdown()
    finally:
        store.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
    print("platform:", app.platformName())
    return saved


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True, type=Path, help="a demo shop database (copied, not changed)")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--lang", default="sv", choices=("sv", "en"))
    args = p.parse_args()
    for path in shoot(args.db, args.out, lang=args.lang):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshot of the Orders tab for the README (artifacts/backoffice-orders.png), taken in a child process
under Xvfb (xcb) when the `display_env` fixture provides it, else offscreen. Run by hand:
`python -m tests.gui.test_orders_tab_screenshot --db DEMO.sqlite --out artifacts`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from tests.gui.backoffice_fixtures import *  # the fixtures
from tests.gui.test_screenshots import ARTIFACTS, ROOT, display_env  # noqa: F401 — the Xvfb fixture


def shoot(db: Path, out: Path, size=(1280, 800), lang: str = "sv") -> Path:
    from backoffice.app import application, open_window
    from core.db import open_store
    from tests.gui.backoffice_screenshot import _pump
    from tests.gui.test_orders_tab import make_orders

    app = application()
    out.mkdir(parents=True, exist_ok=True)
    work = out / ".orders-shot.sqlite"
    shutil.copy(db, work)
    store = open_store(work)
    try:
        make_orders(store, 24)
        window = open_window(store, lang=lang)
        window.resize(*size)
        window.show()
        window.tabs.setCurrentWidget(window.pages["orders"])
        _pump(app, lambda: window.ctx.idle)
        tab = window.pages["orders"]
        tab.table.selectRow(2)  # a partly delivered order: lines with a back order
        _pump(app, lambda: window.ctx.idle)
        path = out / "backoffice-orders.png"
        window.grab().save(str(path))
        window.close()
        window.ctx.shutdown()
    finally:
        store.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
    print("platform:", app.platformName())
    return path


def test_screenshot_of_the_orders_tab(display_env, bo_template):  # noqa: F811
    from PySide6.QtGui import QImage

    result = subprocess.run([sys.executable, "-m", "tests.gui.test_orders_tab_screenshot", "--db", str(bo_template),
                             "--out", str(ARTIFACTS)], check=False, cwd=ROOT, env=display_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"platform: {display_env['QT_QPA_PLATFORM']}" in result.stdout
    image = QImage(str(ARTIFACTS / "backoffice-orders.png"))
    # asked for 1280 × 800; a tab whose controls need more width widens the whole window
    assert image.height() == 800 and image.width() >= 1280
    colours = {image.pixel(x, y) for x in range(0, 1280, 37) for y in range(0, 800, 29)}
    assert len(colours) > 5


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True, type=Path)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--lang", default="sv", choices=("sv", "en"))
    a = p.parse_args()
    print(shoot(a.db, a.out, lang=a.lang))

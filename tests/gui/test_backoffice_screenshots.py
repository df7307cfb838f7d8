"""Screenshots of the back office's Products and Stock tabs, saved to artifacts/.

Taken in a child process: under Xvfb on the xcb platform when BUTIK_REQUIRE_XVFB=1 (the POS
screenshot test's `display_env` fixture starts Xvfb, and fails when it cannot), else offscreen.
"""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtGui import QImage

from tests.gui.backoffice_fixtures import *  # the fixtures
from tests.gui.test_screenshots import ARTIFACTS, ROOT, display_env  # noqa: F401 — the Xvfb fixture


def test_screenshots_of_the_products_and_stock_tabs(display_env, bo_template):  # noqa: F811
    result = subprocess.run([sys.executable, "-m", "tests.gui.backoffice_screenshot", "--db", str(bo_template),
                             "--out", str(ARTIFACTS)], check=False, cwd=ROOT, env=display_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"platform: {display_env['QT_QPA_PLATFORM']}" in result.stdout
    for name in ("products", "stock"):
        image = QImage(str(ARTIFACTS / f"backoffice-{name}.png"))
        # 1280 wide asked for; the purchasing tab's toolbar currently widens the window a little
        assert image.height() == 800 and 1280 <= image.width() <= 1400, (name, image.size())
        colours = {image.pixel(x, y) for x in range(0, 1280, 37) for y in range(0, 800, 29)}
        assert len(colours) > 5  # a real picture, not an empty grab

"""Screenshots of the sale and payment screens at 1024×768 and 1920×1080, saved to artifacts/.

With BUTIK_REQUIRE_XVFB=1 they are taken from a real X server: the test starts Xvfb itself and
runs the till in a child process on the xcb platform (the other GUI tests stay offscreen); if Xvfb
cannot start the test fails. Without the variable the child process renders offscreen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
SIZES = ((1024, 768), (1920, 1080))


@pytest.fixture
def display_env():
    env = dict(os.environ)
    if os.environ.get("BUTIK_REQUIRE_XVFB") != "1":
        env["QT_QPA_PLATFORM"] = "offscreen"
        yield env
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.fail("BUTIK_REQUIRE_XVFB=1 but Xvfb is not installed (apt-get install xvfb "
                    "libxcb-icccm4 libxcb-keysyms1 xauth)")
    for number in range(90, 110):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    proc = subprocess.Popen([xvfb, f":{number}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"Xvfb :{number} did not start: {proc.stderr.read().decode(errors='replace')}")
        time.sleep(0.05)
    env.update(DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb")
    try:
        yield env
    finally:
        proc.terminate()
        proc.wait(5)


def test_screenshots_of_the_sale_and_payment_screens(display_env, demo_db):
    result = subprocess.run([sys.executable, "-m", "tests.gui.screenshot", "--db", str(demo_db),
                             "--out", str(ARTIFACTS)], check=False, cwd=ROOT, env=display_env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    platform = display_env["QT_QPA_PLATFORM"]
    assert f"platform: {platform}" in result.stdout
    for screen in ("sale", "payment"):
        for width, height in SIZES:
            image = QImage(str(ARTIFACTS / f"pos-{screen}-{width}x{height}.png"))
            assert (image.width(), image.height()) == (width, height), (screen, width, image.size())
            # a real picture, not an empty grab: many distinct colours
            colours = {image.pixel(x, y) for x in range(0, width, 37) for y in range(0, height, 29)}
            assert len(colours) > 5

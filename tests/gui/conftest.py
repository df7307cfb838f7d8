"""GUI tests run offscreen (set in tests/conftest.py) on a fresh copy of the demo shop per test."""

from __future__ import annotations

import pytest

from core.db import open_store
from tests.gui.support import Pos, build_template, copy_store


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("demo-template"))


@pytest.fixture
def demo_db(demo_template, tmp_path):
    return copy_store(demo_template, tmp_path)


@pytest.fixture
def demo_store(demo_db):
    store = open_store(demo_db)
    yield store
    store.dispose()


@pytest.fixture
def pos(qtbot, demo_store, tmp_path):
    p = Pos(qtbot, demo_store, tmp_path / "config")
    yield p
    p.close()


@pytest.fixture(scope="session", autouse=True)
def _collect_garbage_on_the_gui_thread(qapp):
    """As the applications do: Qt objects caught in cycles are freed on the GUI thread only."""
    from pos_app import gui_gc
    gui_gc.install(qapp)


@pytest.fixture(autouse=True)
def _collect_after_each_test(qapp):
    yield
    import gc
    gc.collect()

"""Fixtures for the back-office tests: the demo shop (300 products) built once per session, copied per test."""

from __future__ import annotations

import shutil

import pytest

from core.db import open_store

#: test modules take these with `from tests.gui.backoffice_fixtures import *`
__all__ = ["bo_store", "bo_template", "runner", "settle", "window"]


@pytest.fixture(scope="session")
def bo_template(tmp_path_factory):
    from core.demo.builder import build_demo

    path = tmp_path_factory.mktemp("bo-template") / "demo.sqlite"
    store = open_store(path)
    try:
        build_demo(store, products=300)
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.dispose()
    return path


@pytest.fixture
def bo_store(bo_template, tmp_path):
    """A fresh copy of the demo shop for this test."""
    target = tmp_path / "backoffice.sqlite"
    shutil.copy(bo_template, target)
    store = open_store(target)
    yield store
    store.dispose()


@pytest.fixture
def runner(bo_store):
    from backoffice.worker import SyncRunner

    return SyncRunner(bo_store)


@pytest.fixture
def window(qtbot, bo_store):
    """The real back-office window (English) on the demo shop, its database lane running."""
    from backoffice import errors
    from backoffice.app import open_window

    errors.shown.clear()
    w = open_window(bo_store, lang="en", user="tester")
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: w.ctx.idle, timeout=10000)
    yield w
    w.close()
    w.ctx.shutdown()


def settle(qtbot, window, timeout: int = 10000) -> None:
    """Wait until the database lane has delivered every result."""
    qtbot.waitUntil(lambda: window.ctx.idle, timeout=timeout)
    qtbot.wait(10)
    qtbot.waitUntil(lambda: window.ctx.idle, timeout=timeout)

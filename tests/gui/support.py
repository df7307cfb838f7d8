"""Driving the till in tests: a demo shop per test (copied from one built per session), login, scans."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from core.db import open_store

CONTROL_KEY = b"gui-test-control-key-0123456789"


def build_template(folder: Path) -> Path:
    """The demo shop (200 products) with its cashiers, built once; tests copy the file."""
    from core.demo.builder import build_demo
    from pos_app.auth import ensure_demo_people

    path = folder / "demo.sqlite"
    store = open_store(path)
    try:
        build_demo(store, products=200)
        ensure_demo_people(store)
    finally:
        store.dispose()
    # fold the WAL into the file and leave WAL mode, so a plain file copy is a whole database
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    return path


def copy_store(template: Path, folder: Path) -> Path:
    """A whole copy through SQLite's backup API: right even when the template is open in WAL mode."""
    target = folder / "pos.sqlite"
    src, dst = sqlite3.connect(template), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


class Pos:
    """A till window on a store, with helpers that wait for the worker lanes."""

    def __init__(self, qtbot, store, folder: Path, size=(1024, 768)):
        from pos_app.launch import open_window
        from pos_app.settings import PosSettings

        self.qtbot, self.store = qtbot, store
        folder.mkdir(parents=True, exist_ok=True)
        self.window = open_window(store, folder=folder, settings=PosSettings(printer={"kind": "dummy"}),
                                  control_key=CONTROL_KEY)
        qtbot.addWidget(self.window)
        self.window.resize(*size)
        self.window.show()
        self.ctx = self.window.ctx
        self.wait()

    def wait(self, timeout: int = 10000) -> None:
        self.qtbot.waitUntil(lambda: self.ctx.idle, timeout=timeout)

    def login(self, name: str = "anna", pin: str = "1111", float_notes: int = 5) -> None:
        w = self.window
        w.login.choose(name)
        w.login.pin.setText(pin)
        w.login.submit()
        self.wait()
        dialog = getattr(w, "shift_dialog", None)
        if dialog is not None and dialog.isVisible():
            dialog.count.fields[10000].setText(str(float_notes))  # 5 × 100 kr
            dialog.submit()
            self.wait()
        assert w.stack.currentWidget() is w.sale

    def burst(self, code: str, widget=None) -> None:
        """Type like a keyboard-wedge scanner: the characters a few ms apart, then Enter."""
        target = widget or QApplication.focusWidget() or self.window.sale.search
        QTest.keyClicks(target, code)
        QTest.keyClick(target, Qt.Key.Key_Return)
        self.wait()

    def modal(self):
        return QApplication.activeModalWidget()

    def manager_pin(self, pin: str) -> None:
        dialog = self.modal()
        assert dialog is not None and dialog.objectName() == "managerPin", dialog
        dialog.field.setText(pin)
        dialog.submit()
        self.wait()

    def pay(self) -> None:
        self.window.sale.pay()
        assert self.window.stack.currentWidget() is self.window.payment

    def close(self) -> None:
        self.window.close()


def one(store, sql: str, **params):
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params).first()


def barcode_of_single(store, offset: int = 0) -> tuple[str, int]:
    """(barcode, product id) of a plain stocked goods product with a price."""
    row = one(store, "SELECT b.code, p.id FROM barcode b JOIN product p ON p.id = b.product_id "
                     "WHERE p.product_type = 'single' AND p.kind = 'goods' AND p.unit = 'pcs' "
                     "ORDER BY p.id LIMIT 1 OFFSET :o", o=offset)
    return row[0], row[1]

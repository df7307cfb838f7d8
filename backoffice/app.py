"""The back-office main window: a thin shell with one tab per area and a status bar for sync.

Tabs come from TAB_MODULES (each defines TITLE and `make(ctx)`); a missing module is skipped so
areas can arrive one by one (orders and customers — issue 5 — plug in by adding their module).
"""

from __future__ import annotations

import getpass
import importlib
import logging
import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget

from backoffice import errors, i18n
from backoffice.worker import Context
from pos_app import gui_gc
from core.db.engine import Store

log = logging.getLogger(__name__)

#: one module per tab, in tab order
TAB_MODULES = [
    "backoffice.tabs.products",
    "backoffice.tabs.prices",
    "backoffice.tabs.stock",
    "backoffice.tabs.orders",
    "backoffice.tabs.customers",
    "backoffice.tabs.purchasing",
    "backoffice.tabs.valuation",   # stock value per product and location
    "backoffice.tabs.ledger",      # vouchers, reports, VAT return, SIE4
    "backoffice.tabs.settings",    # integration connections (secrets in the OS keyring), problems
]
STATUS_EVERY_MS = 5000


def sync_text(status) -> str:
    """The status bar's words for a `core.sync.status.SyncStatus` (None: no sync tables at all)."""
    tr = lambda t: QCoreApplication.translate("BackofficeWindow", t)
    if status is None or not status.enrolled:
        return tr("Local database (not connected to a server)")
    parts = [tr("Online") if status.online else tr("Offline — showing the last synced data")]
    parts.append(tr("{n} events waiting").format(n=status.events_waiting))
    if status.failed_events:
        parts.append(tr("{n} refused by the server").format(n=status.failed_events))
    if status.last_sync:
        parts.append(tr("last sync {t} UTC").format(t=f"{status.last_sync:%Y-%m-%d %H:%M}"))
    return " · ".join(parts)


def _read_status(store: Store):
    try:
        from core.sync.status import read_status
    except ImportError:
        return None
    return read_status(store)


class BackofficeWindow(QMainWindow):
    """Tabs plus a status bar; everything else lives in the tabs."""

    def __init__(self, ctx: Context):
        super().__init__()
        self.setObjectName("backofficeWindow")
        self.ctx = ctx
        ctx.error_parent = self
        self.setWindowTitle(self.tr("Butik — back office"))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("areas")
        self.pages: dict[str, object] = {}
        for name in TAB_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            page = module.make(ctx)
            self.pages[name.rsplit(".", 1)[1]] = page
            self.tabs.addTab(page, QCoreApplication.translate("tabs", module.TITLE))
        self.setCentralWidget(self.tabs)
        self.sync_label, self.busy_label = QLabel(), QLabel()
        self.sync_label.setObjectName("syncStatus")
        self.statusBar().addWidget(self.sync_label, 1)
        self.statusBar().addPermanentWidget(self.busy_label)
        ctx.worker.busy_changed.connect(
            lambda busy: self.busy_label.setText(self.tr("Working…") if busy else ""))
        self.status_timer = QTimer(self, interval=STATUS_EVERY_MS)
        self.status_timer.timeout.connect(self.refresh_status)
        self.status_timer.start()
        self.refresh_status()

    def refresh_status(self) -> None:
        store = self.ctx.store
        self.ctx.submit(lambda: _read_status(store), lambda s: self.sync_label.setText(sync_text(s)),
                        lambda exc: self.sync_label.setText(sync_text(None)))

    def closeEvent(self, event) -> None:
        self.status_timer.stop()
        errors.close_all()
        super().closeEvent(event)


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    gui_gc.install(app)
    app.setApplicationName("Butik back office")
    return app


def open_window(store: Store, *, lang: str = "sv", user: str | None = None) -> BackofficeWindow:
    """The composition root shared by `butik backoffice` and the tests (the caller shows the window)."""
    application()
    i18n.install(lang)
    ctx = Context(store, user=user or _user())
    ctx.lang = lang
    return BackofficeWindow(ctx)


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers): still say who it was
        return "backoffice"


def run(store: Store, lang: str = "sv") -> int:
    app = application()
    window = open_window(store, lang=lang)
    window.resize(1280, 800)
    window.show()
    code = app.exec()
    window.ctx.shutdown()
    return code

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
from core.db.engine import Store
from core.errors import Unavailable, UserError
from pos_app import gui_gc

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
#: the areas views listen to; all reload after the replica pulled changes from the server
AREAS = ("products", "prices", "stock", "orders", "customers", "purchasing", "ledger", "settings")


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
        """The status bar's sync words; on a replica, first pull what changed on the server."""
        store, gateway = self.ctx.store, self.ctx.gateway

        def job():
            pulled, problem = 0, None
            if gateway.remote:
                try:
                    pulled = gateway.catch_up()
                except (UserError, Unavailable) as exc:  # offline: the status says so
                    problem = exc
            return pulled, problem, _read_status(store)

        def done(answer):
            pulled, problem, status = answer
            text = sync_text(status)
            if problem is not None:
                text = self.tr("Server unreachable — showing this machine's copy") + " · " + text
            elif getattr(gateway, "reason", None):
                text = self.tr("Read only") + " · " + text
            self.sync_label.setText(text)
            if pulled:
                for area in AREAS:
                    self.ctx.changed.emit(area)

        self.ctx.submit(job, done, lambda exc: self.sync_label.setText(sync_text(None)))

    def closeEvent(self, event) -> None:
        self.status_timer.stop()
        errors.close_all()
        super().closeEvent(event)


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    gui_gc.install(app)
    app.setApplicationName("Butik back office")
    return app


def open_window(store: Store, *, lang: str = "sv", user: str | None = None,
                gateway=None) -> BackofficeWindow:
    """The composition root shared by `butik backoffice` and the tests (the caller shows the window).

    `gateway` is where commands run: None for the window's own database (the server's, in a
    one-PC shop); a RemoteGateway/OfflineGateway (backoffice/login.py) on a workstation replica.
    """
    application()
    i18n.install(lang)
    user = getattr(gateway, "who", None) or user or _user()
    ctx = Context(store, user=user, gateway=gateway)
    ctx.lang = lang
    return BackofficeWindow(ctx)


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers): still say who it was
        return "backoffice"


def run(store: Store, lang: str = "sv") -> int:
    from backoffice import login

    app = application()
    i18n.install(lang)
    gateway = None
    follows = login.replica_server(store)
    if follows is not None:  # a workstation's replica: changes go to the server
        url, kind = follows
        login.check_office_replica(kind, url)
        gateway = login.ask(store, url)
    window = open_window(store, lang=lang, gateway=gateway)
    window.resize(1280, 800)
    window.show()
    code = app.exec()
    window.ctx.shutdown()
    return code

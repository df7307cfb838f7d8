"""Logging in to the server when the back office opens on a workstation's replica.

Reading needs nothing: the replica is on this machine. Changes are commands run by the server
for a logged-in manager, so the window asks who is working. If the server cannot be reached (or
the user chooses to), the window opens read-only and says so; the replica keeps pulling.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from core.auth.service import ROLE_RANK
from core.commands.gateway import OfflineGateway, RemoteGateway
from core.db.engine import Store
from core.errors import Unavailable, UserError
from core.sync import state
from core.sync.client import SyncClient
from core.sync.engine import client_for


def replica_server(store: Store) -> tuple[str, str | None] | None:
    """(server URL, device kind) when `store` is an enrolled replica, else None (the authority)."""
    with store.read() as session:
        url = state.get(session, state.SERVER_URL)
        kind = state.get(session, state.DEVICE_KIND)
    return (url, kind) if url else None


def check_office_replica(kind: str | None, url: str) -> None:
    if kind == "pos":
        raise UserError(f"this machine's copy belongs to a till enrolled with {url}; the back office "
                        "needs a back-office device", field="device",
                        hint="create an enrolment code of kind 'backoffice' and run `butik enrol` "
                             "with it in a separate data folder (--data-dir)")


def log_in(url: str, username: str, password: str, store: Store) -> RemoteGateway:
    """A gateway for `username` (a manager or admin) on the server this replica follows."""
    if not username.strip():
        raise UserError("enter your user name", field="username")
    if not password:
        raise UserError("enter your password", field="password")
    server = SyncClient(url)
    answer = server.login(username.strip(), password)
    if ROLE_RANK.get(answer.get("role") or "", 0) < ROLE_RANK["manager"]:
        server.close()
        raise UserError(f"{username} is a {answer.get('role')}; the back office needs a manager",
                        field="username", hint="log in as a manager or admin")
    server.close()
    return RemoteGateway(store, SyncClient(url, answer["token"]), client_for(store), username.strip())


class LoginDialog(QDialog):
    """User name and password for the server; or work read-only."""

    def __init__(self, store: Store, url: str, parent=None):
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.store, self.url = store, url
        self.gateway = None
        self.setWindowTitle(self.tr("Log in to the server"))
        self.username, self.password = QLineEdit(), QLineEdit()
        self.username.setObjectName("username")
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.Password)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Server"), QLabel(url))
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox()
        self.login_button = buttons.addButton(self.tr("Log in"), QDialogButtonBox.AcceptRole)
        self.offline_button = buttons.addButton(self.tr("Read only"), QDialogButtonBox.RejectRole)
        self.login_button.setObjectName("login")
        self.offline_button.setObjectName("readOnly")
        self.login_button.clicked.connect(self.try_login)
        self.offline_button.clicked.connect(self.read_only)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_login(self) -> None:
        try:
            self.gateway = log_in(self.url, self.username.text(), self.password.text(), self.store)
        except Unavailable as exc:
            self.message.setText(self.tr("The server cannot be reached: {e}").format(e=exc))
            return
        except UserError as exc:
            self.message.setText(exc.message + (f"\n{exc.hint}" if exc.hint else ""))
            return
        self.accept()

    def read_only(self, reason: str | None = None) -> None:
        try:
            feed = client_for(self.store)
        except UserError:
            feed = None
        self.gateway = OfflineGateway(self.store, feed, self.username.text() or "backoffice", self.url,
                                      reason or self.tr("no one logged in"))
        self.reject()


def ask(store: Store, url: str) -> object:
    """Show the dialog; the gateway chosen (remote, or read-only)."""
    dialog = LoginDialog(store, url)
    dialog.exec()
    if dialog.gateway is None:
        dialog.read_only()
    return dialog.gateway

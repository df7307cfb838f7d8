"""The Settings tab: webshop, payment and carrier connections (secrets to the OS keyring), a connection test,
open integration problems to resolve, payment tasks that gave up to retry, and the category push of a shop.

Every change is a settings command (core/commands/settings.py) and runs where the authority and the
secrets are: the server. The connection test and the category push are commands too (the vendor
is called from the server, with the server's secret); they run on a lane of their own, so the
database lane is never held up by a slow vendor and the GUI thread waits on neither.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import describe, show_error
from backoffice.models.connections_model import (
    ConnectionsModel,
    fetch_choices,
    fetch_failed_tasks,
    form_args,
)
from backoffice.tabs.settings_dialogs import ConnectionDialog
from backoffice.widgets import button_row, setup_table
from backoffice.worker import Worker
from core.errors import UserError
from core.integrations.admin import Problem

TITLE = "Settings"
AREA = "integrations"


def _fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(str(v)))


class SettingsTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("settingsTab")
        self.ctx = ctx
        self.dialog: ConnectionDialog | None = None
        #: the network lane: vendor calls, one at a time, off the GUI thread
        self.net = Worker("backoffice-net", on_error=lambda exc: show_error(self, exc), parent=self)
        self.model = ConnectionsModel(ctx, parent=self)
        self.view = QTableView()
        self.view.setObjectName("connectionsTable")
        self.view.setModel(self.model)
        setup_table(self.view, stretch=self.model.column("base_url"))
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.new_button = QPushButton(self.tr("New connection…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.test_button = QPushButton(self.tr("Test connection"))
        self.push_button = QPushButton(self.tr("Push categories"))
        self.new_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.test_button.clicked.connect(self.test_selected)
        self.push_button.clicked.connect(self.push_selected)
        self.result = QLabel()
        self.result.setObjectName("probeResult")
        self.result.setWordWrap(True)

        conn_box = QWidget()
        cb = QVBoxLayout(conn_box)
        cb.addWidget(QLabel(self.tr("Secrets are kept in the OS keyring, never in the database.")))
        cb.addWidget(self.view, 1)
        cb.addLayout(button_row(self.new_button, self.edit_button, self.test_button, self.push_button))
        cb.addWidget(self.result)

        self.problems = QTableWidget(0, 5)
        self.problems.setObjectName("problemsTable")
        self.problems.setHorizontalHeaderLabels([self.tr("When (UTC)"), self.tr("Connection"), self.tr("Job"),
                                                 self.tr("Concerns"), self.tr("Problem")])
        setup_table(self.problems, stretch=4)
        self.problem_rows = []
        self.resolve_button = QPushButton(self.tr("Resolve"))
        self.resolve_button.clicked.connect(self.resolve_selected)
        prob_box = QWidget()
        pb = QVBoxLayout(prob_box)
        pb.addWidget(self.problems, 1)
        pb.addLayout(button_row(self.resolve_button))

        self.tasks = QTableWidget(0, 4)
        self.tasks.setObjectName("tasksTable")
        self.tasks.setHorizontalHeaderLabels([self.tr("Task"), self.tr("Order"), self.tr("Attempts"),
                                              self.tr("Last error")])
        setup_table(self.tasks, stretch=3)
        self.task_rows = []
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.clicked.connect(self.retry_selected)
        task_box = QWidget()
        tb = QVBoxLayout(task_box)
        tb.addWidget(QLabel(self.tr("Payment tasks that gave up; Retry tries them again in the next round.")))
        tb.addWidget(self.tasks, 1)
        tb.addLayout(button_row(self.retry_button))

        self.pages = QTabWidget()
        self.pages.addTab(conn_box, self.tr("Connections"))
        self.pages.addTab(prob_box, self.tr("Problems"))
        self.pages.addTab(task_box, self.tr("Failed payments"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        if hasattr(ctx, "changed"):
            ctx.changed.connect(self._changed)
        self.reload()

    # -- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        self.model.reload()
        # the problem log stays on the server: a query; failed tasks are in the replica
        self.ctx.command("settings.problems", {"limit": 200}, self._show_problems, on_error=self._failed)
        self.ctx.read(fetch_failed_tasks, self._show_tasks)

    def _show_problems(self, rows) -> None:
        rows = [Problem(**r) for r in rows]
        self.problem_rows = rows
        _fill(self.problems, [(p.at, p.connection, p.job, p.ref, p.message) for p in rows])
        self.pages.setTabText(1, self.tr("Problems ({n})").format(n=len(rows)))

    def _show_tasks(self, rows) -> None:
        self.task_rows = rows
        _fill(self.tasks, [(t.type, t.order, t.attempts, t.last_error) for t in rows])
        self.pages.setTabText(2, self.tr("Failed payments ({n})").format(n=len(rows)))

    def _changed(self, area: str) -> None:
        if area in (AREA, "orders"):
            self.reload()

    def selected(self):
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    # -- connections --------------------------------------------------------------------------
    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_dialog(row)

    def open_dialog(self, row) -> None:
        self.ctx.read(fetch_choices, lambda choices: self._show_dialog(choices, row))

    def _show_dialog(self, choices, row) -> None:
        self.dialog = ConnectionDialog(choices, row, self)
        self.dialog.save_button.clicked.connect(self.save_dialog)
        self.dialog.open()

    def save_dialog(self) -> None:
        dialog = self.dialog
        try:
            form = dialog.form()
        except UserError as exc:  # a field that does not parse: say which
            show_error(dialog, exc)
            return

        def saved(_id):
            dialog.secret.clear()
            dialog.done(1)
            self.result.setText(self.tr("Saved {code}.").format(code=form.code))
        # the secret travels as the command's argument to the server, which keeps it in its keyring
        self.ctx.command("settings.connection_save", form_args(form), saved,
                         on_error=lambda exc: show_error(dialog, exc))

    def _ask_vendor(self, name: str, then) -> None:
        """Run the query command `name` for the selected connection on the network lane, then `then(result)`."""
        row = self.selected()
        if row is None:
            self.result.setText(self.tr("Choose a connection first."))
            return
        self.result.setText(self.tr("Asking {code}…").format(code=row.code))
        gateway, args = self.ctx.gateway, {"code": row.code}
        self.net.run(lambda: gateway.call(name, args), then, self._failed)

    def _failed(self, exc: BaseException) -> None:
        _title, text, bug = describe(exc)
        self.result.setText(self.tr("Failed: {text}").format(text=text))
        if bug:
            show_error(self, exc)

    def test_selected(self) -> None:
        self._ask_vendor("settings.connection_test", lambda r: self.result.setText(self.tr(r["message"])))

    def push_selected(self) -> None:
        row = self.selected()
        if row is not None and row.kind != "starweb":
            self.result.setText(self.tr("Categories are pushed to a webshop connection only."))
            return

        def pushed(r):
            text = self.tr("Categories: {c} created, {m} matched, {a} already there.").format(
                c=r["created"], m=r["matched"], a=r["already"])
            if r["problems"]:
                text += " " + self.tr("{n} problem(s): see Problems.").format(n=len(r["problems"]))
            self.result.setText(text)
            self._catch_up()
        self._ask_vendor("settings.categories_push", pushed)

    def _catch_up(self) -> None:
        """The push committed on the server by itself: bring the replica up to date, then reload."""
        gateway = self.ctx.gateway
        if getattr(gateway, "remote", False) and hasattr(gateway, "catch_up"):
            self.ctx.submit(gateway.catch_up, lambda _n: self.ctx.changed.emit(AREA), self._failed)
        else:
            self.ctx.changed.emit(AREA)

    # -- problems and tasks -------------------------------------------------------------------
    def resolve_selected(self) -> None:
        r = self.problems.currentRow()
        if 0 <= r < len(self.problem_rows):
            self.ctx.command("settings.problem_resolve", {"log_id": self.problem_rows[r].id},
                             on_error=lambda exc: show_error(self, exc))

    def retry_selected(self) -> None:
        r = self.tasks.currentRow()
        if 0 <= r < len(self.task_rows):
            self.ctx.command("settings.task_retry", {"task_id": self.task_rows[r].id},
                             on_error=lambda exc: show_error(self, exc))

    def shutdown(self) -> None:
        self.net.stop()


def make(ctx) -> QWidget:
    return SettingsTab(ctx)

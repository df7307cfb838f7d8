"""The first-run wizard shown when `butik pos` (or `butik backoffice`) finds no database in the data folder.

It either connects this computer to a server (enrol with a code, then fetch the shop with a
progress bar) or creates a single-machine shop (company, store, register, first manager) whose
till then runs the server embedded. The till also sets up its printer. Every slow step runs on a
worker lane, off the GUI thread; the use cases themselves are Qt-free (`core.setup.first_run`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWizard, QWizardPage

from core.paths import config_dir
from core.setup import first_run
from pos_app import i18n
from pos_app.i18n import tr
from pos_app.wizard_pages import (
    CompanyPage,
    LanguagePage,
    ModePage,
    PrinterPage,
    ServerPage,
    StorePage,
    UserPage,
)
from pos_app.worker import Worker

LANGUAGE, MODE, SERVER, COMPANY, STORE, USER, PRINTER, DONE = range(8)


class _Progress(QObject):
    """Carries progress from the worker thread to the GUI thread (a queued signal)."""

    moved = Signal(int, int)


class DonePage(QWizardPage):
    """Does the set-up when shown; Finish is enabled once it has succeeded."""

    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.ok = False
        self.bar = QProgressBar()
        self.bar.setObjectName("setup_progress")
        self.status = QLabel()
        self.status.setObjectName("setup_status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addStretch()
        self.progress = _Progress()
        self.progress.moved.connect(self._moved)

    def _moved(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))

    def initializePage(self) -> None:
        self.setTitle(tr("Setting up"))
        self.ok = False
        self.completeChanged.emit()
        self.bar.setRange(0, 0)  # busy until the first figures arrive
        wiz = self.wiz
        if wiz.mode == "server":
            self.status.setText(tr("Enrolling and fetching the shop from the server…"))
            page = wiz.page(SERVER)
            url, code, name = (page.form.value(f) for f in ("url", "code", "name"))
            emit = self.progress.moved.emit
            job = lambda: first_run.connect_to_server(wiz.folder, url, code, name,
                                                      progress=lambda d, t: emit(int(d), int(t or 0)))
        else:
            self.status.setText(tr("Creating the shop's database…"))
            details = wiz.details
            from server.app import prepare_database

            job = lambda: first_run.create_single_machine_shop(wiz.folder, details, prepare=prepare_database)
        wiz.lane.run(job, self._done, self._failed)

    def _done(self, result: dict) -> None:
        self.wiz.result_info = result
        self.wiz.save_settings(result.get("register_code"))
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.status.setText(tr("Done. Butik starts when you press Finish."))
        self.ok = True
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status.setText(tr("Could not finish: {error}. Go back, correct it and try again.")
                            .format(error=exc))
        self.wiz.last_error = exc

    def isComplete(self) -> bool:
        return self.ok


class FirstRunWizard(QWizard):
    """`pos=True` for the till (with the printer page), False for the back office."""

    def __init__(self, folder: Path, *, pos: bool = True, language: str = "sv", parent=None):
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.folder, self.pos, self.language = Path(folder), pos, language
        self.details = first_run.ShopDetails()
        self.checker = first_run.Checker()
        self.lane = Worker("setup", parent=self)
        self.printer_lane = Worker("setup-printer", parent=self)
        self.result_info: dict = {}
        self.last_error: BaseException | None = None
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        i18n.install(language)
        for page_id, cls in ((LANGUAGE, LanguagePage), (MODE, ModePage), (SERVER, ServerPage),
                             (COMPANY, CompanyPage), (STORE, StorePage), (USER, UserPage),
                             (PRINTER, PrinterPage), (DONE, DonePage)):
            if page_id == PRINTER and not pos:
                continue
            self.setPage(page_id, cls(self))
        self.setStartId(LANGUAGE)
        # make the scratch database now, off the GUI thread, so the first page check is quick
        self.lane.run(lambda: self.checker.check(first_run.ShopDetails(), ()), lambda _: None, lambda _: None)
        self.resize(760, 600)
        self.retranslate()
        self.finished.connect(lambda _r: self.close_lanes())

    @property
    def mode(self) -> str:
        return "server" if self.page(MODE).server.isChecked() else "standalone"

    def set_language(self, language: str) -> None:
        self.language = language
        i18n.install(language)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Butik — first start"))
        self.page(LANGUAGE).retranslate()
        for button, text in ((QWizard.WizardButton.NextButton, tr("Next >")),
                             (QWizard.WizardButton.BackButton, tr("< Back")),
                             (QWizard.WizardButton.FinishButton, tr("Finish")),
                             (QWizard.WizardButton.CancelButton, tr("Cancel"))):
            self.setButtonText(button, text)

    def nextId(self) -> int:
        current = self.currentId()
        after_setup = PRINTER if self.pos else DONE
        return {LANGUAGE: MODE, MODE: SERVER if self.mode == "server" else COMPANY,
                SERVER: after_setup, COMPANY: STORE, STORE: USER, USER: after_setup,
                PRINTER: DONE}.get(current, -1)

    def save_settings(self, register_code: str | None) -> None:
        """The till's settings (language, register, printer); the back office keeps none here."""
        if not self.pos:
            return
        from pos_app import settings as settings_file

        folder = config_dir(self.folder)
        settings = settings_file.load(folder)
        settings.language = self.language
        settings.register_code = register_code or settings.register_code
        settings.printer = self.page(PRINTER).printer()
        settings_file.save(folder, settings)

    def close_lanes(self) -> None:
        self.lane.stop(1)
        self.printer_lane.stop(1)
        self.checker.close()


def run_first_run(folder: Path, *, pos: bool = True, language: str = "sv") -> tuple[str, str] | None:
    """Show the wizard modally; (mode, language) when the machine was set up, None when cancelled."""
    wizard = FirstRunWizard(folder, pos=pos, language=language)
    if pos:
        wizard.showMaximized()
    accepted = wizard.exec() == QWizard.DialogCode.Accepted
    if not accepted or not first_run.is_set_up(Path(folder)):
        return None
    return wizard.mode, wizard.language

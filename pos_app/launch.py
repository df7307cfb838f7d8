"""Starting the till: `run_pos` for `butik pos` (`butik demo` is in pos_app/demo.py).

`open_window` is the composition root shared with the tests: settings and the control-unit key
from the config folder, the register, the printer, the session and the window.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core.db import open_store
from core.db.engine import Store
from core.errors import UserError
from core.paths import config_dir, replica_path, server_db_path


def application():
    """The QApplication (made once), with the style sheet; Qt imported only here."""
    from PySide6.QtWidgets import QApplication

    from pos_app import gui_gc
    from pos_app.i18n import style_sheet

    app = QApplication.instance() or QApplication(sys.argv[:1])
    gui_gc.install(app)
    app.setApplicationName("Butik POS")
    app.setStyleSheet(style_sheet())
    return app


def open_window(store: Store, *, folder: Path | None = None, register_code: str | None = None,
                settings=None, control_key: bytes | None = None, clock=None, scanner: bool = True):
    """Build the session and the window on an open store (the caller shows it)."""
    from pos_app import i18n
    from pos_app import settings as settings_file
    from pos_app.main_window import PosWindow
    from pos_app.session import PosSession

    app = application()
    cfg = Path(folder) if folder is not None else None
    if settings is None:
        settings = settings_file.load(cfg) if cfg else settings_file.PosSettings()
    if control_key is None:
        if cfg is None:
            raise UserError("the till needs a config folder for its control-unit key", field="folder")
        control_key = settings_file.control_key(cfg)
    i18n.install(settings.language)
    kw = {"clock": clock} if clock else {}
    session = PosSession.open(store, settings, control_key=control_key, register_code=register_code,
                              config_dir=cfg, **kw)
    window = PosWindow(session, scanner=scanner)
    app.aboutToQuit.connect(window.ctx.shutdown)
    return window


def _show(window, app) -> int:
    if os.environ.get("BUTIK_POS_WINDOWED"):
        window.resize(1024, 768)
        window.show()
    else:
        window.showMaximized()
    return app.exec()


def pick_database(folder: Path) -> Path:
    """The replica when there is one, else the folder's server database (the demo), else refuse."""
    replica, server = replica_path(folder), server_db_path(folder)
    if replica.exists():
        return replica
    if server.exists():
        return server
    raise UserError(f"no database in {folder}", field="data_dir",
                    hint="enrol this till with `butik enrol`, or try `butik demo`")


def run_pos(folder: Path, register_code: str | None = None) -> int:
    """The till; with no database yet, the first-run wizard first; a single-machine shop starts its server."""
    from core.setup.first_run import is_set_up, read_standalone

    if not is_set_up(folder):
        application()
        from pos_app.wizard import run_first_run

        if run_first_run(folder, pos=True) is None:
            return 1  # cancelled: nothing was set up
    if read_standalone(folder) is not None:
        from pos_app.standalone import run_local_shop

        return run_local_shop(folder, register_code)
    store = open_store(pick_database(folder))
    try:
        app = application()
        window = open_window(store, folder=config_dir(folder), register_code=register_code)
        return _show(window, app)
    finally:
        store.dispose()

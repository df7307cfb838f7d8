"""The back office's first-run wizard: the till's wizard without the printer page.

Connecting enrols this workstation and fetches the shop into its replica; a single-machine shop
creates the server database in the data folder, which the back office then opens directly.
"""

from __future__ import annotations

from pathlib import Path


def run_first_run(folder: Path, *, language: str = "sv") -> tuple[str, str] | None:
    """Show the wizard; (mode, language) once set up, None when cancelled."""
    from backoffice import i18n
    from backoffice.app import application
    from pos_app.wizard import run_first_run as run_wizard

    application()
    chosen = run_wizard(folder, pos=False, language=language)
    if chosen is not None:
        i18n.install(chosen[1])
    return chosen

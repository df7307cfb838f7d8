"""Translations for the till: Qt Linguist files (resources/translations/pos_sv.ts → .qm) via QTranslator.

Source strings are English; `tr(text)` looks them up in the context "pos". Swedish is the default
language of the till; English shows the source strings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
TRANSLATIONS = RESOURCES / "translations"
CONTEXT = "pos"

_installed: list[QTranslator] = []


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def install(language: str) -> bool:
    """Install the language's compiled catalogue on the application; False when there is none."""
    app = QCoreApplication.instance()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if language == "en":
        return True
    translator = QTranslator(app)
    if not translator.load(str(TRANSLATIONS / f"pos_{language}.qm")):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def style_sheet() -> str:
    path = RESOURCES / "pos.qss"
    return path.read_text(encoding="utf-8") if path.exists() else ""

"""The till's own settings: a small JSON file in the config folder (printer, drawer, language, favourites).

No secrets live here: the software control unit's key is a separate file readable only by its
owner (mode 0600), created on first start.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from core.errors import ValidationError
from core.hardware.printer import PrinterSettings
from core.sales.giftcards import DEFAULT_OFFLINE_LIMIT

FILE_NAME = "pos.json"
KEY_FILE = "control_unit.key"


@dataclass
class PosSettings:
    register_code: str | None = None
    language: str = "sv"
    #: python-escpos printer and drawer settings (see `core.hardware.printer.PrinterSettings`)
    printer: dict = field(default_factory=lambda: {"kind": "dummy"})
    #: SKUs shown on the favourites grid (empty: the first sellable products)
    favourites: list[str] = field(default_factory=list)
    #: most a gift card may pay while the server cannot be asked (öre)
    gift_card_offline_limit: int = DEFAULT_OFFLINE_LIMIT
    #: print the receipt automatically after each sale
    auto_print: bool = True

    @classmethod
    def from_dict(cls, data: dict) -> PosSettings:
        known = {f.name for f in fields(cls)}
        s = cls(**{k: v for k, v in data.items() if k in known})
        s.printer_settings()  # refuse bad printer settings at load, with the field named
        if s.language not in ("sv", "en"):
            raise ValidationError("language is sv or en", field="language")
        return s

    def printer_settings(self) -> PrinterSettings:
        return PrinterSettings.from_dict(self.printer)


def load(folder: Path) -> PosSettings:
    path = Path(folder) / FILE_NAME
    if not path.exists():
        return PosSettings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{path} is not valid JSON: {exc}", field="settings",
                              hint="fix or delete the file; the till then starts with defaults") from exc
    return PosSettings.from_dict(data)


def save(folder: Path, settings: PosSettings) -> None:
    path = Path(folder) / FILE_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def control_key(folder: Path) -> bytes:
    """This installation's software control-unit secret; made once, kept 0600."""
    path = Path(folder) / KEY_FILE
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.hex())
    return key
